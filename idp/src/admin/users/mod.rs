//! Account administration. Every action is audited here, whichever interface called it (the
//! `idp users` command or the management API), naming the actor and the account.

mod access;
mod profile;

pub use access::{
    Revocation, grants, request_deletion, reset_factors, revoke_grants, revoke_sessions, sessions,
};
pub use profile::{ProfilePatch, update_profile};

use crate::{
    accounts::{self, CreateUserError, NewUser, normalize_email},
    audit::{self, Actor, AuditKind, Entry, RequestMeta},
    authn::lockout::{self, Lock},
    state::AppState,
    storage::{CredentialKind, Page, StorageError, User, UserFilter},
};

/// Records an administrator action about an address (no account may have it).
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

/// Records an administrator action on `user`'s account.
pub(crate) async fn user_event(
    state: &AppState,
    actor: &Actor,
    meta: Option<&RequestMeta>,
    user: &User,
    kind: AuditKind,
    what: &str,
) {
    audit::record(
        state,
        Entry {
            kind,
            outcome: crate::audit::Outcome::Success,
            user_id: Some(&user.id),
            email: Some(&user.email),
            meta,
            detail: Some(what.to_owned()),
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
    user_event(state, actor, meta, &user, audit::ADMIN, "create user").await;
    Ok(user)
}

/// Which account: the management API names it by id, the command line by address.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Id(&'a str),
    Email(&'a str),
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no such account: {0}")]
    NotFound(String),
    #[error("the account {0:?} awaits erasure; it cannot be enabled")]
    PendingErasure(String),
    /// The record changed since it was read (its revision moved on).
    #[error("the account changed meanwhile; read it again and retry")]
    Stale,
    #[error("{field}: {detail}")]
    Invalid { field: &'static str, detail: String },
    /// The account is the last admin of these organisations (their names).
    #[error("the account is the last admin of {}", .0.join(", "))]
    LastAdmin(Vec<String>),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The account, or `NotFound`.
pub async fn find(state: &AppState, target: Target<'_>) -> Result<User, AccountError> {
    let found = match target {
        Target::Id(id) => state.stores.users.find_user(id).await?,
        Target::Email(email) => match normalize_email(email) {
            Some(normal) => state.stores.users.find_user_by_email(&normal).await?,
            None => None,
        },
    };
    found.ok_or_else(|| {
        AccountError::NotFound(match target {
            Target::Id(id) => format!("id {id:?}"),
            Target::Email(email) => format!("address {email:?}"),
        })
    })
}

/// How many second factors of each kind an account has (never the factors themselves).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Factors {
    pub totp: u64,
    pub passkeys: u64,
    /// Recovery codes not used yet.
    pub recovery_codes: u64,
}

/// An account as an administrator sees it.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    pub lock: Lock,
    pub factors: Factors,
}

pub async fn account(state: &AppState, user: User) -> Result<Account, AccountError> {
    let lock = lockout::lock_of(state, &user.email).await?;
    let mut factors = Factors::default();
    for c in state.stores.credentials.list_credentials(&user.id).await? {
        match c.kind {
            CredentialKind::Totp => factors.totp += 1,
            CredentialKind::Passkey => factors.passkeys += 1,
            CredentialKind::RecoveryCode if c.used_at.is_none() => factors.recovery_codes += 1,
            CredentialKind::RecoveryCode => {}
        }
    }
    Ok(Account {
        user,
        lock,
        factors,
    })
}

/// The accounts matching `filter`, oldest first, a page at a time.
pub async fn search(
    state: &AppState,
    filter: &UserFilter,
    offset: u64,
    limit: u64,
) -> Result<Page<Account>, AccountError> {
    let found = state
        .stores
        .users
        .search_users(filter, offset, limit)
        .await?;
    let mut items = Vec::with_capacity(found.items.len());
    for u in found.items {
        items.push(account(state, u).await?);
    }
    Ok(Page {
        items,
        total: found.total,
    })
}

/// Writes `user` if the stored record is still at `read_revision`; the result carries the new
/// revision. A write that came in between makes it `Stale`, never silently overwritten.
pub(crate) async fn write(
    state: &AppState,
    mut user: User,
    read_revision: i64,
) -> Result<User, AccountError> {
    match state
        .stores
        .users
        .update_user_if(&user, read_revision)
        .await
    {
        Ok(true) => {
            user.revision = read_revision + 1;
            Ok(user)
        }
        Ok(false) => Err(AccountError::Stale),
        Err(StorageError::Conflict) => Err(AccountError::Invalid {
            field: "email",
            detail: "another account has this address".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Disables an account (every session ends and every grant is revoked at once, so no
/// service keeps acting for it) or enables it again. An account that asked for its
/// deletion stays disabled: enabling it would undo the owner's request behind their back.
pub async fn set_disabled(
    state: &AppState,
    target: Target<'_>,
    disabled: bool,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, AccountError> {
    let read = find(state, target).await?;
    if !disabled && read.deletion_requested_at.is_some() {
        return Err(AccountError::PendingErasure(read.email));
    }
    let mut user = read.clone();
    user.disabled = disabled;
    user.updated_at = state.now();
    let user = write(state, user, read.revision).await?;
    if disabled {
        accounts::revoke_everything(state, &user.id).await?;
    }
    let what = if disabled {
        "disable user"
    } else {
        "enable user"
    };
    user_event(state, actor, meta, &user, audit::ADMIN, what).await;
    Ok(user)
}

#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("{0:?} is not an email address")]
    BadEmail(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Lifts every lock of an address, which need not have an account (locks are kept per
/// address); returns whether a permanent lock was lifted.
pub async fn unlock(
    state: &AppState,
    email: &str,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<bool, UnlockError> {
    let email = normalize_email(email).ok_or_else(|| UnlockError::BadEmail(email.into()))?;
    let user = state.stores.users.find_user_by_email(&email).await?;
    Ok(unlock_address(state, &email, user.as_ref(), actor, meta).await?)
}

/// [`unlock`] for an account.
pub async fn unlock_user(
    state: &AppState,
    user: &User,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<bool, StorageError> {
    unlock_address(state, &user.email, Some(user), actor, meta).await
}

async fn unlock_address(
    state: &AppState,
    email: &str,
    user: Option<&User>,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<bool, StorageError> {
    let permanent = lockout::unlock(state, email).await?;
    let user_id = user.map(|u| u.id.as_str());
    for (kind, what) in [(audit::ADMIN, "unlock"), (audit::UNLOCK, "administrator")] {
        audit::record(
            state,
            Entry {
                kind,
                outcome: crate::audit::Outcome::Success,
                user_id,
                email: Some(email),
                meta,
                detail: Some(what.into()),
                actor: Some(actor),
                ..Default::default()
            },
        )
        .await;
    }
    Ok(permanent)
}
