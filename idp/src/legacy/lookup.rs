//! Which identity an old username became, for the services moving their data to `sub`.
//! The management API (`GET /legacy-accounts`, `GET /users/{id}/legacy-accounts`), `idp
//! users lookup` and the `legacy_accounts` claim all read through here, and what leaves is
//! [`LegacyIdentity`]: the old hash, address, names and phone of an account stay inside.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    state::AppState,
    storage::{LegacyAccount, LegacyKey, StorageError, StorageResult},
};

/// How far an old account has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Imported without an email address: no identity (no `sub`) until its owner adds and
    /// confirms one at the first sign-in.
    Pending,
    /// Part of an identity whose owner has not yet signed in with it and chosen a new
    /// password.
    Linked,
    /// Its owner finished the first sign-in; the old hash is gone.
    Migrated,
}

/// One old account and the identity it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LegacyIdentity {
    /// The old service, as the import file named it.
    pub service: String,
    /// As the old service spelled it.
    pub username: String,
    /// The identity's `sub`; null while pending.
    pub sub: Option<String>,
    pub status: Status,
    /// Unix seconds.
    pub imported_at: i64,
    /// Unix seconds; when its owner chose a new password.
    pub migrated_at: Option<i64>,
}

impl From<LegacyAccount> for LegacyIdentity {
    fn from(a: LegacyAccount) -> Self {
        // `migrated_at` first: the first sign-in attaches a pending account before it
        // retires its hash, so a migrated account always has its identity too.
        let status = match (&a.user_id, a.migrated_at) {
            (_, Some(_)) => Status::Migrated,
            (Some(_), None) => Status::Linked,
            (None, None) => Status::Pending,
        };
        LegacyIdentity {
            service: a.service,
            username: a.username,
            sub: a.user_id,
            status,
            imported_at: a.imported_at,
            migrated_at: a.migrated_at,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("service: letters, digits, '-', '_' and '.', at most 64")]
    InvalidService,
    #[error("username: empty, longer than 256 characters or with control characters")]
    InvalidUsername,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The old account `username` of `service`, matched as the sign-in matches it (case and
/// surrounding spaces aside); `None` when there is none.
pub async fn by_username(
    state: &AppState,
    service: &str,
    username: &str,
) -> Result<Option<LegacyIdentity>, LookupError> {
    if !super::is_service_name(service) {
        return Err(LookupError::InvalidService);
    }
    if !super::is_username(username) {
        return Err(LookupError::InvalidUsername);
    }
    let key = LegacyKey::new(service, username);
    let found = state.stores.legacy.find_legacy(&[key]).await?;
    Ok(found.into_iter().next().map(LegacyIdentity::from))
}

/// The old accounts that became the identity `user_id`, by service and username.
pub async fn of_user(state: &AppState, user_id: &str) -> StorageResult<Vec<LegacyIdentity>> {
    let found = state.stores.legacy.legacy_of_user(user_id).await?;
    Ok(found.into_iter().map(LegacyIdentity::from).collect())
}

/// The usernames the identity `user_id` had in `service`, as that service spelled them.
pub async fn usernames_in(
    state: &AppState,
    service: &str,
    user_id: &str,
) -> StorageResult<Vec<String>> {
    let found = state.stores.legacy.legacy_of_user(user_id).await?;
    Ok(found
        .into_iter()
        .filter(|a| a.service == service)
        .map(|a| a.username)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(user_id: Option<&str>, migrated_at: Option<i64>) -> LegacyAccount {
        LegacyAccount {
            service: "parcels".into(),
            username: "MRossi".into(),
            user_id: user_id.map(str::to_owned),
            email: Some("m.rossi@example.test".into()),
            email_verified: true,
            given_name: Some("Mario".into()),
            family_name: Some("Rossi".into()),
            phone: None,
            password_hash: migrated_at.is_none().then(|| "$1$salt$hash".to_owned()),
            digest: "d".into(),
            legacy_created_at: None,
            imported_at: 100,
            migrated_at,
        }
    }

    #[test]
    fn the_status_follows_the_identity_and_the_first_sign_in() {
        let pending = LegacyIdentity::from(account(None, None));
        assert_eq!((pending.status, pending.sub), (Status::Pending, None));
        let linked = LegacyIdentity::from(account(Some("u1"), None));
        assert_eq!(linked.status, Status::Linked);
        assert_eq!(linked.sub.as_deref(), Some("u1"));
        let migrated = LegacyIdentity::from(account(Some("u1"), Some(200)));
        assert_eq!(migrated.status, Status::Migrated);
        assert_eq!(migrated.migrated_at, Some(200));
        assert_eq!(migrated.username, "MRossi", "as the old service spelled it");
    }

    #[test]
    fn nothing_but_the_mapping_leaves() {
        let shown = serde_json::to_value(LegacyIdentity::from(account(Some("u1"), None))).unwrap();
        let mut keys: Vec<&str> = shown.as_object().unwrap().keys().map(|k| &**k).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "imported_at",
                "migrated_at",
                "service",
                "status",
                "sub",
                "username"
            ]
        );
        assert_eq!(shown["status"], "linked");
    }
}
