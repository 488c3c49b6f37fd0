//! The authorization code grant (RFC 6749 §4.1.3; RFC 7636 §4.6).

use std::{collections::HashMap, time::Duration};

use super::{
    Issue, Renewal, TokenResponse, active_user, issue_for_user, required, start_grant, user_grant,
};
use crate::{
    audit::{self, Entry, RequestMeta},
    protocol::{
        authorize::{CodeRecord, code_key, used_code_key},
        error::OAuthError,
        pkce,
    },
    state::AppState,
    storage::{Client, ephemeral},
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
    let user = active_user(state, &record.authn.sub).await?;
    let grant = user_grant(
        state,
        record.grant_id.clone(),
        client,
        &record.authn,
        &record.scope,
        record.claims.clone(),
        record.org_id.clone(),
    );
    start_grant(
        state,
        &grant,
        &user,
        "the session the code was issued in has ended",
    )
    .await?;
    let issue = Issue {
        grant: &grant,
        user: &user,
        scope: &record.scope,
        nonce: record.nonce.as_deref(),
        jkt,
        refresh: Renewal::Mint,
    };
    issue_for_user(state, client, issue).await
}
