//! The SSO session: a random value in an HttpOnly cookie, stored (hashed) in the ephemeral
//! store so every node sees it.

use serde::{Deserialize, Serialize};

use crate::{
    crypto::{new_token, random_token, token_hash},
    protocol::types::AuthnContext,
    state::AppState,
    storage::{StorageResult, ephemeral},
};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SsoSession {
    pub authn: AuthnContext,
    pub created_at: i64,
}

fn key(cookie_value: &str) -> String {
    format!("sess:{}", token_hash(cookie_value))
}

/// Starts a session; returns the cookie value.
pub async fn create(
    state: &AppState,
    user_id: &str,
    amr: Vec<String>,
    acr: &str,
) -> StorageResult<(String, SsoSession)> {
    let now = state.now();
    let session = SsoSession {
        authn: AuthnContext {
            sub: user_id.into(),
            auth_time: now,
            amr,
            acr: acr.into(),
            // Published in tokens; unrelated to the cookie so it reveals nothing about it.
            sid: random_token(16),
        },
        created_at: now,
    };
    let cookie = new_token();
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &key(&cookie),
        &session,
        state.config.session.ttl,
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

pub async fn load(state: &AppState, cookie_value: &str) -> StorageResult<Option<SsoSession>> {
    let session: Option<SsoSession> =
        ephemeral::get_json(state.ephemeral.as_ref(), &key(cookie_value)).await?;
    let ttl = state.config.session.ttl.as_secs() as i64;
    // The injected clock decides expiry too, so tests can age a session.
    Ok(session.filter(|s| state.now() - s.created_at < ttl))
}

pub async fn end(state: &AppState, cookie_value: &str) -> StorageResult<()> {
    state.ephemeral.delete(&key(cookie_value)).await
}
