//! [`LogoStore`] on SQL: one row per image content, inserted once.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};

use super::{FirstRow, SqlStore};
use crate::{
    model::{ImageKind, LogoId},
    storage::{
        StorageError, StorageResult, entity,
        logos::{LogoStore, StoredLogo},
    },
};

use entity::client_logos::{ActiveModel, Column, Entity};

#[async_trait]
impl LogoStore for SqlStore {
    async fn put_logo(&self, logo: &StoredLogo) -> StorageResult<()> {
        let model = ActiveModel {
            id: Set(logo.id.as_str().to_owned()),
            media_type: Set(logo.kind.media_type().to_owned()),
            data: Set(logo.data.clone()),
            created_at: Set(logo.created_at),
        };
        // The same id is the same bytes: a second client with this logo, or a retry.
        Entity::insert(model)
            .on_conflict(OnConflict::column(Column::Id).do_nothing().to_owned())
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_logo(&self, id: &LogoId) -> StorageResult<Option<StoredLogo>> {
        let Some(m) = Entity::find_by_id(id.as_str().to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
        else {
            return Ok(None);
        };
        let kind = ImageKind::from_media_type(&m.media_type).ok_or_else(|| {
            StorageError::Internal(format!("client_logos.media_type {:?}", m.media_type))
        })?;
        Ok(Some(StoredLogo {
            id: id.clone(),
            kind,
            data: m.data,
            created_at: m.created_at,
        }))
    }
}
