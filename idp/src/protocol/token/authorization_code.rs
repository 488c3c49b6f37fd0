//! The authorization code grant (RFC 6749 §4.1.3; RFC 7636 §4.6).

use std::{collections::HashMap, time::Duration};

use super::{TokenResponse, issue_for_user, required};
use crate::{
    audit::{self, Entry, RequestMeta},
    protocol::{
        authorize::{CodeRecord, code_key, used_code_key},
        error::OAuthError,
        pkce,
    },
    state::AppState,
    storage::{Client, Grant, ephemeral},
};

/// How long a redeemed code is remembered, so that a replay can revoke what it issued.
const USED_CODE_MEMORY: Duration = Duration::from_secs(3600);

pub async fn exchange(
    state: &AppState,
    client: &Client,
    p: &HashMap<String, String>,
    meta: &RequestMeta,
    jkt: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    let code = required(p, "code")?;
    let redirect_uri = required(p, "redirect_uri")?;
    let store = state.ephemeral.as_ref();
    // `take` is the atomic consumption: of two concurrent redemptions one gets the record.
    let Some(record) = ephemeral::take_json::<CodeRecord>(store, &code_key(code)).await? else {
        if let Some(grant_id) = store.get(&used_code_key(code)).await? {
            let grant_id = String::from_utf8_lossy(&grant_id).into_owned();
            state
                .stores
                .grants
                .revoke_grant(&grant_id, state.now())
                .await?;
            tracing::warn!(client_id = %client.client_id, "authorization code replayed; its tokens are revoked");
            audit::record(
                state,
                Entry {
                    kind: audit::CODE_REPLAY,
                    outcome: crate::audit::Outcome::Failure,
                    client_id: Some(&client.client_id),
                    meta: Some(meta),
                    detail: Some("tokens of the code revoked".into()),
                    ..Default::default()
                },
            )
            .await;
        }
        return Err(OAuthError::invalid_grant(
            "the code is invalid, expired or already used",
        ));
    };
    store
        .put(
            &used_code_key(code),
            record.grant_id.clone().into_bytes(),
            USED_CODE_MEMORY,
        )
        .await?;
    if record.client_id != client.client_id {
        return Err(OAuthError::invalid_grant(
            "the code was issued to another client",
        ));
    }
    if record.expires_at <= state.now() {
        return Err(OAuthError::invalid_grant("the code has expired"));
    }
    // RFC 9449 §10: a code bound to a DPoP key is redeemed only with a proof of that key.
    if let Some(bound) = &record.dpop_jkt
        && jkt != Some(bound.as_str())
    {
        return Err(OAuthError::invalid_dpop_proof(
            "the code is bound to a DPoP key: redeem it with a proof of that key",
        ));
    }
    if record.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant(
            "redirect_uri differs from the authorization request",
        ));
    }
    match (&record.code_challenge, p.get("code_verifier")) {
        (Some(challenge), Some(verifier)) => {
            if !pkce::is_valid_verifier_syntax(verifier) || !pkce::verify_s256(verifier, challenge)
            {
                return Err(OAuthError::invalid_grant(
                    "code_verifier does not match the code_challenge",
                ));
            }
        }
        (Some(_), None) => return Err(OAuthError::invalid_grant("code_verifier is required")),
        // A verifier without a challenge is an injection attempt (RFC 9700 §2.1.1).
        (None, Some(_)) => {
            return Err(OAuthError::invalid_grant(
                "code_verifier given but no code_challenge was",
            ));
        }
        (None, None) => {}
    }
    let user = state
        .stores
        .users
        .find_user(&record.authn.sub)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| OAuthError::invalid_grant("the user is no longer active"))?;
    let grant = Grant {
        id: record.grant_id.clone(),
        client_id: client.client_id.clone(),
        user_id: Some(user.id.clone()),
        session_id: Some(record.authn.sid.clone()),
        scope: record.scope.clone(),
        auth_time: Some(record.authn.auth_time),
        acr: Some(record.authn.acr.as_str().to_owned()),
        amr: record
            .authn
            .amr
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        claims: record.claims.clone(),
        created_at: state.now(),
        revoked_at: None,
        org_id: record.org_id.clone(),
    };
    state.stores.grants.create_grant(&grant).await?;
    // The session the code was issued in must still be there: a code redeemed after the
    // person signed out (or was signed out) would otherwise start tokens in a session no
    // logout reaches any more. Checked after the grant is written, so that a session ending
    // at the same moment either finds the grant (and revokes it, and tells the client) or
    // is found gone here.
    let live = state
        .stores
        .sessions
        .list_sessions(&user.id, state.now())
        .await?
        .iter()
        .any(|s| s.id == record.authn.sid);
    if !live {
        state
            .stores
            .grants
            .revoke_grant(&grant.id, state.now())
            .await?;
        return Err(OAuthError::invalid_grant(
            "the session the code was issued in has ended",
        ));
    }
    issue_for_user(
        state,
        client,
        &grant,
        &user,
        &record.scope,
        record.nonce.as_deref(),
        jkt,
    )
    .await
}
