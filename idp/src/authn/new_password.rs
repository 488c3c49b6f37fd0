//! The new password a sign-in must choose before it completes: after a temporary password
//! (handed over at a counter) or when an administrator required a change. The password
//! was proven by `check`; until the new one is stored there is no session and no code.
//!
//! The pending change names the password it replaces (a fingerprint of its hash), and the
//! replacement is conditional on it: once one browser has chosen a new password, the
//! temporary one is spent, and a second browser that proved it too is sent back to sign in.

use serde::{Deserialize, Serialize};

use crate::{
    accounts::{PolicyError, check_password_policy},
    audit::{self, RequestMeta},
    crypto::{Secret, token_hash},
    notices::{self, What},
    state::AppState,
    storage::{PasswordKind, StorageError, User},
};

/// A sign-in waiting for its new password (kept in the sign-in transaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub user_id: String,
    /// SHA-256 of the proven password's hash: the transaction never holds the hash.
    replaces: String,
}

/// Whether a sign-in with `user`'s proven password must choose a new one first; `Some`
/// holds what to keep until then.
pub fn due(user: &User) -> Option<Pending> {
    if !user.password_change_required {
        return None;
    }
    Some(Pending {
        user_id: user.id.clone(),
        replaces: token_hash(user.password_hash.as_deref().unwrap_or_default()),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Policy(PolicyError),
    /// The new password is the one it replaces.
    #[error("the new password must differ from the current one")]
    Same,
    /// The password proven is no longer the account's (changed in another browser, or
    /// replaced by an administrator): sign in again.
    #[error("the password changed meanwhile")]
    Stale,
    #[error("password hashing failed")]
    Hash,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Stores `password` as the account's own, in place of the password `pending` proved.
/// Returns the account, ready for its session.
pub async fn choose(
    state: &AppState,
    pending: &Pending,
    password: &Secret,
    meta: &RequestMeta,
) -> Result<User, ChangeError> {
    let Some(mut user) = state.stores.users.find_user(&pending.user_id).await? else {
        return Err(ChangeError::Stale);
    };
    let Some(old) = user.password_hash.clone() else {
        return Err(ChangeError::Stale);
    };
    if user.disabled
        || !crate::crypto::ct_eq(token_hash(&old).as_bytes(), pending.replaces.as_bytes())
    {
        return Err(ChangeError::Stale);
    }
    check_password_policy(&state.config.password_policy, &user.email, password)
        .map_err(ChangeError::Policy)?;
    let same = state
        .passwords
        .verify(password, Some(&old))
        .await
        .map_err(|_| ChangeError::Hash)?;
    if same.valid {
        return Err(ChangeError::Same);
    }
    let hash = state
        .passwords
        .hash(password)
        .await
        .map_err(|_| ChangeError::Hash)?;
    let now = state.now();
    let written = state
        .stores
        .users
        .set_password(&user.id, Some(&old), &hash, PasswordKind::Chosen, now)
        .await?;
    if !written {
        return Err(ChangeError::Stale);
    }
    user.password_hash = Some(hash);
    user.password_change_required = false;
    user.password_expires_at = None;
    user.updated_at = now;
    let detail = "required change at sign-in";
    audit::user_success(state, &user, meta, audit::PASSWORD_CHANGED, detail).await;
    notices::security_notice(state, &user, What::PasswordChanged).await;
    Ok(user)
}
