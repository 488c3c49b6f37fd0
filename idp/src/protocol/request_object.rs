//! Request objects (RFC 9101, JAR; OIDC Core §6.1): the authorization request as a JWT the
//! client signs with one of its registered keys (those of `private_key_jwt`), passed by
//! value in `request`, at `/authorize` or pushed to `/par`. Only the object's parameters
//! count then; those beside it, but `client_id`, are ignored.

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use super::{
    authorize::{Invalid, single},
    client_assertion,
};
use crate::{state::AppState, storage::Client};

type Params = HashMap<String, Vec<String>>;

/// The longest a request object may be valid (FAPI 2.0 Message Signing: 60 minutes).
const MAX_LIFETIME: i64 = 3600;
/// Tolerated difference between the client's clock and ours.
const LEEWAY: i64 = 30;
const MAX_BYTES: usize = 32 * 1024;

/// The catalogue key of the page shown for a refused request object; the push endpoint
/// answers `invalid_request_object` for it.
pub const REFUSED: &str = "err-request-object";

/// Claims of the JWT itself, not authorization request parameters.
const JWT_CLAIMS: [&str; 6] = ["iss", "aud", "exp", "iat", "nbf", "jti"];

/// The parameters of the request object in `p`, checked; `None` when there is none.
pub async fn unpack(
    state: &AppState,
    p: &Params,
    client: &Client,
) -> Result<Option<Params>, Invalid> {
    let request = match single(p, "request") {
        Ok(None) => return Ok(None),
        Ok(Some(r)) => r,
        Err(_) => return Err(Invalid::Page("err-param-repeated")),
    };
    match verified(state, client, request).await {
        Ok(params) => Ok(Some(params)),
        Err(why) => {
            tracing::info!(client_id = %client.client_id, %why, "request object refused");
            Err(Invalid::Page(REFUSED))
        }
    }
}

fn header(jwt: &str) -> Option<Map<String, Value>> {
    let part = jwt.split('.').next()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

async fn verified(state: &AppState, client: &Client, jwt: &str) -> Result<Params, String> {
    if jwt.len() > MAX_BYTES {
        return Err("too large".into());
    }
    let h = header(jwt).ok_or("not a signed JWT")?;
    let alg = h.get("alg").and_then(Value::as_str).unwrap_or_default();
    let allowed = match &client.request_object_alg {
        Some(a) => a.as_str() == alg,
        None => true,
    } && super::profile::algorithms(client).contains(&alg);
    if !allowed {
        return Err(format!("alg {alg:?} is not accepted for this client"));
    }
    let kid = h.get("kid").and_then(Value::as_str);
    let verifier = client_assertion::key_for(state, client, alg, kid)
        .await
        .map_err(|e| e.to_string())?;
    let (payload, _) = josekit::jwt::decode_with_verifier(jwt, &*verifier)
        .map_err(|_| "the signature does not verify")?;
    let c = payload.claims_set();
    check_claims(c, &client.client_id, &state.config.issuer, state.now())?;
    Ok(params_of(c))
}

fn check_claims(
    c: &Map<String, Value>,
    client_id: &str,
    issuer: &str,
    now: i64,
) -> Result<(), String> {
    let text = |n: &str| c.get(n).and_then(Value::as_str);
    // RFC 9101 §5: the object names its client, which must be the one outside it.
    if text("client_id") != Some(client_id) {
        return Err("client_id must be the client's".into());
    }
    if c.contains_key("iss") && text("iss") != Some(client_id) {
        return Err("iss must be the client's id".into());
    }
    let aud_ok = match c.get("aud") {
        Some(Value::String(a)) => a == issuer,
        Some(Value::Array(a)) => a.iter().any(|x| x == issuer),
        _ => false,
    };
    if !aud_ok {
        return Err("aud must be the issuer".into());
    }
    let exp = c
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or("exp is required")?;
    if exp <= now - LEEWAY {
        return Err("expired".into());
    }
    if exp - now > MAX_LIFETIME + LEEWAY {
        return Err(format!("valid for {MAX_LIFETIME} s at most"));
    }
    if c.get("nbf")
        .and_then(Value::as_i64)
        .is_some_and(|t| t > now + LEEWAY)
    {
        return Err("nbf is in the future".into());
    }
    if c.contains_key("request") || c.contains_key("request_uri") {
        return Err("a request object holds no other".into());
    }
    Ok(())
}

/// The authorization request parameters of the object: strings as they are, numbers as
/// their digits, objects (`claims`) as their JSON text.
fn params_of(c: &Map<String, Value>) -> Params {
    c.iter()
        .filter(|(k, _)| !JWT_CLAIMS.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Object(_) | Value::Array(_) => v.to_string(),
                Value::Bool(_) | Value::Null => return None,
            };
            Some((k.clone(), vec![v]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn claims(f: impl FnOnce(&mut Map<String, Value>)) -> Map<String, Value> {
        let mut c = json!({
            "client_id": "rp", "iss": "rp", "aud": "https://id.test", "exp": NOW + 300,
            "response_type": "code", "max_age": 60, "claims": {"userinfo": {"email": null}}
        })
        .as_object()
        .unwrap()
        .clone();
        f(&mut c);
        c
    }

    #[test]
    fn the_object_must_name_its_client_and_the_issuer_and_be_short_lived() {
        let ok = |c: &Map<String, Value>| check_claims(c, "rp", "https://id.test", NOW);
        assert!(ok(&claims(|_| {})).is_ok());
        for (what, c) in [
            (
                "other client",
                claims(|c| drop(c.insert("client_id".into(), json!("x")))),
            ),
            ("no client", claims(|c| drop(c.remove("client_id")))),
            (
                "other iss",
                claims(|c| drop(c.insert("iss".into(), json!("x")))),
            ),
            (
                "other aud",
                claims(|c| drop(c.insert("aud".into(), json!("https://x")))),
            ),
            ("no exp", claims(|c| drop(c.remove("exp")))),
            (
                "expired",
                claims(|c| drop(c.insert("exp".into(), json!(NOW - 60)))),
            ),
            (
                "too long",
                claims(|c| drop(c.insert("exp".into(), json!(NOW + 7200)))),
            ),
            (
                "nbf ahead",
                claims(|c| drop(c.insert("nbf".into(), json!(NOW + 600)))),
            ),
            (
                "nested",
                claims(|c| drop(c.insert("request".into(), json!("x")))),
            ),
        ] {
            assert!(ok(&c).is_err(), "{what}");
        }
    }

    #[test]
    fn parameters_are_the_claims_but_the_jwt_ones() {
        let p = params_of(&claims(|_| {}));
        assert_eq!(p["max_age"], ["60"]);
        assert_eq!(p["claims"], [r#"{"userinfo":{"email":null}}"#]);
        assert!(!p.contains_key("exp") && !p.contains_key("aud"));
    }
}
