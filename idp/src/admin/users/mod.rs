//! Account administration. Every action is audited here, whichever interface called it.

use crate::{
    accounts::{self, CreateUserError, NewUser, normalize_email},
    audit::{self, Actor, Entry, RequestMeta},
    authn::lockout,
    state::AppState,
    storage::{StorageError, User},
};

/// Records an administrator action.
pub async fn admin_event(
    state: &AppState,
    actor: &Actor,
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
            actor: Some(actor),
            ..Default::default()
        },
    )
    .await;
}

pub async fn create_user(
    state: &AppState,
    new: NewUser,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, CreateUserError> {
    let user = accounts::create_user(state, new).await?;
    admin_event(state, actor, Some(&user.email), meta, "create user".into()).await;
    Ok(user)
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no account has the address {0:?}")]
    NotFound(String),
    #[error("the account {0:?} awaits erasure; it cannot be enabled")]
    PendingErasure(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Disables an account (every session ends and every grant is revoked at once, so no
/// service keeps acting for it) or enables it again. An account that asked for its
/// deletion stays disabled: enabling it would undo the owner's request behind their back.
pub async fn set_disabled(
    state: &AppState,
    email: &str,
    disabled: bool,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, AccountError> {
    let normal = normalize_email(email).unwrap_or_default();
    let mut user = state
        .stores
        .users
        .find_user_by_email(&normal)
        .await?
        .ok_or_else(|| AccountError::NotFound(email.into()))?;
    if !disabled && user.deletion_requested_at.is_some() {
        return Err(AccountError::PendingErasure(email.into()));
    }
    user.disabled = disabled;
    user.updated_at = state.now();
    state.stores.users.update_user(&user).await?;
    if disabled {
        accounts::revoke_everything(state, &user.id).await?;
    }
    audit::record(
        state,
        Entry {
            kind: audit::ADMIN,
            outcome: crate::audit::Outcome::Success,
            user_id: Some(&user.id),
            email: Some(&user.email),
            meta,
            detail: Some(
                if disabled {
                    "disable user"
                } else {
                    "enable user"
                }
                .into(),
            ),
            actor: Some(actor),
            ..Default::default()
        },
    )
    .await;
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
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<bool, UnlockError> {
    let email = normalize_email(email).ok_or_else(|| UnlockError::BadEmail(email.into()))?;
    let permanent = lockout::unlock(state, &email).await?;
    admin_event(state, actor, Some(&email), meta, "unlock".into()).await;
    audit::record(
        state,
        Entry {
            kind: audit::UNLOCK,
            outcome: crate::audit::Outcome::Success,
            email: Some(&email),
            meta,
            detail: Some("administrator".into()),
            actor: Some(actor),
            ..Default::default()
        },
    )
    .await;
    Ok(permanent)
}
