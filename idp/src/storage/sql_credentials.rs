//! [`CredentialStore`] on SQL.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};

use super::{FirstRow, SqlStore};
use crate::storage::{
    Credential, CredentialKind, CredentialStore, StorageError, StorageResult, entity,
};

use entity::credentials::{ActiveModel, Column, Entity, Model};

fn from_model(m: Model) -> StorageResult<Credential> {
    let data = serde_json::from_str(&m.data)
        .map_err(|e| StorageError::Internal(format!("credentials.data: {e}")))?;
    Ok(Credential {
        id: m.id,
        user_id: m.user_id,
        kind: CredentialKind::parse(&m.kind)
            .ok_or_else(|| StorageError::Internal(format!("credentials.kind: {:?}", m.kind)))?,
        name: m.name,
        data,
        lookup: m.lookup,
        counter: m.counter,
        created_at: m.created_at,
        used_at: m.used_at,
    })
}

#[async_trait]
impl CredentialStore for SqlStore {
    async fn add_credential(&self, c: &Credential) -> StorageResult<()> {
        let model = ActiveModel {
            id: Set(c.id.clone()),
            user_id: Set(c.user_id.clone()),
            kind: Set(c.kind.as_str().to_owned()),
            name: Set(c.name.clone()),
            data: Set(c.data.to_string()),
            lookup: Set(c.lookup.clone()),
            counter: Set(c.counter),
            created_at: Set(c.created_at),
            used_at: Set(c.used_at),
        };
        Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn list_credentials(&self, user_id: &str) -> StorageResult<Vec<Credential>> {
        Entity::find()
            .filter(Column::UserId.eq(user_id))
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(from_model)
            .collect()
    }

    async fn find_credential_by_lookup(&self, lookup: &str) -> StorageResult<Option<Credential>> {
        Entity::find()
            .filter(Column::Lookup.eq(lookup))
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(from_model)
            .transpose()
    }

    async fn rename_credential(&self, user_id: &str, id: &str, name: &str) -> StorageResult<bool> {
        let res = Entity::update_many()
            .col_expr(Column::Name, Expr::value(name))
            .filter(Column::Id.eq(id))
            .filter(Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn delete_credential(&self, user_id: &str, id: &str) -> StorageResult<bool> {
        let res = Entity::delete_many()
            .filter(Column::Id.eq(id))
            .filter(Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn delete_credentials_of_kind(
        &self,
        user_id: &str,
        kind: CredentialKind,
    ) -> StorageResult<u64> {
        let res = Entity::delete_many()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::Kind.eq(kind.as_str()))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected)
    }

    async fn update_credential_data(
        &self,
        id: &str,
        data: &serde_json::Value,
        now: i64,
    ) -> StorageResult<()> {
        Entity::update_many()
            .col_expr(Column::Data, Expr::value(data.to_string()))
            .col_expr(Column::UsedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn advance_credential_counter(&self, id: &str, value: i64) -> StorageResult<bool> {
        // The WHERE makes check and write one statement: of two nodes accepting the same
        // TOTP step at once, exactly one moves the counter.
        let res = Entity::update_many()
            .col_expr(Column::Counter, Expr::value(value))
            .filter(Column::Id.eq(id))
            .filter(Column::Counter.lt(value))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn consume_credential(&self, id: &str, now: i64) -> StorageResult<bool> {
        let res = Entity::update_many()
            .col_expr(Column::UsedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .filter(Column::UsedAt.is_null())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }
}
