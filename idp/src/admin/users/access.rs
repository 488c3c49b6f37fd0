//! What an account holds and an administrator can take away: second factors, sessions and
//! grants, and the account itself (the owner's deletion path, with its grace period).

use super::{AccountError, user_event};
use crate::{
    accounts::{
        self,
        deletion::{self, Deletion},
    },
    audit::{self, Actor, RequestMeta},
    authn::session,
    notices::{self, What},
    state::AppState,
    storage::{CredentialKind, Grant, Page, SessionRecord, User},
};

/// Removes every second factor (TOTP, passkeys, recovery codes) of a person who lost them,
/// ends every session and revokes every grant, so whoever holds a factor or a session now
/// loses it, and tells the owner by email. Returns how many factors were removed.
pub async fn reset_factors(
    state: &AppState,
    user: &User,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<u64, AccountError> {
    let mut removed = 0;
    for kind in [
        CredentialKind::Totp,
        CredentialKind::Passkey,
        CredentialKind::RecoveryCode,
    ] {
        removed += state
            .stores
            .credentials
            .delete_credentials_of_kind(&user.id, kind)
            .await?;
    }
    accounts::revoke_everything(state, &user.id).await?;
    let what = format!("reset factors: {removed} removed, sessions ended, grants revoked");
    user_event(state, actor, meta, user, audit::FACTOR_REMOVED, &what).await;
    notices::security_notice(state, user, What::FactorRemoved).await;
    Ok(removed)
}

/// The owner's deletion, asked for by an administrator: sign-in stops at once, everything is
/// revoked, the owner is told, and the data is erased after the grace period. Asking again
/// keeps the first request (and its grace period). Refused for an organisation's last admin.
pub async fn request_deletion(
    state: &AppState,
    user: &User,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, AccountError> {
    if user.deletion_requested_at.is_some() {
        return Ok(user.clone());
    }
    match deletion::request_by(state, user, Some(actor), meta).await? {
        Deletion::Requested => super::find(state, super::Target::Id(&user.id)).await,
        Deletion::LastAdmin(orgs) => Err(AccountError::LastAdmin(orgs)),
    }
}

/// The account's sessions that have not expired, newest first.
pub async fn sessions(state: &AppState, user: &User) -> Result<Vec<SessionRecord>, AccountError> {
    Ok(session::list_for_user(state, &user.id).await?)
}

/// Which of the account's sessions or grants to end: one by its id, or all.
#[derive(Debug, Clone, Copy)]
pub enum Revocation<'a> {
    One(&'a str),
    All,
}

/// Ends one session of the account (`NotFound` if it has no such session) or all of them;
/// returns how many ended. Their cookies sign nobody in any more.
pub async fn revoke_sessions(
    state: &AppState,
    user: &User,
    which: Revocation<'_>,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<u64, AccountError> {
    let ended = match which {
        Revocation::One(sid) => {
            if !session::end_by_sid(state, &user.id, sid).await? {
                return Err(AccountError::NotFound(format!("session {sid:?}")));
            }
            1
        }
        Revocation::All => session::end_all_for_user(state, &user.id).await?,
    };
    let what = match which {
        Revocation::One(sid) => format!("end session {sid}"),
        Revocation::All => format!("end all sessions ({ended})"),
    };
    user_event(state, actor, meta, user, audit::SESSION_ENDED, &what).await;
    Ok(ended)
}

/// The account's grants not revoked, newest first.
pub async fn grants(
    state: &AppState,
    user: &User,
    offset: u64,
    limit: u64,
) -> Result<Page<Grant>, AccountError> {
    Ok(state
        .stores
        .grants
        .list_user_grants(&user.id, offset, limit)
        .await?)
}

/// Revokes one grant of the account (`NotFound` unless it is the account's and still active)
/// or all of them; their access and refresh tokens are refused from then on. Returns how
/// many were revoked.
pub async fn revoke_grants(
    state: &AppState,
    user: &User,
    which: Revocation<'_>,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<u64, AccountError> {
    let grants = &state.stores.grants;
    let (revoked, what) = match which {
        Revocation::One(gid) => {
            let gone = || AccountError::NotFound(format!("grant {gid:?}"));
            let grant = grants.find_grant(gid).await?.ok_or_else(gone)?;
            if grant.user_id.as_deref() != Some(user.id.as_str())
                || !grants.revoke_grant(gid, state.now()).await?
            {
                return Err(gone());
            }
            (1, format!("revoke grant {gid} of {}", grant.client_id))
        }
        Revocation::All => {
            let n = grants.revoke_user_grants(&user.id, state.now()).await?;
            (n, format!("revoke all grants ({n})"))
        }
    };
    user_event(state, actor, meta, user, audit::ADMIN, &what).await;
    Ok(revoked)
}
