//! The public keys of `private_key_jwt` clients (RFC 7523; OIDC Core §9): the rules a JWK
//! Set must pass, whether registered inline or served at a `jwks_uri`, and the fetching and
//! caching of those served at a URL.
//!
//! A client's URL is someone else's server, reached while a token request waits: each fetch
//! has a time limit and a size limit (read piece by piece, so a huge answer is cut off, not
//! buffered), redirects are followed to https only, the set is cached per client, and a
//! fetch for a key the cached set lacks happens at most once per [`MIN_REFETCH_SECONDS`] per
//! client, so assertions naming made-up key ids cannot make Postern hammer the URL. One
//! fetch per client runs at a time; the requests that arrive meanwhile use its result.

use std::{sync::Arc, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use dashmap::DashMap;
use josekit::jwk::{Jwk, JwkSet};
use url::{Host, Url};

/// The largest JWK Set accepted, inline or fetched.
pub const MAX_JWKS_BYTES: usize = 64 * 1024;
/// Keys in one set: enough for a rotation or two, few enough to try each quickly.
const MAX_KEYS: usize = 20;
const FETCH_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a fetched set is used without asking the URL again.
pub const CACHE_SECONDS: i64 = 300;
/// The shortest time between two fetches of one client's URL (after a key id the cached
/// set lacks, or after a failed fetch).
pub const MIN_REFETCH_SECONDS: i64 = 10;
const MAX_REDIRECTS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    /// The set breaks a rule (registration) or the URL served one that does (fetch).
    #[error("{0}")]
    Invalid(String),
    #[error("fetching the JWK Set failed: {0}")]
    Fetch(String),
}

fn invalid(why: impl Into<String>) -> JwksError {
    JwksError::Invalid(why.into())
}

/// Whether `url` names this machine; http is allowed there only (a test or a sidecar).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        None => false,
    }
}

/// A `jwks_uri` as it may be registered: absolute, https (http on the loopback interface
/// only), no credentials in it, no fragment.
pub fn check_uri(uri: &str) -> Result<Url, JwksError> {
    let url = Url::parse(uri).map_err(|_| invalid("not an absolute URL"))?;
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("a JWK Set URL has no fragment and no credentials"));
    }
    match url.scheme() {
        "https" if url.has_host() => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(invalid(
            "https only (http on the loopback interface: 127.0.0.1, [::1], localhost)",
        )),
    }
}

/// Private or symmetric key material: never part of a set of public keys.
const SECRET_PARAMETERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// A public key of a kind Postern verifies with (RSA of 2048 bits or more, P-256, Ed25519).
pub fn check_key(jwk: &Jwk) -> Result<(), JwksError> {
    if let Some(p) = SECRET_PARAMETERS
        .iter()
        .find(|p| jwk.parameter(p).is_some())
    {
        return Err(invalid(format!(
            "a key has the private parameter {p:?}; register public keys only"
        )));
    }
    let curve = jwk.curve();
    match (jwk.key_type(), curve) {
        ("RSA", _) => {
            let n = jwk
                .parameter("n")
                .and_then(|n| n.as_str())
                .and_then(|n| URL_SAFE_NO_PAD.decode(n).ok())
                .ok_or_else(|| invalid("an RSA key needs its modulus n"))?;
            // Leading zero bytes do not count towards the key's size.
            let bits = n.iter().skip_while(|b| **b == 0).count() * 8;
            if bits < 2048 {
                return Err(invalid("an RSA key has at least 2048 bits"));
            }
            Ok(())
        }
        ("EC", Some("P-256")) | ("OKP", Some("Ed25519")) => Ok(()),
        (kty, crv) => Err(invalid(format!(
            "unsupported key (kty {kty:?}, crv {:?}); use RSA, EC P-256 or OKP Ed25519",
            crv.unwrap_or("")
        ))),
    }
}

/// Parses a JWK Set and checks it: a `keys` array of 1 to 20 public RSA (2048 bits or more),
/// P-256 or Ed25519 keys, their `kid`s distinct.
pub fn parse_jwks(bytes: &[u8]) -> Result<JwkSet, JwksError> {
    if bytes.len() > MAX_JWKS_BYTES {
        return Err(invalid(format!("at most {MAX_JWKS_BYTES} bytes")));
    }
    let set = JwkSet::from_bytes(bytes)
        .map_err(|e| invalid(format!("not a JWK Set ({{\"keys\": [...]}}): {e}")))?;
    let keys = set.keys();
    if keys.is_empty() || keys.len() > MAX_KEYS {
        return Err(invalid(format!("1 to {MAX_KEYS} keys")));
    }
    let mut kids = std::collections::HashSet::new();
    for jwk in keys {
        check_key(jwk)?;
        if let Some(kid) = jwk.key_id()
            && !kids.insert(kid)
        {
            return Err(invalid(format!("two keys have the kid {kid:?}")));
        }
    }
    Ok(set)
}

/// One client's cached set and when its URL was last asked.
#[derive(Default)]
struct Slot {
    uri: String,
    /// The set and when it was fetched (Unix seconds).
    set: Option<(Arc<JwkSet>, i64)>,
    last_attempt: Option<i64>,
}

/// Fetched JWK Sets, per client id.
pub struct ClientJwks {
    http: reqwest::Client,
    slots: DashMap<String, Arc<tokio::sync::Mutex<Slot>>>,
}

impl ClientJwks {
    pub fn new() -> Result<ClientJwks, String> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if attempt.url().scheme() == "https" {
                attempt.follow()
            } else {
                attempt.error("a redirect away from https")
            }
        });
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(FETCH_TIMEOUT)
            .redirect(policy)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(ClientJwks {
            http,
            slots: DashMap::new(),
        })
    }

    /// The JWK Set at `uri` for `client_id`, from the cache while it is fresh. `key_missing`
    /// says the cached set lacked the key an assertion names: the URL is asked again if it
    /// was not asked in the last [`MIN_REFETCH_SECONDS`] (else the cached set is returned
    /// and the caller's key stays missing).
    pub async fn get(
        &self,
        client_id: &str,
        uri: &str,
        now: i64,
        key_missing: bool,
    ) -> Result<Arc<JwkSet>, JwksError> {
        let slot = self
            .slots
            .entry(client_id.to_owned())
            .or_default()
            .value()
            .clone();
        let mut slot = slot.lock().await;
        if slot.uri != uri {
            // A changed registration: nothing of the old URL counts.
            *slot = Slot {
                uri: uri.to_owned(),
                ..Slot::default()
            };
        }
        let fresh = slot
            .set
            .as_ref()
            .filter(|(_, at)| now.saturating_sub(*at) < CACHE_SECONDS)
            .map(|(set, _)| set.clone());
        let may_fetch = slot
            .last_attempt
            .is_none_or(|at| now.saturating_sub(at) >= MIN_REFETCH_SECONDS);
        match (fresh, key_missing, may_fetch) {
            (Some(set), false, _) | (Some(set), true, false) => return Ok(set),
            (None, _, false) => {
                return Err(JwksError::Fetch(
                    "the last attempt failed moments ago".into(),
                ));
            }
            _ => {}
        }
        slot.last_attempt = Some(now);
        let set = Arc::new(self.fetch(uri).await?);
        slot.set = Some((set.clone(), now));
        Ok(set)
    }

    async fn fetch(&self, uri: &str) -> Result<JwkSet, JwksError> {
        let url = check_uri(uri)?;
        let body = tokio::time::timeout(FETCH_TIMEOUT, self.read(url))
            .await
            .map_err(|_| JwksError::Fetch(format!("no answer within {FETCH_TIMEOUT:?}")))??;
        parse_jwks(&body)
    }

    /// The body at `url`, refused as soon as it passes [`MAX_JWKS_BYTES`].
    async fn read(&self, url: Url) -> Result<Vec<u8>, JwksError> {
        let fail = |e: reqwest::Error| JwksError::Fetch(e.without_url().to_string());
        let resp = self
            .http
            .get(url)
            .header(
                reqwest::header::ACCEPT,
                "application/jwk-set+json, application/json",
            )
            .send()
            .await
            .map_err(fail)?;
        if !resp.status().is_success() {
            return Err(JwksError::Fetch(format!("HTTP status {}", resp.status())));
        }
        crate::outbound::body_at_most(resp, MAX_JWKS_BYTES)
            .await
            .map_err(fail)?
            .ok_or_else(|| JwksError::Fetch(format!("larger than {MAX_JWKS_BYTES} bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec_key(kid: &str) -> serde_json::Value {
        let pair = josekit::jws::ES256.generate_key_pair().unwrap();
        let mut jwk = pair.to_jwk_public_key();
        jwk.set_key_id(kid);
        serde_json::to_value(jwk.as_ref()).unwrap()
    }

    fn set(keys: Vec<serde_json::Value>) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap()
    }

    #[test]
    fn jwks_uris_are_https_outside_loopback() {
        for ok in [
            "https://rp.example/jwks",
            "http://127.0.0.1:8080/jwks",
            "http://localhost/jwks",
            "http://[::1]/jwks",
        ] {
            assert!(check_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://rp.example/jwks",
            "https://rp.example/jwks#k",
            "https://user:pw@rp.example/jwks",
            "ftp://rp.example/jwks",
            "file:///etc/passwd",
            "jwks.json",
            "",
        ] {
            assert!(check_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_set_holds_distinct_public_signing_keys() {
        assert!(parse_jwks(&set(vec![ec_key("a"), ec_key("b")])).is_ok());
        assert!(parse_jwks(&set(vec![ec_key("a"), ec_key("a")])).is_err());
        assert!(parse_jwks(&set(vec![])).is_err(), "no keys");
        assert!(parse_jwks(b"{\"keys\": 5}").is_err());
        assert!(parse_jwks(b"[]").is_err());
        assert!(parse_jwks(b"not json").is_err());

        let private = josekit::jws::ES256.generate_key_pair().unwrap();
        let private = serde_json::to_value(private.to_jwk_private_key().as_ref()).unwrap();
        let err = parse_jwks(&set(vec![private])).unwrap_err().to_string();
        assert!(err.contains("private"), "{err}");

        let hmac = serde_json::json!({"kty": "oct", "k": "c2VjcmV0"});
        assert!(parse_jwks(&set(vec![hmac])).is_err(), "no symmetric keys");
        let p384 = josekit::jws::ES384.generate_key_pair().unwrap();
        let p384 = serde_json::to_value(p384.to_jwk_public_key().as_ref()).unwrap();
        assert!(parse_jwks(&set(vec![p384])).is_err(), "P-256 only");
        let small_rsa =
            josekit::jwk::Jwk::from_bytes(br#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#.as_slice())
                .unwrap();
        let small_rsa = serde_json::to_value(small_rsa.as_ref()).unwrap();
        assert!(
            parse_jwks(&set(vec![small_rsa])).is_err(),
            "RSA below 2048 bits"
        );
        let huge = vec![b' '; MAX_JWKS_BYTES + 1];
        assert!(parse_jwks(&huge).is_err());
    }
}
