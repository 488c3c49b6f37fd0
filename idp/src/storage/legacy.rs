//! The accounts of the old per-service logins and the identities they became (see
//! `migration`). Written in batches by the import, read at sign-in and by the services'
//! lookup of their old usernames.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{StorageResult, User};

/// One account of an old service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyAccount {
    pub service: String,
    /// As the old service spelled it; matched through [`username_key`].
    pub username: String,
    /// The identity it became; `None` while it has no email address (a pending identity).
    pub user_id: Option<String>,
    /// Normalised.
    pub email: Option<String>,
    /// Whether the old service had confirmed the address.
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone: Option<String>,
    /// The old service's hash, in its format (`crypto::legacy`); `None` once the owner chose
    /// a new password.
    pub password_hash: Option<String>,
    /// SHA-256 of the imported record.
    pub digest: String,
    pub legacy_created_at: Option<i64>,
    pub imported_at: i64,
    /// When its owner finished the first sign-in (new password chosen).
    pub migrated_at: Option<i64>,
}

impl LegacyAccount {
    pub fn key(&self) -> LegacyKey {
        LegacyKey::new(&self.service, &self.username)
    }
}

/// What identifies a legacy account: the service and the username, ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LegacyKey {
    pub service: String,
    pub username_key: String,
}

impl LegacyKey {
    pub fn new(service: &str, username: &str) -> LegacyKey {
        LegacyKey {
            service: service.to_owned(),
            username_key: username_key(username),
        }
    }
}

/// The form legacy usernames are compared in: trimmed and lower-cased, since people retype
/// them as they remember them.
pub fn username_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// What one import batch writes: the identities it creates and the legacy accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyBatch {
    pub users: Vec<User>,
    pub accounts: Vec<LegacyAccount>,
}

#[async_trait]
pub trait LegacyStore: Send + Sync {
    /// The stored accounts among `keys`.
    async fn find_legacy(&self, keys: &[LegacyKey]) -> StorageResult<Vec<LegacyAccount>>;
    /// `(email, user id)` of the users with these (normalised) addresses.
    async fn user_ids_by_email(&self, emails: &[String]) -> StorageResult<Vec<(String, String)>>;
    /// Writes the batch in one transaction: all of it or, on a clash with a row written
    /// meanwhile (`Conflict`), none of it.
    async fn import_legacy(&self, batch: &LegacyBatch) -> StorageResult<()>;
    /// The accounts with this username (a [`username_key`]), in one service or in all.
    async fn legacy_by_username(
        &self,
        username_key: &str,
        service: Option<&str>,
    ) -> StorageResult<Vec<LegacyAccount>>;
    /// The legacy accounts that became this identity, by service and username.
    async fn legacy_of_user(&self, user_id: &str) -> StorageResult<Vec<LegacyAccount>>;
    /// Links a pending account to an identity, only while it is pending; false otherwise.
    async fn attach_legacy(&self, key: &LegacyKey, user_id: &str) -> StorageResult<bool>;
    /// Removes one account's hash when it is still `expected`, in one conditional step:
    /// of two first sign-ins with one old password, one wins.
    async fn retire_legacy_password(
        &self,
        key: &LegacyKey,
        expected: &str,
        now: i64,
    ) -> StorageResult<bool>;
    /// Removes the hashes of every legacy account of the identity; returns how many.
    async fn retire_user_legacy_passwords(&self, user_id: &str, now: i64) -> StorageResult<u64>;
}
