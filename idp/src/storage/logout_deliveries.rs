//! The durable queue of back-channel logout deliveries: one row per client and ended
//! session, claimed by one node at a time through a lease, and finished as delivered, to be
//! retried, or given up on.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::StorageResult;

/// One logout token to deliver: `client_id` is told that session `sid` of `sub` ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoutDelivery {
    /// Also the logout token's `jti`, the same on every attempt.
    pub id: String,
    pub client_id: String,
    pub sub: String,
    pub sid: String,
    pub created_at: i64,
    /// Attempts made so far, this one included once claimed.
    pub attempts: i32,
}

/// A delivery this node may send until the lease runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    pub delivery: LogoutDelivery,
    /// Names this claim: only its holder may finish the delivery.
    pub lease: String,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Try again at `at` (the receiver failed, was slow or unreachable).
    Retry {
        at: i64,
        error: String,
    },
    /// No more attempts: the receiver refused the token, or retrying ran out of time.
    Failed {
        error: String,
    },
}

/// What the queue holds, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

#[async_trait]
pub trait LogoutDeliveryStore: Send + Sync {
    /// Queues the deliveries; one for a (client, sid) already queued is skipped. Returns how
    /// many were added.
    async fn enqueue_logouts(&self, deliveries: &[LogoutDelivery]) -> StorageResult<u64>;
    /// Claims up to `limit` pending deliveries due at `now` whose lease (if any) has run out,
    /// oldest due first, none for the clients in `skip`, each until `lease_until`, counting
    /// an attempt. Of two nodes claiming at once, each delivery goes to one.
    async fn claim_logouts(
        &self,
        now: i64,
        lease_until: i64,
        limit: u64,
        skip: &[String],
    ) -> StorageResult<Vec<ClaimedDelivery>>;
    /// Records the outcome of a claimed delivery; false when the claim was lost (its lease
    /// ran out and another node took the delivery over), in which case nothing changes.
    async fn finish_logout(
        &self,
        claim: &ClaimedDelivery,
        outcome: &DeliveryOutcome,
        now: i64,
    ) -> StorageResult<bool>;
    /// Deletes deliveries finished before `before`; returns how many.
    async fn purge_logouts(&self, before: i64) -> StorageResult<u64>;
    async fn count_logouts(&self) -> StorageResult<DeliveryCounts>;
}
