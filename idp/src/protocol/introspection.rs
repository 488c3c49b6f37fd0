//! Token introspection (RFC 7662). A confidential client introspects the tokens issued to
//! it or naming it as audience; a resource server that checks other clients' access tokens
//! is registered with the scope [`SCOPE_INTROSPECTION`]. Refresh tokens are introspected
//! only by the client they were issued to. Any other token is answered exactly like one that
//! does not exist (RFC 7662 §2.2), so a client learns nothing about tokens not its own.

use serde_json::{Value, json};

use super::{access_token, token::family_ends_at};
use crate::{
    crypto::token_hash,
    orgs::{self, GrantContext},
    state::AppState,
    storage::{Client, StorageError},
};

/// A client registered with this scope may introspect every access token (the smallest
/// permission the client model has: `idp clients create --scope introspection`, like the
/// management API's `admin`).
pub const SCOPE_INTROSPECTION: &str = "introspection";

pub async fn introspect(
    state: &AppState,
    client: &Client,
    token: &str,
    hint: Option<&str>,
) -> Result<Value, StorageError> {
    let inactive = json!({ "active": false });
    // The hint only orders the look-ups (RFC 7662 §2.1).
    let refresh_first = hint == Some("refresh_token");
    if !refresh_first && let Some(v) = introspect_access(state, client, token).await? {
        return Ok(v);
    }
    if let Some(v) = introspect_refresh(state, client, token).await? {
        return Ok(v);
    }
    if refresh_first && let Some(v) = introspect_access(state, client, token).await? {
        return Ok(v);
    }
    Ok(inactive)
}

/// Whether `client` may see the access token with `claims`: its own (`client_id`), one
/// naming it as audience, or any when it holds [`SCOPE_INTROSPECTION`].
fn may_see(client: &Client, claims: &serde_json::Map<String, Value>) -> bool {
    let me = client.client_id.as_str();
    let audience = match claims.get("aud") {
        Some(Value::String(a)) => a == me,
        Some(Value::Array(all)) => all.iter().any(|a| a.as_str() == Some(me)),
        _ => false,
    };
    client.scopes.contains(SCOPE_INTROSPECTION)
        || audience
        || claims.get("client_id").and_then(Value::as_str) == Some(me)
}

async fn introspect_access(
    state: &AppState,
    client: &Client,
    token: &str,
) -> Result<Option<Value>, StorageError> {
    let Some(c) = access_token::check(state, token).await? else {
        return Ok(None);
    };
    if !may_see(client, &c) {
        return Ok(None);
    }
    // A token bound to a DPoP key says so, with the key's thumbprint (RFC 9449 §6.2), so a
    // resource server can check the proof.
    let token_type = if c.contains_key("cnf") {
        "DPoP"
    } else {
        "Bearer"
    };
    let mut out = json!({ "active": true, "token_type": token_type });
    for k in [
        "cnf",
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
    if grant.revoked_at.is_some()
        || family_ends_at(state, &grant) <= state.now()
        || orgs::context_of(state, &grant).await? == GrantContext::Gone
    {
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
