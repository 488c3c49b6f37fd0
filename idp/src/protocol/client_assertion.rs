//! `private_key_jwt`: a client proves who it is with a JWT signed by one of its registered
//! keys (RFC 7523 §2.2 and §3; RFC 7521 §4.2; OIDC Core §9).
//!
//! The assertion must be short-lived and used once: `exp` at most [`MAX_LIFETIME`] seconds
//! ahead, and its `jti` is remembered in the ephemeral store until it expires, so a copied
//! assertion is refused by every node. Only asymmetric algorithms are accepted (never `none`,
//! never HMAC, whose key would be a shared secret again). The signature is checked by
//! josekit; the key is the one the header's `kid` names, or, without a `kid`, the only key
//! of the set that fits the algorithm.

use std::{borrow::Cow, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use josekit::{
    jwk::{Jwk, JwkSet},
    jws::{ES256, EdDSA, JwsVerifier, PS256, RS256},
};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::profile;
use crate::{
    crypto::{client_jwks::parse_jwks, token_hash},
    state::AppState,
    storage::{Client, ClientKeys},
};

/// The `client_assertion_type` of a JWT (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The signing algorithms accepted (and advertised in discovery).
pub use crate::model::oauth::CLIENT_ALGORITHMS as ALGORITHMS;
/// The longest an assertion may be valid: it is made for one request.
pub const MAX_LIFETIME: i64 = 300;
/// Tolerated difference between the client's clock and ours.
const LEEWAY: i64 = 30;
/// Far above any real assertion; spares parsing anything larger.
const MAX_ASSERTION_BYTES: usize = 16 * 1024;
const MAX_JTI: usize = 256;

/// Why an assertion was refused: the description of the `invalid_client` answer.
pub type Refusal = Cow<'static, str>;

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

fn segment<T: serde::de::DeserializeOwned>(assertion: &str, index: usize) -> Option<T> {
    let part = assertion.split('.').nth(index)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

/// The client id an assertion names (`iss`), read before anything is verified: only to find
/// the client and count a failure against it.
pub fn claimed_client_id(assertion: &str) -> Option<String> {
    if assertion.len() > MAX_ASSERTION_BYTES {
        return None;
    }
    let claims: Map<String, Value> = segment(assertion, 1)?;
    claims.get("iss")?.as_str().map(str::to_owned)
}

/// A josekit verifier of `alg` for `jwk`, if the key fits the algorithm (type, curve, and
/// its own `alg`, `use` and `key_ops` when it has them).
pub(super) fn verifier_for(alg: &str, jwk: &Jwk) -> Option<Box<dyn JwsVerifier>> {
    match alg {
        "RS256" => RS256
            .verifier_from_jwk(jwk)
            .ok()
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "PS256" => PS256
            .verifier_from_jwk(jwk)
            .ok()
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "ES256" => ES256
            .verifier_from_jwk(jwk)
            .ok()
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        // Ed25519 only: the set's rules refuse Ed448 keys.
        "EdDSA" if jwk.curve() == Some("Ed25519") => EdDSA
            .verifier_from_jwk(jwk)
            .ok()
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        _ => None,
    }
}

enum KeyChoice {
    Found(Box<dyn JwsVerifier>),
    /// No key of the set has this kid, or (without a kid) none fits: a rotated set may.
    Missing,
    /// Without a kid, several keys fit the algorithm.
    Ambiguous,
}

/// `jwk` without its `kid`: josekit refuses a JWS that names no key for a key that has an
/// id, and an assertion without `kid` chose its key by fit.
fn unnamed(jwk: &Jwk) -> Option<Jwk> {
    let mut jwk = jwk.clone();
    jwk.set_parameter("kid", None).ok()?;
    Some(jwk)
}

fn choose(set: &JwkSet, alg: &str, kid: Option<&str>) -> KeyChoice {
    let candidates: Vec<Jwk> = match kid {
        Some(kid) => set.get(kid).into_iter().cloned().collect(),
        None => set.keys().into_iter().filter_map(unnamed).collect(),
    };
    let mut fitting = candidates.iter().filter_map(|k| verifier_for(alg, k));
    match (fitting.next(), fitting.next(), kid) {
        (None, _, _) => KeyChoice::Missing,
        (Some(v), None, _) | (Some(v), Some(_), Some(_)) => KeyChoice::Found(v),
        (Some(_), Some(_), None) => KeyChoice::Ambiguous,
    }
}

/// The client's key for this assertion; for a `jwks_uri`, fetched again (within the limits
/// of `crypto::client_jwks`) when the cached set does not have it.
pub(super) async fn key_for(
    state: &AppState,
    client: &Client,
    alg: &str,
    kid: Option<&str>,
) -> Result<Box<dyn JwsVerifier>, Refusal> {
    let unreachable = |e: crate::crypto::client_jwks::JwksError| {
        tracing::warn!(client_id = %client.client_id, error = %e, "client JWK Set unavailable");
        Refusal::from("the client's keys could not be fetched")
    };
    let choice = match &client.keys {
        Some(ClientKeys::Jwks(text)) => {
            let set = parse_jwks(text.as_bytes()).map_err(|e| {
                tracing::warn!(client_id = %client.client_id, error = %e, "stored JWK Set unusable");
                Refusal::from("the client's keys are unusable")
            })?;
            choose(&set, alg, kid)
        }
        Some(ClientKeys::JwksUri(uri)) => {
            let jwks = &state.client_jwks;
            let now = state.now();
            let set = jwks
                .get(&client.client_id, uri, now, false)
                .await
                .map_err(unreachable)?;
            match choose(&set, alg, kid) {
                KeyChoice::Missing => {
                    let set = jwks
                        .get(&client.client_id, uri, now, true)
                        .await
                        .map_err(unreachable)?;
                    choose(&set, alg, kid)
                }
                other => other,
            }
        }
        None => return Err("this client is not registered for private_key_jwt".into()),
    };
    match choice {
        KeyChoice::Found(v) => Ok(v),
        KeyChoice::Missing => Err("no key of the client fits the assertion's kid and alg".into()),
        KeyChoice::Ambiguous => Err("several keys fit; name one with kid".into()),
    }
}

fn number(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, Refusal> {
    match claims.get(name) {
        None => Ok(None),
        // NumericDate may have a fraction (RFC 7519 §2); whole seconds are enough here.
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| format!("{name} is not a NumericDate").into()),
    }
}

/// Checks the claims of a verified assertion; returns its `jti` and `exp`. `audiences` are
/// the values `aud` may contain (the issuer, the token, push and device authorization
/// endpoints); with `string_only`, `aud` must be one of them as a string, not in a list.
fn check_claims(
    claims: &Map<String, Value>,
    client_id: &str,
    (audiences, string_only): (&[String], bool),
    now: i64,
) -> Result<(String, i64), Refusal> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(client_id) || text("sub") != Some(client_id) {
        return Err("iss and sub must both be the client id".into());
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => audiences.contains(a),
        Some(Value::Array(list)) if !string_only => list
            .iter()
            .filter_map(Value::as_str)
            .any(|a| audiences.iter().any(|x| x == a)),
        _ => false,
    };
    if !aud_ok && string_only {
        return Err("aud must be the issuer, as a string".into());
    }
    if !aud_ok {
        return Err(
            "aud must be the issuer, the token, the push or the device authorization endpoint"
                .into(),
        );
    }
    let exp = number(claims, "exp")?.ok_or("exp is required")?;
    if exp <= now.saturating_sub(LEEWAY) {
        return Err("the assertion has expired".into());
    }
    if exp.saturating_sub(now) > MAX_LIFETIME + LEEWAY {
        return Err(
            format!("the assertion may be valid for {MAX_LIFETIME} seconds at most").into(),
        );
    }
    let iat = number(claims, "iat")?;
    if iat.is_some_and(|iat| exp.saturating_sub(iat) > MAX_LIFETIME + LEEWAY) {
        return Err(
            format!("the assertion may be valid for {MAX_LIFETIME} seconds at most").into(),
        );
    }
    for name in ["iat", "nbf"] {
        if number(claims, name)?.is_some_and(|t| t > now.saturating_add(LEEWAY)) {
            return Err(format!("{name} is in the future").into());
        }
    }
    match text("jti") {
        Some(jti) if !jti.is_empty() && jti.len() <= MAX_JTI => Ok((jti.to_owned(), exp)),
        _ => Err("jti is required (a unique id of up to 256 characters)".into()),
    }
}

/// Verifies `assertion` as `client`'s: signature by one of its keys, claims, and first use
/// of its `jti`. `Err` is the reason for an `invalid_client` answer.
pub async fn verify(state: &AppState, client: &Client, assertion: &str) -> Result<(), Refusal> {
    if assertion.len() > MAX_ASSERTION_BYTES {
        return Err("the assertion is too large".into());
    }
    let header: Header = segment(assertion, 0).ok_or("the assertion is not a signed JWT")?;
    let algorithms = profile::algorithms(client);
    if !algorithms.contains(&header.alg.as_str()) {
        return Err(format!("alg must be one of {}", algorithms.join(", ")).into());
    }
    let verifier = key_for(state, client, &header.alg, header.kid.as_deref()).await?;
    let (payload, _) = josekit::jwt::decode_with_verifier(assertion, &*verifier)
        .map_err(|_| "the assertion's signature does not verify")?;
    let now = state.now();
    let (audiences, string_only) = profile::assertion_audiences(state, client);
    let (jti, exp) = check_claims(
        payload.claims_set(),
        &client.client_id,
        (&audiences, string_only),
        now,
    )?;
    // Kept until the assertion could no longer pass the checks above, on every node.
    let ttl = exp.saturating_add(LEEWAY).saturating_sub(now).max(1);
    let key = format!(
        "client-assertion:{}",
        token_hash(&format!("{}\u{0}{jti}", client.client_id))
    );
    let first_use = state
        .ephemeral
        .put_if_absent(&key, vec![1], Duration::from_secs(ttl.unsigned_abs()))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "recording a client assertion's jti failed");
            Refusal::from("the assertion could not be checked for replay")
        })?;
    if !first_use {
        return Err("this assertion was used before (jti)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn audiences() -> Vec<String> {
        vec!["https://id.test".into(), "https://id.test/token".into()]
    }

    fn claims(change: impl FnOnce(&mut Map<String, Value>)) -> Map<String, Value> {
        let mut c = json!({
            "iss": "svc", "sub": "svc", "aud": "https://id.test/token",
            "exp": NOW + 60, "iat": NOW, "jti": "j-1"
        })
        .as_object()
        .cloned()
        .unwrap();
        change(&mut c);
        c
    }

    fn check(c: &Map<String, Value>) -> Result<(String, i64), Refusal> {
        check_claims(c, "svc", (&audiences(), false), NOW)
    }

    #[test]
    fn a_short_lived_assertion_of_the_client_for_us_passes() {
        assert_eq!(check(&claims(|_| {})).unwrap(), ("j-1".into(), NOW + 60));
        let issuer_in_a_list = claims(|c| {
            c.insert(
                "aud".into(),
                json!(["https://other.test", "https://id.test"]),
            );
        });
        assert!(check(&issuer_in_a_list).is_ok());
        assert!(
            check(&claims(|c| {
                c.remove("iat");
            }))
            .is_ok()
        );
    }

    #[test]
    fn a_strict_audience_is_one_string() {
        let issuer = vec!["https://id.test".to_owned()];
        let strict = |c: &Map<String, Value>| check_claims(c, "svc", (&issuer, true), NOW);
        assert!(
            strict(&claims(|c| drop(
                c.insert("aud".into(), json!("https://id.test"))
            )))
            .is_ok()
        );
        for aud in [
            json!(["https://id.test"]),
            json!("https://id.test/token"),
            json!(["https://id.test", "https://other.test"]),
        ] {
            assert!(
                strict(&claims(|c| drop(c.insert("aud".into(), aud.clone())))).is_err(),
                "{aud}"
            );
        }
    }

    #[test]
    fn assertions_with_the_wrong_claims_are_refused() {
        let refused: Vec<(&str, Map<String, Value>)> = vec![
            (
                "iss",
                claims(|c| drop(c.insert("iss".into(), json!("other")))),
            ),
            (
                "sub",
                claims(|c| drop(c.insert("sub".into(), json!("other")))),
            ),
            (
                "aud",
                claims(|c| drop(c.insert("aud".into(), json!("https://x.test")))),
            ),
            (
                "aud list",
                claims(|c| drop(c.insert("aud".into(), json!([])))),
            ),
            ("no exp", claims(|c| drop(c.remove("exp")))),
            (
                "expired",
                claims(|c| drop(c.insert("exp".into(), json!(NOW - 31)))),
            ),
            (
                "exp text",
                claims(|c| drop(c.insert("exp".into(), json!("soon")))),
            ),
            (
                "long",
                claims(|c| drop(c.insert("exp".into(), json!(NOW + 3600)))),
            ),
            (
                "long since iat",
                claims(|c| drop(c.insert("iat".into(), json!(NOW - 1000)))),
            ),
            (
                "iat ahead",
                claims(|c| drop(c.insert("iat".into(), json!(NOW + 120)))),
            ),
            (
                "nbf ahead",
                claims(|c| drop(c.insert("nbf".into(), json!(NOW + 120)))),
            ),
            ("no jti", claims(|c| drop(c.remove("jti")))),
            (
                "empty jti",
                claims(|c| drop(c.insert("jti".into(), json!("")))),
            ),
            (
                "jti number",
                claims(|c| drop(c.insert("jti".into(), json!(7)))),
            ),
        ];
        for (what, c) in refused {
            assert!(check(&c).is_err(), "{what}");
        }
    }

    #[test]
    fn without_a_kid_only_a_single_fitting_key_is_chosen() {
        let ec = |kid: Option<&str>| {
            let mut jwk = ES256.generate_key_pair().unwrap().to_jwk_public_key();
            if let Some(kid) = kid {
                jwk.set_key_id(kid);
            }
            jwk
        };
        let mut one = JwkSet::new();
        one.push_key(ec(None));
        assert!(matches!(choose(&one, "ES256", None), KeyChoice::Found(_)));
        assert!(matches!(choose(&one, "RS256", None), KeyChoice::Missing));
        assert!(matches!(
            choose(&one, "ES256", Some("x")),
            KeyChoice::Missing
        ));
        let mut two = JwkSet::new();
        two.push_key(ec(Some("a")));
        two.push_key(ec(Some("b")));
        assert!(matches!(choose(&two, "ES256", None), KeyChoice::Ambiguous));
        assert!(matches!(
            choose(&two, "ES256", Some("b")),
            KeyChoice::Found(_)
        ));
    }

    #[test]
    fn the_claimed_client_is_read_from_iss() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"iss":"svc"}"#);
        assert_eq!(
            claimed_client_id(&format!("e30.{payload}.sig")),
            Some("svc".into())
        );
        assert_eq!(claimed_client_id("garbage"), None);
        assert_eq!(claimed_client_id("e30.e30.x"), None);
    }
}
