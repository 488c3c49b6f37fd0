//! [`LogoutDeliveryStore`] on SQL. A claim is a conditional `UPDATE … WHERE id = ? AND status =
//! 'pending' AND attempts = <as read> AND next_attempt_at <= now AND (lease_until IS NULL OR
//! lease_until < now)`: of two nodes that picked the same row, one changes it and the other
//! sees no row affected and leaves it, even when the first has already finished its attempt.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use super::SqlStore;
use crate::{
    crypto::random_token,
    storage::{
        ClaimedDelivery, DeliveryCounts, DeliveryOutcome, LogoutDelivery, LogoutDeliveryStore,
        StorageResult, entity,
    },
};

use entity::logout_deliveries::{ActiveModel, Column, Entity, Model};

const PENDING: &str = "pending";
const DELIVERED: &str = "delivered";
const FAILED: &str = "failed";

/// Longest error kept with a delivery: enough to say what the receiver did.
const MAX_ERROR: usize = 300;

fn delivery_from(m: Model) -> LogoutDelivery {
    LogoutDelivery {
        id: m.id,
        client_id: m.client_id,
        sub: m.sub,
        sid: m.sid,
        created_at: m.created_at,
        attempts: m.attempts,
    }
}

fn lease_free(now: i64) -> Condition {
    Condition::any()
        .add(Column::LeaseUntil.is_null())
        .add(Column::LeaseUntil.lt(now))
}

fn clipped(error: &str) -> String {
    error.chars().take(MAX_ERROR).collect()
}

#[async_trait]
impl LogoutDeliveryStore for SqlStore {
    async fn enqueue_logouts(&self, deliveries: &[LogoutDelivery]) -> StorageResult<u64> {
        let mut added = 0;
        for d in deliveries {
            let model = ActiveModel {
                id: Set(d.id.clone()),
                client_id: Set(d.client_id.clone()),
                sub: Set(d.sub.clone()),
                sid: Set(d.sid.clone()),
                created_at: Set(d.created_at),
                status: Set(PENDING.into()),
                attempts: Set(0),
                next_attempt_at: Set(d.created_at),
                lease: Set(None),
                lease_until: Set(None),
                last_error: Set(None),
                finished_at: Set(None),
            };
            added += Entity::insert(model)
                .on_conflict(
                    OnConflict::columns([Column::ClientId, Column::Sid])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.writer)
                .await
                .map_err(|e| self.fail(e))?;
        }
        Ok(added)
    }

    async fn claim_logouts(
        &self,
        now: i64,
        lease_until: i64,
        limit: u64,
        skip: &[String],
    ) -> StorageResult<Vec<ClaimedDelivery>> {
        let due = Entity::find()
            .filter(Column::Status.eq(PENDING))
            .filter(Column::NextAttemptAt.lte(now))
            .filter(lease_free(now))
            .filter(Column::ClientId.is_not_in(skip.iter().cloned()))
            .order_by_asc(Column::NextAttemptAt)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        let mut claimed = Vec::with_capacity(due.len());
        for m in due {
            let lease = random_token(12);
            let res = Entity::update_many()
                .col_expr(Column::Lease, Expr::value(lease.clone()))
                .col_expr(Column::LeaseUntil, Expr::value(lease_until))
                .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
                .filter(Column::Id.eq(&m.id))
                .filter(Column::Status.eq(PENDING))
                .filter(lease_free(now))
                // Unchanged since it was read: another node may have claimed it, failed
                // and released it for later in between, and then it is not due.
                .filter(Column::Attempts.eq(m.attempts))
                .filter(Column::NextAttemptAt.lte(now))
                .exec(&self.writer)
                .await
                .map_err(|e| self.fail(e))?;
            if res.rows_affected == 1 {
                let mut delivery = delivery_from(m);
                delivery.attempts += 1;
                claimed.push(ClaimedDelivery { delivery, lease });
            }
        }
        Ok(claimed)
    }

    async fn finish_logout(
        &self,
        claim: &ClaimedDelivery,
        outcome: &DeliveryOutcome,
        now: i64,
    ) -> StorageResult<bool> {
        let mut update = Entity::update_many()
            .col_expr(Column::Lease, Expr::value(Option::<String>::None))
            .col_expr(Column::LeaseUntil, Expr::value(Option::<i64>::None));
        update = match outcome {
            DeliveryOutcome::Delivered => update
                .col_expr(Column::Status, Expr::value(DELIVERED))
                .col_expr(Column::FinishedAt, Expr::value(now))
                .col_expr(Column::LastError, Expr::value(Option::<String>::None)),
            DeliveryOutcome::Retry { at, error } => update
                .col_expr(Column::NextAttemptAt, Expr::value(*at))
                .col_expr(Column::LastError, Expr::value(clipped(error))),
            DeliveryOutcome::Failed { error } => update
                .col_expr(Column::Status, Expr::value(FAILED))
                .col_expr(Column::FinishedAt, Expr::value(now))
                .col_expr(Column::LastError, Expr::value(clipped(error))),
        };
        let res = update
            .filter(Column::Id.eq(&claim.delivery.id))
            .filter(Column::Lease.eq(&claim.lease))
            .filter(Column::Status.eq(PENDING))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn purge_logouts(&self, before: i64) -> StorageResult<u64> {
        let res = Entity::delete_many()
            .filter(Column::Status.ne(PENDING))
            .filter(Column::FinishedAt.lt(before))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected)
    }

    async fn count_logouts(&self) -> StorageResult<DeliveryCounts> {
        let mut counts = DeliveryCounts::default();
        for (status, slot) in [
            (PENDING, &mut counts.pending),
            (DELIVERED, &mut counts.delivered),
            (FAILED, &mut counts.failed),
        ] {
            *slot = Entity::find()
                .filter(Column::Status.eq(status))
                .count(&self.db)
                .await
                .map_err(|e| self.fail(e))?;
        }
        Ok(counts)
    }
}
