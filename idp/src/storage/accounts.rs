//! What the account console keeps beyond the user record: favourite services, and the
//! erasure of an account whose deletion grace period is over.

use async_trait::async_trait;

use super::StorageResult;

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Marks a client as a favourite of the user (again is a no-op).
    async fn add_favourite(&self, user_id: &str, client_id: &str, now: i64) -> StorageResult<()>;
    /// Returns whether it was a favourite.
    async fn remove_favourite(&self, user_id: &str, client_id: &str) -> StorageResult<bool>;
    /// The client ids of the user's favourites, oldest first.
    async fn list_favourites(&self, user_id: &str) -> StorageResult<Vec<String>>;
    /// Users whose deletion was requested at or before `before`.
    async fn deletion_due(&self, before: i64) -> StorageResult<Vec<String>>;
    /// Erases the user and everything kept about them: credentials, consents, grants and
    /// refresh tokens, sessions, memberships and favourites. Audit events keep their
    /// pseudonymous user id but lose the email, IP address and user agent. Its old logins
    /// (`legacy`) keep only their (service, username) and digest, so a re-import skips them.
    async fn erase_user(&self, user_id: &str) -> StorageResult<()>;
}
