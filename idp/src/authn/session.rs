//! The SSO session: a random value in an HttpOnly cookie, stored (hashed) in the ephemeral
//! store so every node sees it, and listed in the database's session directory so the
//! person can see and end their sessions and a password reset can end all of them.

use serde::{Deserialize, Serialize};

use super::session_end;
use crate::{
    audit::RequestMeta,
    crypto::{new_token, random_token, token_hash},
    model::oauth::AuthnContext,
    model::{Acr, CredentialKind},
    state::AppState,
    storage::{SessionRecord, StorageResult, ephemeral},
};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SsoSession {
    pub authn: AuthnContext,
    pub created_at: i64,
}

fn key(cookie_value: &str) -> String {
    key_of_hash(&token_hash(cookie_value))
}

fn key_of_hash(cookie_hash: &str) -> String {
    format!("sess:{cookie_hash}")
}

/// Longest user agent kept in the directory: enough to name a browser and a device.
const USER_AGENT_MAX: usize = 200;

/// Starts a session; returns the cookie value. `floor` is what it must reach before it
/// counts as signed in (`authn::policy`). `sid` continues the session identifier of the one
/// this replaces for the same person ([`replace`]); `None` starts a new one.
pub async fn create(
    state: &AppState,
    user_id: &str,
    amr: Vec<crate::model::Amr>,
    acr: Acr,
    floor: Acr,
    meta: &RequestMeta,
    sid: Option<String>,
) -> StorageResult<(String, SsoSession)> {
    let now = state.now();
    let session = SsoSession {
        authn: AuthnContext {
            sub: user_id.into(),
            auth_time: now,
            amr,
            acr,
            // Published in tokens; unrelated to the cookie so it reveals nothing about it.
            sid: sid.unwrap_or_else(|| random_token(16)),
            floor,
        },
        created_at: now,
    };
    let cookie = new_token();
    let cookie_hash = token_hash(&cookie);
    let ttl = state.config.session.ttl;
    state
        .stores
        .sessions
        .insert_session(&SessionRecord {
            id: session.authn.sid.clone(),
            user_id: user_id.into(),
            cookie_hash: cookie_hash.clone(),
            created_at: now,
            expires_at: now + ttl.as_secs() as i64,
            user_agent: meta
                .user_agent
                .as_ref()
                .map(|ua| ua.chars().take(USER_AGENT_MAX).collect()),
            ip: meta.ip.clone(),
        })
        .await?;
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &key_of_hash(&cookie_hash),
        &session,
        ttl,
    )
    .await?;
    Ok((cookie, session))
}

/// Writes back a changed session (step-up) for the rest of its lifetime.
pub async fn save(state: &AppState, cookie_value: &str, session: &SsoSession) -> StorageResult<()> {
    let ttl = state.config.session.ttl.as_secs() as i64;
    let left = (session.created_at + ttl - state.now()).max(1) as u64;
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &key(cookie_value),
        session,
        std::time::Duration::from_secs(left),
    )
    .await
}

/// The session behind a cookie, with its floor as it stands now (see [`floor_now`]).
pub async fn load(state: &AppState, cookie_value: &str) -> StorageResult<Option<SsoSession>> {
    let session: Option<SsoSession> =
        ephemeral::get_json(state.ephemeral.as_ref(), &key(cookie_value)).await?;
    let ttl = state.config.session.ttl.as_secs() as i64;
    // The injected clock decides expiry too, so tests can age a session.
    let Some(mut s) = session.filter(|s| state.now() - s.created_at < ttl) else {
        return Ok(None);
    };
    s.authn.floor = floor_now(state, &s.authn).await?;
    Ok(Some(s))
}

/// What a session must reach now: the floor it started with, raised by the deployment's
/// switch and by what the user enrolled since (a password-only session of someone who has
/// since added an authenticator app or a passkey must prove it too). The floor is two
/// factors at most, so a session that holds them needs no look at the credentials.
pub async fn floor_now(state: &AppState, authn: &AuthnContext) -> StorageResult<Acr> {
    let policy = super::policy_of(&state.config.authn);
    let floor = authn.floor.max(policy.floor(Default::default()));
    if authn.acr >= Acr::TwoFactor || floor >= Acr::TwoFactor {
        return Ok(floor);
    }
    let creds = state
        .stores
        .credentials
        .list_credentials(&authn.sub)
        .await?;
    let factors = super::policy::Factors {
        totp: creds.iter().any(|c| c.kind == CredentialKind::Totp),
        passkey: state.webauthn.is_some()
            && creds.iter().any(|c| c.kind == CredentialKind::Passkey),
        ..Default::default()
    };
    Ok(floor.max(policy.floor(factors)))
}

/// Ends the session of this cookie, with what follows ([`session_end`]).
pub async fn end(state: &AppState, cookie_value: &str) -> StorageResult<()> {
    let ended = remove(state, cookie_value).await?;
    session_end::ended(state, ended.as_slice()).await
}

async fn remove(state: &AppState, cookie_value: &str) -> StorageResult<Option<SessionRecord>> {
    let hash = token_hash(cookie_value);
    state.ephemeral.delete(&key_of_hash(&hash)).await?;
    state
        .stores
        .sessions
        .delete_session_by_cookie_hash(&hash)
        .await
}

/// A new sign-in in a browser that has a session: the same person signing in again
/// (`prompt=login`, `max_age`) continues it, so the services it signed in to stay signed in
/// and a later logout still reaches them; returns its `sid` for [`create`]. Anyone else's
/// session ends, with what follows.
pub async fn replace(
    state: &AppState,
    cookie_value: &str,
    user_id: &str,
) -> StorageResult<Option<String>> {
    match remove(state, cookie_value).await? {
        Some(old) if old.user_id == user_id => Ok(Some(old.id)),
        ended => {
            session_end::ended(state, ended.as_slice()).await?;
            Ok(None)
        }
    }
}

/// The user's sessions that have not expired, newest first.
pub async fn list_for_user(state: &AppState, user_id: &str) -> StorageResult<Vec<SessionRecord>> {
    state
        .stores
        .sessions
        .list_sessions(user_id, state.now())
        .await
}

/// Ends one session of the user by its `sid`; false when the user has no such session.
pub async fn end_by_sid(state: &AppState, user_id: &str, sid: &str) -> StorageResult<bool> {
    match state.stores.sessions.delete_session(user_id, sid).await? {
        Some(r) => {
            state.ephemeral.delete(&key_of_hash(&r.cookie_hash)).await?;
            session_end::ended(state, &[r]).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Ends every session of the user (password reset, deletion, "sign out everywhere").
pub async fn end_all_for_user(state: &AppState, user_id: &str) -> StorageResult<u64> {
    let ended = state.stores.sessions.delete_user_sessions(user_id).await?;
    for r in &ended {
        state.ephemeral.delete(&key_of_hash(&r.cookie_hash)).await?;
    }
    session_end::ended(state, &ended).await?;
    Ok(ended.len() as u64)
}
