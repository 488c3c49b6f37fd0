//! Account administration. Every action is audited here, whichever interface called it.

use crate::{
    accounts::{self, CreateUserError, NewUser, normalize_email},
    audit::{self, Entry, RequestMeta},
    authn::lockout,
    state::AppState,
    storage::{StorageError, User},
};

/// Records an administrator action.
pub async fn admin_event(
    state: &AppState,
    email: Option<&str>,
    meta: Option<&RequestMeta>,
    what: String,
) {
    audit::record(
        state,
        Entry {
            kind: audit::ADMIN,
            outcome: crate::audit::Outcome::Success,
            email,
            meta,
            detail: Some(what),
            ..Default::default()
        },
    )
    .await;
}

pub async fn create_user(
    state: &AppState,
    new: NewUser,
    meta: Option<&RequestMeta>,
) -> Result<User, CreateUserError> {
    let user = accounts::create_user(state, new).await?;
    admin_event(state, Some(&user.email), meta, "create user".into()).await;
    Ok(user)
}

#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("{0:?} is not an email address")]
    BadEmail(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Lifts every lock of an address; returns whether a permanent lock was lifted.
pub async fn unlock(
    state: &AppState,
    email: &str,
    meta: Option<&RequestMeta>,
) -> Result<bool, UnlockError> {
    let email = normalize_email(email).ok_or_else(|| UnlockError::BadEmail(email.into()))?;
    let permanent = lockout::unlock(state, &email).await?;
    admin_event(state, Some(&email), meta, "unlock".into()).await;
    audit::record(
        state,
        Entry {
            kind: audit::UNLOCK,
            outcome: crate::audit::Outcome::Success,
            email: Some(&email),
            meta,
            detail: Some("administrator".into()),
            ..Default::default()
        },
    )
    .await;
    Ok(permanent)
}
