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
    storage::{SessionRecord, StorageError, StorageResult, ephemeral},
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
    let continued = sid.is_some();
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
    let record = SessionRecord {
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
    };
    let sessions = &state.stores.sessions;
    match sessions.insert_session(&record).await {
        // Two sign-ins of the same person continued this session at once (see
        // [`replace`]): the later one takes it over, and the cookie of the other stops.
        Err(StorageError::Conflict) if continued => {
            if let Some(other) = sessions.delete_session(user_id, &record.id).await? {
                state
                    .ephemeral
                    .delete(&key_of_hash(&other.cookie_hash))
                    .await?;
            }
            sessions.insert_session(&record).await?;
        }
        other => other?,
    }
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
    let marker = format!("sess-replaced:{}", token_hash(cookie_value));
    match remove(state, cookie_value).await? {
        Some(old) if old.user_id == user_id => {
            let replaced = Replaced {
                user_id: user_id.into(),
                sid: old.id.clone(),
            };
            ephemeral::put_json(
                state.ephemeral.as_ref(),
                &marker,
                &replaced,
                REPLACED_MEMORY,
            )
            .await?;
            Ok(Some(old.id))
        }
        Some(other) => {
            session_end::ended(state, &[other]).await?;
            Ok(None)
        }
        // Nothing to remove: a sign-in of the same person with this cookie at the same
        // moment (two tabs, a double submit) replaced it first. This one continues the same
        // session too, rather than leaving that one without a cookie, where no logout would
        // reach its services.
        None => {
            let replaced: Option<Replaced> =
                ephemeral::get_json(state.ephemeral.as_ref(), &marker).await?;
            Ok(replaced.filter(|r| r.user_id == user_id).map(|r| r.sid))
        }
    }
}

/// Which session a cookie's session was continued as, for a sign-in racing the one that did.
#[derive(Serialize, Deserialize)]
struct Replaced {
    user_id: String,
    sid: String,
}

/// How long [`Replaced`] is remembered: longer than any sign-in request takes.
const REPLACED_MEMORY: std::time::Duration = std::time::Duration::from_secs(300);

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

/// Ends every session of the user (password reset, deletion, "sign out everywhere"). A
/// session started while this runs (a sign-in at the same moment as a reset) is found by the
/// next round and ended too.
pub async fn end_all_for_user(state: &AppState, user_id: &str) -> StorageResult<u64> {
    let mut count = 0;
    for _ in 0..ROUNDS {
        let ended = state.stores.sessions.delete_user_sessions(user_id).await?;
        if ended.is_empty() {
            break;
        }
        for r in &ended {
            state.ephemeral.delete(&key_of_hash(&r.cookie_hash)).await?;
        }
        session_end::ended(state, &ended).await?;
        count += ended.len() as u64;
    }
    Ok(count)
}

/// Rounds of [`end_all_for_user`]: enough for sign-ins racing a reset, bounded so that a
/// flood of them cannot hold the reset forever.
const ROUNDS: usize = 5;

/// Sessions swept at once by [`end_expired`].
const SWEEP_BATCH: u64 = 500;

/// Ends the sessions that have expired (their cookies stopped working already: the
/// ephemeral store lets them go by itself), so their services are told and their grants
/// end like those of any other ended session. Run by every serving node; of two nodes
/// sweeping at once, each session is ended by one. Returns how many ended.
pub async fn end_expired(state: &AppState) -> StorageResult<u64> {
    let mut count = 0;
    loop {
        let ended = state
            .stores
            .sessions
            .delete_expired_sessions(state.now(), SWEEP_BATCH)
            .await?;
        session_end::ended(state, &ended).await?;
        count += ended.len() as u64;
        if (ended.len() as u64) < SWEEP_BATCH {
            return Ok(count);
        }
    }
}
