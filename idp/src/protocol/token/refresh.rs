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
    storage::{Client, Grant, RefreshPresenter, RefreshToken, RefreshUse},
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
    // Consumed first, in one step that checks the client, the expiry, the DPoP key and that
    // the grant is not revoked: another client, or a thief without the key, cannot burn the
    // owner's token, and a revocation through another node (which this node's remembered
    // grant may not show yet) stops the family here at once. The family's absolute end is
    // checked after; a token this burns past it was dead anyway.
    let by = RefreshPresenter {
        client_id: &client.client_id,
        jkt,
        now,
    };
    let token = match state.stores.grants.use_refresh_token(&hash, by).await? {
        RefreshUse::Consumed(token) => token,
        RefreshUse::Unknown => return Err(invalid()),
        RefreshUse::Refused(token) => return Err(refused(state, client, meta, &token, by).await?),
    };
    let grant = live_grant(state, &token.grant_id, now)
        .await?
        .ok_or_else(invalid)?;
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
        .reads
        .find_user_on_primary(user_id)
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

/// The grant a refresh token belongs to, if its tokens may still be renewed.
async fn live_grant(state: &AppState, id: &str, now: i64) -> Result<Option<Grant>, OAuthError> {
    Ok(state
        .stores
        .grants
        .find_grant(id)
        .await?
        .filter(|g| g.revoked_at.is_none() && family_ends_at(state, g) > now))
}

/// Why `token` was not consumed, as the error to answer. A used token coming back from its
/// own client (with its key) is a replay: the whole grant is revoked.
async fn refused(
    state: &AppState,
    client: &Client,
    meta: &RequestMeta,
    token: &RefreshToken,
    by: RefreshPresenter<'_>,
) -> Result<OAuthError, OAuthError> {
    let invalid = || OAuthError::invalid_grant("the refresh token is invalid, expired or revoked");
    if token.client_id != by.client_id || token.expires_at <= by.now {
        return Ok(invalid());
    }
    if token.jkt.is_some() && token.jkt.as_deref() != by.jkt {
        return Ok(OAuthError::invalid_dpop_proof(
            "this refresh token is bound to a DPoP key: send a proof made with it",
        ));
    }
    let Some(grant) = live_grant(state, &token.grant_id, by.now).await? else {
        return Ok(invalid());
    };
    if token.used_at.is_none() {
        // Unused, the presenter's, yet refused: its grant was revoked, which this node's
        // remembered grant does not show yet.
        return Ok(invalid());
    }
    state.stores.grants.revoke_grant(&grant.id, by.now).await?;
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
    Ok(OAuthError::invalid_grant(
        "the refresh token was already used; every token of this grant is revoked",
    ))
}
