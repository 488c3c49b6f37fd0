//! The back-channel logout receiver (OpenID Connect Back-Channel Logout 1.0): Postern POSTs
//! a logout token when a session there ends, and the portal ends every visit that came from
//! that session — server to server, with no browser in between.

use std::sync::Arc;

use axum::{
    Form, Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use provider_keys::{ProviderKeys, Verified};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Portal;

/// The `events` member that makes a JWT a logout token (§2.4).
pub const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Whom a valid logout token signs out: the session `sid` (of `sub`, when given), or without
/// a `sid` every session of `sub`.
#[derive(Debug, PartialEq, Eq)]
pub struct Ended {
    pub sid: Option<String>,
    pub sub: Option<String>,
}

impl Ended {
    /// Whether a visit that signed in with this `sid` and `sub` ends.
    pub fn ends(&self, sid: Option<&str>, sub: &str) -> bool {
        let same_sub = self.sub.as_deref().is_none_or(|s| s == sub);
        match &self.sid {
            Some(ended) => sid == Some(ended.as_str()) && same_sub,
            None => self.sub.is_some() && same_sub,
        }
    }
}

/// Validates logout tokens for one client of one provider (§2.6).
pub struct Receiver {
    pub keys: ProviderKeys,
    pub issuer: String,
    pub client_id: String,
}

impl Receiver {
    /// Whom `token` signs out, or why it is refused.
    pub async fn validate(&self, token: &str, now: i64) -> Result<Ended, String> {
        // Step 1-3: a JWS of the provider's, with an algorithm it signs with.
        let v = self.keys.verify(token).await.map_err(|e| e.to_string())?;
        self.check(&v, now)
    }

    /// Steps 4-7 of §2.6 on a token whose signature verified.
    pub fn check(&self, v: &Verified, now: i64) -> Result<Ended, String> {
        // The explicit type keeps an ID token or an access token, signed by the same keys,
        // from being replayed here as a logout (§2.4).
        if v.typ().as_deref() != Some("logout+jwt") {
            return Err("typ is not logout+jwt".into());
        }
        let c = &v.claims;
        let text = |k: &str| c.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
        if text("iss") != Some(self.issuer.as_str()) {
            return Err("another issuer".into());
        }
        if !audience_contains(c, &self.client_id) {
            return Err("not for this client (aud)".into());
        }
        if c.get("iat").and_then(Value::as_i64).is_none() {
            return Err("no iat".into());
        }
        match c.get("exp").and_then(Value::as_i64) {
            Some(exp) if exp > now => {}
            Some(_) => return Err("expired".into()),
            None => return Err("no exp".into()),
        }
        if text("jti").is_none() {
            return Err("no jti".into());
        }
        if !c
            .get("events")
            .and_then(Value::as_object)
            .and_then(|e| e.get(LOGOUT_EVENT))
            .is_some_and(Value::is_object)
        {
            return Err("no back-channel logout event".into());
        }
        // A nonce would make it an ID token (§2.4: prohibited).
        if c.contains_key("nonce") {
            return Err("a nonce is not allowed".into());
        }
        let ended = Ended {
            sid: text("sid").map(str::to_owned),
            sub: text("sub").map(str::to_owned),
        };
        if ended.sid.is_none() && ended.sub.is_none() {
            return Err("neither sid nor sub".into());
        }
        Ok(ended)
    }
}

fn audience_contains(claims: &Map<String, Value>, client_id: &str) -> bool {
    match claims.get("aud") {
        Some(Value::String(a)) => a == client_id,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(client_id)),
        _ => false,
    }
}

#[derive(Deserialize)]
pub(crate) struct LogoutForm {
    logout_token: Option<String>,
}

/// `POST /backchannel-logout`: 200 when the token is valid (whether or not a visit was
/// open: the provider needs to know only that it was received), else 400 (§2.8).
pub(crate) async fn receive(
    State(p): State<Arc<Portal>>,
    form: Result<Form<LogoutForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    let token = form.ok().and_then(|Form(f)| f.logout_token);
    let Some(token) = token else {
        return refuse("no logout_token");
    };
    let ended = match p.backchannel.validate(&token, crate::now()).await {
        Ok(ended) => ended,
        Err(why) => return refuse(&why),
    };
    let before = p.visits.len();
    p.visits
        .retain(|_, v| !ended.ends(v.sid.as_deref(), &v.sub));
    tracing::info!(ended = before - p.visits.len(), "back-channel logout");
    (StatusCode::OK, no_store).into_response()
}

fn refuse(why: &str) -> Response {
    tracing::warn!(why, "logout token refused");
    (
        StatusCode::BAD_REQUEST,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": "invalid_request"})),
    )
        .into_response()
}

#[cfg(test)]
#[path = "backchannel_tests.rs"]
mod tests;
