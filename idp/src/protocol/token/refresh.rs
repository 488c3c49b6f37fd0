//! The refresh token grant (RFC 6749 §6) with rotation: every use returns a new refresh
//! token, and a rotated one coming back revokes the whole family (OAuth 2.0 Security BCP,
//! RFC 9700 §4.14.2).

use std::collections::HashMap;

use super::{TokenResponse, family_ends_at, issue_for_user, required};
use crate::{
    audit::{self, Entry, RequestMeta},
    crypto::token_hash,
    protocol::{error::OAuthError, types::Scope},
    state::AppState,
    storage::{Client, RefreshUse},
};

pub async fn rotate(
    state: &AppState,
    client: &Client,
    p: &HashMap<String, String>,
    meta: &RequestMeta,
    jkt: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    let presented = required(p, "refresh_token")?;
    let hash = token_hash(presented);
    let now = state.now();
    let invalid = || OAuthError::invalid_grant("the refresh token is invalid, expired or revoked");
    // Checked before consuming, so another client cannot burn someone else's token.
    let token = state
        .stores
        .grants
        .find_refresh_token(&hash)
        .await?
        .ok_or_else(invalid)?;
    if token.client_id != client.client_id || token.expires_at <= now {
        return Err(invalid());
    }
    // Before it is consumed: a thief without the key cannot burn the owner's token.
    if token.jkt.is_some() && token.jkt.as_deref() != jkt {
        return Err(OAuthError::invalid_dpop_proof(
            "this refresh token is bound to a DPoP key: send a proof made with it",
        ));
    }
    let grant = state
        .stores
        .grants
        .find_grant(&token.grant_id)
        .await?
        .filter(|g| g.revoked_at.is_none() && family_ends_at(state, g) > now)
        .ok_or_else(invalid)?;
    match state.stores.grants.use_refresh_token(&hash, now).await? {
        RefreshUse::Consumed(_) => {}
        RefreshUse::AlreadyUsed(_) => {
            state.stores.grants.revoke_grant(&grant.id, now).await?;
            tracing::warn!(client_id = %client.client_id, "rotated refresh token replayed; the grant is revoked");
            audit::record(
                state,
                Entry {
                    kind: audit::REFRESH_TOKEN_REPLAY,
                    outcome: crate::audit::Outcome::Failure,
                    user_id: grant.user_id.as_deref(),
                    client_id: Some(&client.client_id),
                    meta: Some(meta),
                    detail: Some("grant revoked".into()),
                    ..Default::default()
                },
            )
            .await;
            return Err(OAuthError::invalid_grant(
                "the refresh token was already used; every token of this grant is revoked",
            ));
        }
        RefreshUse::Unknown => return Err(invalid()),
    }
    let scope = match p.get("scope") {
        None => grant.scope.clone(),
        Some(raw) => {
            let s =
                Scope::parse(raw).ok_or_else(|| OAuthError::invalid_scope("scope is malformed"))?;
            if !s.is_subset(&grant.scope) {
                return Err(OAuthError::invalid_scope(
                    "scope exceeds the original grant",
                ));
            }
            s
        }
    };
    let user_id = grant.user_id.as_deref().ok_or_else(invalid)?;
    let user = state
        .stores
        .users
        .find_user(user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(invalid)?;
    if !client.admits(&user) {
        return Err(OAuthError::invalid_grant(
            "the service now requires a verified identity",
        ));
    }
    issue_for_user(state, client, &grant, &user, &scope, None, jkt).await
}
