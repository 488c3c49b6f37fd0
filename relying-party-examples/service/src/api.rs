//! The service's API, a resource server that accepts Postern's access tokens (RFC 6750
//! bearer tokens). A JWT is validated locally (RFC 9068): Postern's signature with its
//! published keys (cached; an unknown `kid` fetches them again, rate-limited), `typ`
//! `at+jwt`, `iss`, `aud` and `exp`. Anything else is an opaque token, which only Postern
//! can read: the API introspects it (RFC 7662), authenticating with the service's key.
//!
//! Postern puts the client's own id in `aud` (`idp/src/protocol/access_token.rs`), so the
//! API's audience is the id of the client whose tokens it serves.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use provider_keys::ProviderKeys;
use serde_json::{Map, Value, json};

use crate::{Provider, ServiceKey, key};

pub struct Api {
    pub provider: Provider,
    /// The `aud` a token must carry.
    pub audience: String,
    keys: ProviderKeys,
    /// Who the API is at Postern's introspection endpoint, and its key.
    client_id: String,
    key: Arc<ServiceKey>,
    http: reqwest::Client,
}

/// Who called, and how the API knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub client_id: Option<String>,
    pub sub: Option<String>,
    pub scope: Option<String>,
    /// `jwt` (validated locally) or `introspection`.
    pub checked_by: &'static str,
}

/// Why a token is refused: said to the caller, never more than that.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

impl Api {
    pub fn new(
        provider: Provider,
        audience: String,
        client_id: String,
        key: Arc<ServiceKey>,
        http: reqwest::Client,
    ) -> Api {
        Api {
            keys: ProviderKeys::new(provider.jwks_uri.clone(), http.clone()),
            provider,
            audience,
            client_id,
            key,
            http,
        }
    }

    /// The caller behind `token`, or why not.
    pub async fn authenticate(&self, token: &str) -> Result<Caller, Refusal> {
        if looks_like_jws(token) {
            self.check_jwt(token).await
        } else {
            self.introspect(token).await
        }
    }

    async fn check_jwt(&self, token: &str) -> Result<Caller, Refusal> {
        let refuse = |why: &str| Err(Refusal(why.to_owned()));
        let v = match self.keys.verify(token).await {
            Ok(v) => v,
            Err(e) => return Err(Refusal(e.to_string())),
        };
        // RFC 9068 §4: the type keeps an ID token (typ JWT) or a logout token, signed by
        // the same keys, from passing for an access token.
        if v.typ().as_deref() != Some("at+jwt") {
            return refuse("not an access token (typ is not at+jwt)");
        }
        let c = &v.claims;
        if c.get("iss").and_then(Value::as_str) != Some(self.provider.issuer.as_str()) {
            return refuse("another issuer");
        }
        if !audience_contains(c, &self.audience) {
            return refuse("not for this API (aud)");
        }
        match c.get("exp").and_then(Value::as_i64) {
            Some(exp) if exp > key::now() => {}
            Some(_) => return refuse("expired"),
            None => return refuse("no exp"),
        }
        Ok(caller(c, "jwt"))
    }

    async fn introspect(&self, token: &str) -> Result<Caller, Refusal> {
        let unavailable = |e: String| {
            tracing::warn!(error = %e, "introspection failed");
            Refusal("the token could not be checked".into())
        };
        let assertion = self
            .key
            .assertion(&self.client_id, &self.provider.token_endpoint)
            .map_err(|e| unavailable(e.to_string()))?;
        let resp = self
            .http
            .post(&self.provider.introspection_endpoint)
            .form(&[
                ("token", token),
                ("token_type_hint", "access_token"),
                ("client_assertion_type", key::ASSERTION_TYPE),
                ("client_assertion", &assertion),
            ])
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| unavailable(e.to_string()))?;
        let answer: Value = resp.json().await.map_err(|e| unavailable(e.to_string()))?;
        let Some(c) = answer.as_object() else {
            return Err(unavailable("not a JSON object".into()));
        };
        if c.get("active") != Some(&Value::Bool(true)) {
            return Err(Refusal("not active".into()));
        }
        // Active means Postern issued it and it is live; the audience is still ours to check.
        if !audience_contains(c, &self.audience) {
            return Err(Refusal("not for this API (aud)".into()));
        }
        Ok(caller(c, "introspection"))
    }
}

/// Three base64url parts: a compact JWS. An opaque Postern token has no dot.
fn looks_like_jws(token: &str) -> bool {
    token.split('.').count() == 3
}

fn audience_contains(claims: &Map<String, Value>, audience: &str) -> bool {
    match claims.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    }
}

fn caller(c: &Map<String, Value>, checked_by: &'static str) -> Caller {
    let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    Caller {
        client_id: s("client_id"),
        sub: s("sub"),
        scope: s("scope"),
        checked_by,
    }
}

/// `GET /shipments`: a bearer token required.
pub fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/shipments", get(shipments))
        .with_state(api)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token.trim())
}

async fn shipments(State(api): State<Arc<Api>>, headers: HeaderMap) -> Response {
    let Some(token) = bearer(&headers) else {
        return unauthorized(None);
    };
    match api.authenticate(token).await {
        Ok(c) => Json(json!({
            "caller": {
                "client_id": c.client_id, "sub": c.sub, "scope": c.scope,
                "checked_by": c.checked_by,
            },
            "shipments": [
                {"id": "CH-1042", "status": "in transit"},
                {"id": "CH-1043", "status": "delivered"},
            ],
        }))
        .into_response(),
        Err(Refusal(why)) => unauthorized(Some(&why)),
    }
}

/// 401 with the RFC 6750 §3 challenge; `invalid_token` when a token was sent.
fn unauthorized(why: Option<&str>) -> Response {
    let (challenge, body) = match why {
        None => ("Bearer".to_owned(), json!({"error": "invalid_request"})),
        Some(why) => (
            // The description is one of our fixed strings; quotes are kept out anyway.
            format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                why.replace(['"', '\\'], "'")
            ),
            json!({"error": "invalid_token", "error_description": why}),
        ),
    };
    let mut r = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}
