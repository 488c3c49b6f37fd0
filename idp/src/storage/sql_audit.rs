//! [`AuditStore`] on SQL: the audit trail, filtered and paged newest first.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::SqlStore;
use crate::storage::{AuditEvent, AuditFilter, AuditStore, StorageResult, entity};

/// The events matching `f`, unordered and unpaged.
fn audit_query(f: &AuditFilter) -> sea_orm::Select<entity::audit_events::Entity> {
    use entity::audit_events::Column;
    let mut q = entity::audit_events::Entity::find();
    let text_filters = [
        (Column::Email, &f.email),
        (Column::UserId, &f.user_id),
        (Column::ClientId, &f.client_id),
        (Column::Kind, &f.kind),
        (Column::Outcome, &f.outcome),
    ];
    for (column, value) in text_filters {
        if let Some(v) = value {
            q = q.filter(column.eq(v.as_str()));
        }
    }
    if let Some(since) = f.since {
        q = q.filter(Column::At.gte(since));
    }
    if let Some(until) = f.until {
        q = q.filter(Column::At.lte(until));
    }
    q
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn record_event(&self, e: &AuditEvent) -> StorageResult<()> {
        let model = entity::audit_events::ActiveModel {
            id: Set(e.id.clone()),
            at: Set(e.at),
            kind: Set(e.kind.clone()),
            outcome: Set(e.outcome.clone()),
            user_id: Set(e.user_id.clone()),
            email: Set(e.email.clone()),
            client_id: Set(e.client_id.clone()),
            ip: Set(e.ip.clone()),
            user_agent: Set(e.user_agent.clone()),
            detail: Set(e.detail.clone()),
            actor_client_id: Set(e.actor_client_id.clone()),
            actor_user_id: Set(e.actor_user_id.clone()),
        };
        entity::audit_events::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn list_events(&self, f: &AuditFilter) -> StorageResult<Vec<AuditEvent>> {
        use entity::audit_events::Column;
        // SQL offsets are signed.
        let offset = f.offset.min(i64::MAX as u64);
        let rows = audit_query(f)
            .order_by_desc(Column::At)
            .order_by_desc(Column::Id)
            .offset(offset)
            .limit(f.limit.max(1))
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(rows
            .into_iter()
            .map(|m| AuditEvent {
                id: m.id,
                at: m.at,
                kind: m.kind,
                outcome: m.outcome,
                user_id: m.user_id,
                email: m.email,
                client_id: m.client_id,
                ip: m.ip,
                user_agent: m.user_agent,
                detail: m.detail,
                actor_client_id: m.actor_client_id,
                actor_user_id: m.actor_user_id,
            })
            .collect())
    }

    async fn count_events(&self, f: &AuditFilter) -> StorageResult<u64> {
        audit_query(f)
            .count(&self.db)
            .await
            .map_err(|e| self.fail(e))
    }
}
