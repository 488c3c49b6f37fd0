//! Setting a new password from an emailed single-use link (the permanent-lock email now;
//! the forgotten-password flow later).

use crate::{
    accounts::check_password_policy,
    audit::{self, Entry, RequestMeta},
    authn::lockout,
    crypto::{Secret, new_token, token_hash},
    state::AppState,
    storage::StorageError,
};

fn link_key(token: &str) -> String {
    format!("reset:{}", token_hash(token))
}

/// Emails the owner of `email` (if there is one) a link that sets a new password and lifts
/// the lock. For an address without an account nothing is sent, silently: the caller's
/// answer is the same either way.
pub async fn send_unlock_link(state: &AppState, email: &str) {
    let user = match state.stores.users.find_user_by_email(email).await {
        Ok(Some(u)) => u,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "unlock link not sent");
            return;
        }
    };
    let token = new_token();
    let ttl = state.config.lockout.unlock_link_ttl;
    if let Err(e) = state
        .ephemeral
        .put(&link_key(&token), user.id.clone().into_bytes(), ttl)
        .await
    {
        tracing::error!(error = %e, "unlock link not stored");
        return;
    }
    let link = state.url(&format!("/recover/reset?token={token}"));
    let hours = ttl.as_secs() / 3600;
    let body = format!(
        "Hello,\n\nyour postal services account was locked after repeated failed sign-in attempts.\n\
         If it was you, set a new password with this link (valid for {hours} hours); it also unlocks the account:\n\n{link}\n\n\
         If it was not you, set a new password all the same: someone tried to guess it.\n"
    );
    let _ = state
        .notifier
        .email(&user.email, "Your account is locked", &body)
        .await;
}

/// Whether a link is still valid (for showing the form), without using it up.
pub async fn link_is_valid(state: &AppState, token: &str) -> Result<bool, StorageError> {
    Ok(state.ephemeral.get(&link_key(token)).await?.is_some())
}

#[derive(Debug, PartialEq, Eq)]
pub enum ResetError {
    /// Unknown, expired or already used.
    InvalidLink,
    Policy(crate::accounts::PolicyError),
    Storage(StorageError),
}

impl From<StorageError> for ResetError {
    fn from(e: StorageError) -> Self {
        ResetError::Storage(e)
    }
}

/// Sets the new password (consuming the link) and lifts every lock of the account.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &Secret,
    meta: &RequestMeta,
) -> Result<(), ResetError> {
    let key = link_key(token);
    let Some(user_id) = state.ephemeral.get(&key).await? else {
        return Err(ResetError::InvalidLink);
    };
    let user_id = String::from_utf8_lossy(&user_id).into_owned();
    let Some(user) = state.stores.users.find_user(&user_id).await? else {
        return Err(ResetError::InvalidLink);
    };
    check_password_policy(&state.config.password_policy, &user.email, password)
        .map_err(ResetError::Policy)?;
    // Consumed only now, so a policy error lets the user try again with the same link;
    // `take` keeps two concurrent submissions from both succeeding.
    if state.ephemeral.take(&key).await?.is_none() {
        return Err(ResetError::InvalidLink);
    }
    let hash = state
        .passwords
        .hash(password)
        .await
        .map_err(|e| ResetError::Storage(StorageError::Internal(e.to_string())))?;
    state
        .stores
        .users
        .set_password_hash(&user.id, &hash, state.now())
        .await?;
    lockout::unlock(state, &user.email).await?;
    let entry = |kind| Entry {
        kind,
        outcome: "success",
        user_id: Some(&user.id),
        email: Some(&user.email),
        meta: Some(meta),
        detail: Some("reset link".into()),
        ..Default::default()
    };
    audit::record(state, entry(audit::PASSWORD_CHANGED)).await;
    audit::record(state, entry(audit::UNLOCK)).await;
    Ok(())
}
