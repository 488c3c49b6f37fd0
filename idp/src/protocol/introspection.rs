//! Token introspection (RFC 7662). Any confidential client may introspect access tokens
//! (resource servers do); refresh tokens only by the client they were issued to.

use serde_json::{Value, json};

use super::{access_token, token::family_ends_at};
use crate::{
    crypto::token_hash,
    state::AppState,
    storage::{Client, StorageError},
};

pub async fn introspect(
    state: &AppState,
    client: &Client,
    token: &str,
    hint: Option<&str>,
) -> Result<Value, StorageError> {
    let inactive = json!({ "active": false });
    // The hint only orders the look-ups (RFC 7662 §2.1).
    let refresh_first = hint == Some("refresh_token");
    if !refresh_first && let Some(v) = introspect_access(state, token).await? {
        return Ok(v);
    }
    if let Some(v) = introspect_refresh(state, client, token).await? {
        return Ok(v);
    }
    if refresh_first && let Some(v) = introspect_access(state, token).await? {
        return Ok(v);
    }
    Ok(inactive)
}

async fn introspect_access(state: &AppState, token: &str) -> Result<Option<Value>, StorageError> {
    let Some(c) = access_token::check(state, token).await? else {
        return Ok(None);
    };
    let mut out = json!({ "active": true, "token_type": "Bearer" });
    for k in [
        "scope",
        "client_id",
        "sub",
        "exp",
        "iat",
        "iss",
        "aud",
        "jti",
        "auth_time",
        "acr",
        "amr",
        "sid",
    ] {
        if let Some(v) = c.get(k) {
            out[k] = v.clone();
        }
    }
    Ok(Some(out))
}

async fn introspect_refresh(
    state: &AppState,
    client: &Client,
    token: &str,
) -> Result<Option<Value>, StorageError> {
    let Some(rt) = state
        .stores
        .grants
        .find_refresh_token(&token_hash(token))
        .await?
    else {
        return Ok(None);
    };
    if rt.client_id != client.client_id || rt.used_at.is_some() || rt.expires_at <= state.now() {
        return Ok(None);
    }
    let Some(grant) = state.stores.grants.find_grant(&rt.grant_id).await? else {
        return Ok(None);
    };
    if grant.revoked_at.is_some() || family_ends_at(state, &grant) <= state.now() {
        return Ok(None);
    }
    let mut out = json!({
        "active": true,
        "scope": rt.scope.to_string(),
        "client_id": rt.client_id,
        "exp": rt.expires_at,
        "iat": rt.created_at,
        "iss": state.config.issuer,
    });
    if let Some(sub) = grant.user_id {
        out["sub"] = Value::String(sub);
    }
    Ok(Some(out))
}
