//! DPoP proofs (RFC 9449): a JWT the client signs with a key of its own, per request, whose
//! public half travels in the header. A token issued with a proof is bound to that key
//! (`cnf.jkt`, its RFC 7638 thumbprint), and whoever presents the token must prove the key
//! again, so a stolen token alone is worth nothing.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use josekit::jwk::Jwk;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use super::client_assertion::verifier_for;
use super::error::{ErrorCode, OAuthError};
use crate::{
    crypto::{b64url, client_jwks::check_key, token_hash},
    state::AppState,
};

/// How far a proof's `iat` may be from our clock: the proof is made for this request.
const WINDOW: i64 = 60;
const MAX_BYTES: usize = 8 * 1024;
const MAX_JTI: usize = 256;
/// A server nonce is good for the period it was made in and the next one: five to ten
/// minutes, across nodes (they share the key that tags it).
const NONCE_PERIOD: i64 = 300;
const NONCE_PURPOSE: &str = "dpop-nonce";

/// The request a proof must be for.
pub struct Request<'a> {
    pub method: &'a str,
    /// The endpoint's URL, without query or fragment.
    pub url: &'a str,
    /// At a resource: the access token the proof must name (`ath`).
    pub access_token: Option<&'a str>,
    /// The algorithms the proof may be signed with (the client's profile).
    pub algorithms: &'a [&'a str],
}

/// Why a proof was refused: it does not hold, or it lacks a fresh server nonce (answered
/// with `use_dpop_nonce` and one to use).
#[derive(Debug)]
pub struct Refused {
    pub nonce: bool,
    pub why: String,
}

impl Refused {
    fn nonce(why: &str) -> Refused {
        Refused {
            nonce: true,
            why: why.to_owned(),
        }
    }

    /// The answer of an endpoint answering with `status` (400 at the token endpoint, 401
    /// at a resource): `use_dpop_nonce` with a `DPoP-Nonce`, or `invalid_dpop_proof`.
    pub fn answer(self, state: &AppState, status: u16) -> OAuthError {
        if self.nonce {
            OAuthError {
                dpop_nonce: Some(nonce(state)),
                ..OAuthError::new(ErrorCode::UseDpopNonce, status, self.why)
            }
        } else {
            OAuthError::new(ErrorCode::InvalidDpopProof, status, self.why)
        }
    }
}

impl From<String> for Refused {
    fn from(why: String) -> Refused {
        Refused { nonce: false, why }
    }
}

impl From<&str> for Refused {
    fn from(why: &str) -> Refused {
        why.to_owned().into()
    }
}

/// The server nonce to hand out now (`DPoP-Nonce`): the period's number and its tag.
pub fn nonce(state: &AppState) -> String {
    let period = state.now().div_euclid(NONCE_PERIOD);
    format!(
        "{period}.{}",
        state.secrets.tag(NONCE_PURPOSE, &period.to_string())
    )
}

/// Whether `given` is a nonce of this period or the last one, tagged by Postern.
fn nonce_holds(state: &AppState, given: &str) -> bool {
    let Some((period, tag)) = given.split_once('.') else {
        return false;
    };
    let now = state.now().div_euclid(NONCE_PERIOD);
    let recent = period
        .parse::<i64>()
        .is_ok_and(|p| p == now || p == now - 1);
    recent && state.secrets.check_tag(NONCE_PURPOSE, period, tag)
}

/// The `DPoP-Nonce` to send with an answer to a request that carried a proof, when nonces
/// are required, so the client has the next one before its current one runs out.
pub fn nonce_to_send(state: &AppState, had_proof: bool) -> Option<String> {
    (had_proof && state.config.dpop.require_nonce).then(|| nonce(state))
}

fn part(jwt: &str, i: usize) -> Option<Map<String, Value>> {
    let p = jwt.split('.').nth(i)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
}

/// The RFC 7638 thumbprint of a public key: SHA-256 of its required members in order.
pub fn thumbprint(jwk: &Map<String, Value>) -> Option<String> {
    let m = |n: &str| jwk.get(n).and_then(Value::as_str);
    let canonical = match m("kty")? {
        "EC" => json!({"crv": m("crv")?, "kty": "EC", "x": m("x")?, "y": m("y")?}),
        "RSA" => json!({"e": m("e")?, "kty": "RSA", "n": m("n")?}),
        "OKP" => json!({"crv": m("crv")?, "kty": "OKP", "x": m("x")?}),
        _ => return None,
    };
    // Written in the members' lexicographic order, as RFC 7638 §3.3 requires.
    Some(b64url(&Sha256::digest(canonical.to_string().as_bytes())))
}

/// Checks `proof` for `req` and records its `jti` (on every node, through the ephemeral
/// store), so it is accepted once. Returns the key's thumbprint.
pub async fn check(state: &AppState, proof: &str, req: Request<'_>) -> Result<String, Refused> {
    if proof.len() > MAX_BYTES {
        return Err("the DPoP proof is too large".into());
    }
    let header = part(proof, 0).ok_or("the DPoP proof is not a signed JWT")?;
    if header.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err("the DPoP proof's typ must be dpop+jwt".into());
    }
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !req.algorithms.contains(&alg) {
        return Err(format!(
            "the DPoP proof's alg must be one of {}",
            req.algorithms.join(", ")
        )
        .into());
    }
    let Some(Value::Object(key)) = header.get("jwk") else {
        return Err("the DPoP proof carries no jwk".into());
    };
    let jwk = Jwk::from_map(key.clone()).map_err(|_| "the DPoP proof's jwk is not a key")?;
    check_key(&jwk).map_err(|e| format!("the DPoP proof's jwk: {e}"))?;
    let verifier = verifier_for(alg, &jwk).ok_or("the DPoP proof's jwk does not fit its alg")?;
    let (payload, _) = josekit::jwt::decode_with_verifier(proof, &*verifier)
        .map_err(|_| "the DPoP proof's signature does not verify")?;
    let c = payload.claims_set();
    let text = |n: &str| c.get(n).and_then(Value::as_str);
    if text("htm") != Some(req.method) {
        return Err(format!("the DPoP proof's htm must be {}", req.method).into());
    }
    if text("htu").and_then(without_query).as_deref() != Some(req.url) {
        return Err(format!("the DPoP proof's htu must be {}", req.url).into());
    }
    let now = state.now();
    let iat = c
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or("the DPoP proof has no iat")?;
    if (iat - now).abs() > WINDOW {
        return Err("the DPoP proof is too old or from the future (iat)".into());
    }
    if let Some(at) = req.access_token {
        let ath = b64url(&Sha256::digest(at.as_bytes()));
        if text("ath") != Some(ath.as_str()) {
            return Err("the DPoP proof's ath is not the access token's hash".into());
        }
    }
    // After the signature: only a proof of the key may ask for a nonce (RFC 9449 §8).
    match text("nonce") {
        Some(n) if nonce_holds(state, n) => {}
        Some(_) => {
            return Err(Refused::nonce(
                "the DPoP proof's nonce is not a current one",
            ));
        }
        None if state.config.dpop.require_nonce => {
            return Err(Refused::nonce(
                "the DPoP proof needs a nonce from the server",
            ));
        }
        None => {}
    }
    let jkt = thumbprint(key).ok_or("the DPoP proof's jwk has no thumbprint")?;
    let jti = text("jti")
        .filter(|j| !j.is_empty() && j.len() <= MAX_JTI)
        .ok_or("the DPoP proof needs a jti of up to 256 characters")?;
    // Remembered for as long as its iat is acceptable.
    let seen = format!("dpop-jti:{}", token_hash(&format!("{jkt}\u{0}{jti}")));
    let first = state
        .ephemeral
        .put_if_absent(&seen, vec![1], Duration::from_secs(2 * WINDOW as u64 + 1))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "recording a DPoP proof's jti failed");
            Refused::from("the DPoP proof could not be checked for replay")
        })?;
    if !first {
        return Err("this DPoP proof was used before (jti)".into());
    }
    Ok(jkt)
}

/// How an access token reached a resource: in the `DPoP` scheme or not, with the `DPoP`
/// header's proof if any, for this method and URL.
pub struct Presented<'a> {
    pub token: &'a str,
    pub dpop_scheme: bool,
    pub proof: Option<&'a str>,
    pub method: &'a str,
    pub url: &'a str,
}

/// A resource's check of a token's binding (RFC 9449 §7): a token bound to a key
/// (`cnf.jkt`) is accepted only in the `DPoP` scheme with a proof of that very key for this
/// request; an unbound one only as a bearer token.
pub async fn check_presented(
    state: &AppState,
    claims: &Map<String, Value>,
    p: &Presented<'_>,
) -> Result<(), OAuthError> {
    let bound = claims
        .get("cnf")
        .and_then(|c| c.get("jkt"))
        .and_then(Value::as_str);
    match (bound, p.dpop_scheme) {
        (None, false) => Ok(()),
        (None, true) => Err(OAuthError::invalid_token(
            "the token is not bound to a DPoP key; send it as a Bearer token",
        )),
        (Some(_), false) => Err(OAuthError::invalid_token(
            "the token is bound to a DPoP key; send it in the DPoP scheme with a proof",
        )),
        (Some(bound), true) => {
            let refused = |d: &str| Refused::from(d).answer(state, 401);
            let proof = p.proof.ok_or_else(|| refused("a DPoP proof is required"))?;
            // The proof's algorithm is held to the client's profile here too (FAPI 2.0
            // §5.4): the key alone does not say it, as an RSA key signs RS256 and PS256.
            // The token's check found the client already (the client cache answers).
            let client_id = claims.get("client_id").and_then(Value::as_str);
            let client = state
                .stores
                .clients
                .find_client(client_id.unwrap_or_default())
                .await?
                .ok_or_else(|| OAuthError::invalid_token("the token's client is gone"))?;
            let req = Request {
                method: p.method,
                url: p.url,
                access_token: Some(p.token),
                algorithms: super::profile::algorithms(&client),
            };
            let jkt = check(state, proof, req)
                .await
                .map_err(|r| r.answer(state, 401))?;
            if jkt != bound {
                return Err(refused(
                    "the DPoP proof is made with another key than the token's",
                ));
            }
            Ok(())
        }
    }
}

/// A URL as `htu` compares it (RFC 9449 §4.3: no query, no fragment).
fn without_query(u: &str) -> Option<String> {
    let mut url = Url::parse(u).ok()?;
    url.set_query(None);
    url.set_fragment(None);
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thumbprint_is_the_one_of_rfc_7638() {
        // RFC 7638 §3.1's example key and thumbprint.
        let key = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        assert_eq!(
            thumbprint(key.as_object().unwrap()).as_deref(),
            Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        );
    }

    #[test]
    fn htu_is_compared_without_query_and_fragment() {
        assert_eq!(
            without_query("https://id.test/token?x=1#f").as_deref(),
            Some("https://id.test/token")
        );
        assert_eq!(without_query("not a url"), None);
    }
}
