//! Access tokens: RFC 9068 JWTs (`typ: at+jwt`) by default, opaque handles per client.
//! Both kinds can be checked here against revocation, which introspection and userinfo use.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{
    error::OAuthError,
    types::{AccessTokenFormat, AuthnContext, Scope},
};
use crate::{
    crypto::{new_token, token_hash},
    state::AppState,
    storage::{Client, Grant, StorageError, ephemeral},
};

pub struct Issued {
    pub token: String,
    pub expires_in: i64,
}

/// The subject and context a token is issued for.
pub struct Subject<'a> {
    pub sub: &'a str,
    pub scope: &'a Scope,
    pub authn: Option<&'a AuthnContext>,
    pub grant_id: Option<&'a str>,
    /// More claims for the token (the organisation context).
    pub extra: Option<&'a Map<String, Value>>,
    /// The thumbprint of the DPoP key the token is bound to (RFC 9449 §6: `cnf.jkt`).
    pub jkt: Option<&'a str>,
}

fn opaque_key(token: &str) -> String {
    format!("at:{}", token_hash(token))
}

fn revoked_key(jti: &str) -> String {
    format!("at-revoked:{jti}")
}

pub async fn issue(
    state: &AppState,
    client: &Client,
    s: Subject<'_>,
) -> Result<Issued, OAuthError> {
    let now = state.now();
    let ttl = state.config.tokens.access_token_ttl.as_secs() as i64;
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(state.config.issuer));
    claims.insert("sub".into(), json!(s.sub));
    claims.insert("aud".into(), json!(client.client_id));
    claims.insert("client_id".into(), json!(client.client_id));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + ttl));
    claims.insert("jti".into(), json!(new_token()));
    if !s.scope.is_empty() {
        claims.insert("scope".into(), json!(s.scope.to_string()));
    }
    if let Some(a) = s.authn {
        claims.insert("auth_time".into(), json!(a.auth_time));
        claims.insert("acr".into(), json!(a.acr));
        claims.insert("amr".into(), json!(a.amr));
        claims.insert("sid".into(), json!(a.sid));
    }
    if let Some(extra) = s.extra {
        claims.extend(extra.clone());
    }
    if let Some(jkt) = s.jkt {
        claims.insert("cnf".into(), json!({ "jkt": jkt }));
    }
    if let Some(g) = s.grant_id {
        // Lets introspection and userinfo see a revoked grant (code replay, logout).
        claims.insert("gid".into(), json!(g));
    }
    let token = match client.access_token_format {
        AccessTokenFormat::Jwt => state
            .keys
            .current()
            .sign(state.config.signing.access_token_alg, "at+jwt", claims)
            .map_err(|e| {
                tracing::error!(error = %e, "signing an access token failed");
                OAuthError::server_error()
            })?,
        AccessTokenFormat::Opaque => {
            let token = new_token();
            ephemeral::put_json(
                state.ephemeral.as_ref(),
                &opaque_key(&token),
                &Value::Object(claims),
                Duration::from_secs(ttl as u64),
            )
            .await?;
            token
        }
    };
    Ok(Issued {
        token,
        expires_in: ttl,
    })
}

/// The claims of an active access token, or `None` for anything else (unknown, expired,
/// revoked, another issuer's, or not an access token at all).
pub async fn check(
    state: &AppState,
    token: &str,
) -> Result<Option<Map<String, Value>>, StorageError> {
    Ok(check_with_grant(state, token)
        .await?
        .map(|(claims, _)| claims))
}

/// [`check`], also returning the token's grant when it has one (user tokens), so a caller
/// that needs the grant does not read it a second time.
pub async fn check_with_grant(
    state: &AppState,
    token: &str,
) -> Result<Option<(Map<String, Value>, Option<Grant>)>, StorageError> {
    let now = state.now();
    let claims = if token.contains('.') {
        let Ok((claims, typ)) = state.keys.current().verify(token) else {
            return Ok(None);
        };
        if typ.as_deref() != Some("at+jwt") {
            return Ok(None);
        }
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if state.ephemeral.get(&revoked_key(jti)).await?.is_some() {
            return Ok(None);
        }
        claims
    } else {
        match ephemeral::get_json::<Value>(state.ephemeral.as_ref(), &opaque_key(token)).await? {
            Some(Value::Object(c)) => c,
            _ => return Ok(None),
        }
    };
    if claims.get("iss").and_then(Value::as_str) != Some(state.config.issuer.as_str()) {
        return Ok(None);
    }
    if claims
        .get("exp")
        .and_then(Value::as_i64)
        .is_none_or(|exp| exp <= now)
    {
        return Ok(None);
    }
    let grant = match claims.get("gid").and_then(Value::as_str) {
        Some(gid) => match state.stores.grants.find_grant(gid).await? {
            Some(g) if g.revoked_at.is_none() => Some(g),
            _ => return Ok(None),
        },
        None => None,
    };
    // A client-credentials token has no grant to revoke: it is active only while its client
    // is registered and enabled (a lookup the client cache answers).
    let client_id = claims
        .get("client_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // A disabled client's tokens stop; so do those issued before its last disable, which
    // have no grant to revoke (client credentials) and would otherwise live again once the
    // client is enabled.
    let issued = claims.get("iat").and_then(Value::as_i64).unwrap_or(0);
    match state.stores.clients.find_client(client_id).await? {
        Some(c) if !c.disabled && c.disabled_at.is_none_or(|at| issued > at) => {}
        _ => return Ok(None),
    }
    // A token issued for acting for an organisation is active only while that still holds;
    // userinfo, introspection and the management API all answer through here.
    if let Some(g) = &grant
        && crate::orgs::context_of(state, g).await? == crate::orgs::GrantContext::Gone
    {
        return Ok(None);
    }
    Ok(Some((claims, grant)))
}

/// Revokes one access token (RFC 7009). JWTs are listed as revoked until they expire.
pub async fn revoke(
    state: &AppState,
    token: &str,
    claims: &Map<String, Value>,
) -> Result<(), StorageError> {
    if token.contains('.') {
        let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
        let left = (exp - state.now()).max(1) as u64;
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default();
        state
            .ephemeral
            .put(&revoked_key(jti), b"1".to_vec(), Duration::from_secs(left))
            .await
    } else {
        state.ephemeral.delete(&opaque_key(token)).await
    }
}
