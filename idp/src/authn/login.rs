//! Password sign-in. Unknown emails cost the same argon2 work, go through the same lockout
//! and get the same answers as known ones, so nothing tells whether an account exists.

use crate::{
    accounts::{normalize_email, recovery},
    audit::{self, Entry, RequestMeta},
    authn::lockout::{self, AfterFailure, Gate},
    crypto::Secret,
    state::AppState,
    storage::{StorageError, User},
};

#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong email or password; deliberately one case.
    Invalid,
    /// Locked until this time; `None` means until a password reset or an administrator.
    Locked(Option<i64>),
    Storage(StorageError),
    Internal,
}

impl From<StorageError> for LoginError {
    fn from(e: StorageError) -> Self {
        LoginError::Storage(e)
    }
}

/// The key an attempt is counted under: the normalised address, or for input that is not
/// an address, the trimmed lower-cased input (it gets locked all the same).
pub fn attempt_identifier(email: &str) -> String {
    normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase())
}

fn sign_in<'a>(
    email: &'a str,
    meta: &'a RequestMeta,
    outcome: &'static str,
    user_id: Option<&'a str>,
    detail: &str,
) -> Entry<'a> {
    Entry {
        kind: audit::SIGN_IN,
        outcome,
        user_id,
        email: Some(email),
        meta: Some(meta),
        detail: Some(detail.to_owned()),
        ..Default::default()
    }
}

fn lock<'a>(email: &'a str, meta: &'a RequestMeta, detail: &str) -> Entry<'a> {
    Entry {
        kind: audit::LOCK,
        ..sign_in(email, meta, "info", None, detail)
    }
}

pub async fn verify_password(
    state: &AppState,
    email: &str,
    password: &Secret,
    meta: &RequestMeta,
) -> Result<User, LoginError> {
    let email = attempt_identifier(email);
    let ticket = match lockout::enter(state, &email).await? {
        Gate::Open(t) => t,
        Gate::Locked(until) => {
            audit::record(state, sign_in(&email, meta, "failure", None, "locked")).await;
            return Err(LoginError::Locked(until));
        }
    };
    let user = state.stores.users.find_user_by_email(&email).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let check = state
        .passwords
        .verify(password, stored)
        .await
        .map_err(|_| LoginError::Internal)?;
    let Some(user) = user.filter(|u| check.valid && !u.disabled) else {
        audit::record(state, sign_in(&email, meta, "failure", None, "password")).await;
        return Err(match lockout::failed(state, &ticket).await? {
            AfterFailure::StillOpen => LoginError::Invalid,
            AfterFailure::LockedUntil(until) => {
                audit::record(state, lock(&email, meta, "temporary")).await;
                LoginError::Locked(Some(until))
            }
            AfterFailure::LockedPermanently => {
                audit::record(state, lock(&email, meta, "permanent")).await;
                recovery::send_unlock_link(state, &email).await;
                LoginError::Locked(None)
            }
        });
    };
    lockout::succeeded(state, &ticket).await?;
    audit::record(
        state,
        sign_in(&email, meta, "success", Some(&user.id), "password"),
    )
    .await;
    if check.needs_rehash {
        // Parameters changed since this hash was made: upgrade it now that we know the
        // password. A failure here must not fail the sign-in.
        if let Ok(h) = state.passwords.hash(password).await
            && let Err(e) = state
                .stores
                .users
                .set_password_hash(&user.id, &h, state.now())
                .await
        {
            tracing::warn!(error = %e, "could not store a re-hashed password");
        }
    }
    Ok(user)
}
