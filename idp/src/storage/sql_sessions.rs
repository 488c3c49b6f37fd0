//! [`SessionStore`] on SQL: the directory of SSO sessions.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{FirstRow, SqlStore};
use crate::storage::{SessionRecord, SessionStore, StorageResult, entity};

use entity::user_sessions::{ActiveModel, Column, Entity, Model};

fn from_model(m: Model) -> SessionRecord {
    SessionRecord {
        id: m.id,
        user_id: m.user_id,
        cookie_hash: m.cookie_hash,
        created_at: m.created_at,
        expires_at: m.expires_at,
        user_agent: m.user_agent,
        ip: m.ip,
    }
}

impl SqlStore {
    /// Deletes the session found, if any, and returns it when this call deleted it: of two
    /// calls ending one session, one gets it (and tells its services).
    async fn delete_found(&self, found: Option<Model>) -> StorageResult<Option<SessionRecord>> {
        let Some(m) = found else {
            return Ok(None);
        };
        let res = Entity::delete_by_id(m.id.clone())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok((res.rows_affected == 1).then(|| from_model(m)))
    }

    /// Deletes each session read, returning those this call deleted (so of two callers,
    /// each ended session is reported by one).
    async fn delete_each(&self, found: Vec<Model>) -> StorageResult<Vec<SessionRecord>> {
        let mut ended = Vec::with_capacity(found.len());
        for m in found {
            ended.extend(self.delete_found(Some(m)).await?);
        }
        Ok(ended)
    }
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn insert_session(&self, r: &SessionRecord) -> StorageResult<()> {
        let model = ActiveModel {
            id: Set(r.id.clone()),
            user_id: Set(r.user_id.clone()),
            cookie_hash: Set(r.cookie_hash.clone()),
            created_at: Set(r.created_at),
            expires_at: Set(r.expires_at),
            user_agent: Set(r.user_agent.clone()),
            ip: Set(r.ip.clone()),
        };
        Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn list_sessions(&self, user_id: &str, now: i64) -> StorageResult<Vec<SessionRecord>> {
        Ok(Entity::find()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::ExpiresAt.gt(now))
            .order_by_desc(Column::CreatedAt)
            .order_by_asc(Column::Id)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(from_model)
            .collect())
    }

    async fn delete_session_by_cookie_hash(
        &self,
        cookie_hash: &str,
    ) -> StorageResult<Option<SessionRecord>> {
        let found = Entity::find()
            .filter(Column::CookieHash.eq(cookie_hash))
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        self.delete_found(found).await
    }

    async fn delete_session(
        &self,
        user_id: &str,
        id: &str,
    ) -> StorageResult<Option<SessionRecord>> {
        let found = Entity::find_by_id(id.to_owned())
            .filter(Column::UserId.eq(user_id))
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        self.delete_found(found).await
    }

    async fn delete_user_sessions(&self, user_id: &str) -> StorageResult<Vec<SessionRecord>> {
        let all = Entity::find()
            .filter(Column::UserId.eq(user_id))
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        self.delete_each(all).await
    }

    async fn delete_expired_sessions(
        &self,
        now: i64,
        limit: u64,
    ) -> StorageResult<Vec<SessionRecord>> {
        let expired = Entity::find()
            .filter(Column::ExpiresAt.lte(now))
            .order_by_asc(Column::ExpiresAt)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        self.delete_each(expired).await
    }
}
