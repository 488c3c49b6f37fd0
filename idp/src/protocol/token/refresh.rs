//! The refresh token grant (RFC 6749 §6) with rotation: every use returns a new refresh
//! token, and a rotated one coming back revokes the whole family (OAuth 2.0 Security BCP,
//! RFC 9700 §4.14.2).
//!
//! A refresh token reads `<grant id>.<secret>` (87 characters). The grant is known before
//! the token is consumed, so the successor is stored in the same round trip as the
//! consumption (one hand-off to SQLite's connection thread where there were two). The grant
//! id is no secret (access tokens carry it as `gid`), and tokens are found by the hash of
//! the whole string: a token with another id in front is an unknown token. Tokens made
//! before this (a bare secret) still rotate, the long way, into the new form.

use std::collections::HashMap;

use super::{Issue, Renewal, TokenResponse, family_ends_at, issue_for_user, required};
use crate::{
    audit::{self, Entry, RequestMeta},
    crypto::{new_token, token_hash},
    protocol::{
        error::OAuthError,
        types::{GRANT_REFRESH_TOKEN, Scope},
    },
    state::AppState,
    storage::{Client, Grant, RefreshPresenter, RefreshToken, RefreshUse, User},
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
    // The usual case is prepared from memory before anything is written: the grant the
    // token names is this client's and live, the request passes its checks, and the
    // successor is made. Anything else goes the long way, which consumes the token first
    // and then says what is wrong, as before. (The organisation context is checked as the
    // tokens are issued, on both ways: a grant whose context is gone is revoked there, and
    // the successor with it.)
    let ready = match grant_named_in(presented) {
        Some(id) => ready(state, client, p, id, jkt, now).await,
        None => None,
    };
    // The consumption is one step that checks the client, the expiry, the DPoP key and that
    // the grant is not revoked: another client, or a thief without the key, cannot burn the
    // owner's token, and a revocation through another node (which this node's remembered
    // grant may not show yet) stops the family here at once. On the long way the family's
    // absolute end is checked after; a token this burns past it was dead anyway.
    let by = RefreshPresenter {
        client_id: &client.client_id,
        jkt,
        now,
    };
    let successor = ready.as_ref().and_then(|r| r.successor.as_ref());
    let grants = &state.stores.grants;
    let token = match grants
        .use_refresh_token(&hash, by, successor.map(|(_, record)| record))
        .await?
    {
        RefreshUse::Consumed(token) => token,
        RefreshUse::Unknown => return Err(invalid()),
        RefreshUse::Refused(token) => return Err(refused(state, client, meta, &token, by).await?),
    };
    // Consumed as a token of `r.grant` (the store checks that when it stores a successor;
    // without one, this does), which the same statement found unrevoked on the primary.
    if let Some(r) = ready.filter(|r| r.grant.id == token.grant_id) {
        state.metrics.refresh_rotated("prepared");
        let issue = Issue {
            grant: &r.grant,
            user: &r.user,
            scope: &r.scope,
            nonce: None,
            jkt,
            refresh: Renewal::Stored(r.successor.map(|(token, _)| token)),
        };
        return issue_for_user(state, client, issue).await;
    }
    let grant = live_grant(state, &token.grant_id, now)
        .await?
        .ok_or_else(invalid)?;
    let (scope, user) = checked(state, client, p, &grant).await?;
    state.metrics.refresh_rotated("long");
    let issue = Issue {
        grant: &grant,
        user: &user,
        scope: &scope,
        nonce: None,
        jkt,
        refresh: Renewal::Mint,
    };
    issue_for_user(state, client, issue).await
}

fn invalid() -> OAuthError {
    OAuthError::invalid_grant("the refresh token is invalid, expired or revoked")
}

/// A new refresh token of `grant` and its record, when the client may refresh and
/// `offline_access` was granted.
pub(super) fn new_refresh_token(
    state: &AppState,
    client: &Client,
    grant: &Grant,
    jkt: Option<&str>,
) -> Option<(String, RefreshToken)> {
    if !grant.scope.contains("offline_access") || !client.allows_grant(GRANT_REFRESH_TOKEN) {
        return None;
    }
    let token = format!("{}.{}", grant.id, new_token());
    let now = state.now();
    let record = RefreshToken {
        token_hash: token_hash(&token),
        grant_id: grant.id.clone(),
        client_id: client.client_id.clone(),
        scope: grant.scope.clone(),
        created_at: now,
        expires_at: (now + state.config.tokens.refresh_token_ttl.as_secs() as i64)
            .min(family_ends_at(state, grant)),
        used_at: None,
        // A public client's refresh token is bound to the key too (RFC 9449 §5): it has no
        // other proof of being the client it was issued to.
        jkt: jkt.filter(|_| client.public).map(str::to_owned),
    };
    Some((token, record))
}

/// The grant id a refresh token begins with, if it has one. Split at the last dot: the
/// secret never has one, whatever the id holds.
fn grant_named_in(token: &str) -> Option<&str> {
    let (id, secret) = token.rsplit_once('.')?;
    (!id.is_empty() && id.len() <= 128 && !secret.is_empty()).then_some(id)
}

/// A rotation prepared before the token is consumed.
struct Ready {
    grant: Grant,
    user: User,
    scope: Scope,
    successor: Option<(String, RefreshToken)>,
}

/// The rotation of a token of grant `grant_id`, when that grant is the client's and live
/// and the request passes every check; `None` for anything else (the long way then finds
/// the error).
async fn ready(
    state: &AppState,
    client: &Client,
    p: &HashMap<String, String>,
    grant_id: &str,
    jkt: Option<&str>,
    now: i64,
) -> Option<Ready> {
    let grant = live_grant(state, grant_id, now)
        .await
        .ok()?
        .filter(|g| g.client_id == client.client_id)?;
    let (scope, user) = checked(state, client, p, &grant).await.ok()?;
    let successor = new_refresh_token(state, client, &grant, jkt);
    Some(Ready {
        grant,
        user,
        scope,
        successor,
    })
}

/// The scope a renewal of `grant` asks for (at most the grant's), and the person, who must
/// still be active and admitted by the client.
async fn checked(
    state: &AppState,
    client: &Client,
    p: &HashMap<String, String>,
    grant: &Grant,
) -> Result<(Scope, User), OAuthError> {
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
    Ok((scope, user))
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
