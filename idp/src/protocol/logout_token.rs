//! Logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4): what a client is told when a
//! session it received tokens in ends.

use serde_json::{Map, Value, json};

use super::id_token;
use crate::{
    crypto::keys::KeyError,
    state::AppState,
    storage::{Client, LogoutDelivery},
};

/// The `typ` that keeps a logout token from passing for an ID or access token (§2.4,
/// RFC 8725 §3.11); our ID-token hints and access tokens refuse any other `typ` too.
pub const TYP: &str = "logout+jwt";

/// The member of `events` that makes a JWT a logout token.
pub const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Seconds a logout token is valid: the specification recommends at most two minutes. It
/// is signed anew at each attempt, so a retry an hour later is still fresh; its `jti` stays.
pub const TTL: i64 = 120;

/// Signs the logout token of `delivery` for `client`, with the algorithm of the client's ID
/// tokens (which it already verifies). It carries both `sub` and `sid`: every client can then
/// end exactly that session, whether or not it asked for `sid`.
pub fn issue(
    state: &AppState,
    client: &Client,
    delivery: &LogoutDelivery,
) -> Result<String, KeyError> {
    let now = state.now();
    let mut c = Map::new();
    c.insert("iss".into(), json!(state.config.issuer));
    c.insert("aud".into(), json!(client.client_id));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + TTL));
    c.insert("jti".into(), json!(delivery.id));
    c.insert("sub".into(), json!(delivery.sub));
    c.insert("sid".into(), json!(delivery.sid));
    c.insert("events".into(), json!({ EVENT: Value::Object(Map::new()) }));
    state
        .keys
        .current()
        .sign(id_token::alg_for(state, client), TYP, c)
}
