//! What the relying-party examples share: Postern's public signing keys, fetched from its
//! `jwks_uri` and cached, and the verification of a compact JWS with them (josekit). The
//! checks of the claims belong to each kind of token and live with its example; this crate
//! only says "Postern signed these bytes, and this is what they say".

use std::time::{Duration, Instant};

use josekit::{
    jwk::{Jwk, JwkSet},
    jws::{ES256, EdDSA, JwsVerifier, PS256, RS256},
};
use serde_json::{Map, Value};
use tokio::sync::RwLock;

/// An unknown `kid` fetches the key set again at most this often: a stream of tokens with
/// made-up kids must not turn into a stream of requests to the provider.
pub const REFETCH_AT_MOST_EVERY: Duration = Duration::from_secs(10);

/// Why a token was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// Not a JWS, or a header without a usable `alg`.
    Malformed(String),
    /// An algorithm Postern does not sign with, including `none` and every HMAC.
    Algorithm(String),
    /// No key of the provider's set has this `kid` (after one refetch, when allowed).
    UnknownKey,
    /// The signature does not verify.
    Signature,
    /// The key set could not be fetched.
    Fetch(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Malformed(why) => write!(f, "malformed token: {why}"),
            VerifyError::Algorithm(alg) => write!(f, "algorithm {alg:?} is not accepted"),
            VerifyError::UnknownKey => write!(f, "no provider key has this kid"),
            VerifyError::Signature => write!(f, "the signature does not verify"),
            VerifyError::Fetch(why) => write!(f, "the provider's keys could not be fetched: {why}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// A verified token: its header and its claims.
#[derive(Debug)]
pub struct Verified {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

impl Verified {
    /// The header's `typ`, with an `application/` prefix taken off and in lower case
    /// (RFC 7515 §4.1.9 lets a producer write either).
    pub fn typ(&self) -> Option<String> {
        let typ = self.header.get("typ")?.as_str()?.to_ascii_lowercase();
        Some(
            typ.strip_prefix("application/")
                .map(str::to_owned)
                .unwrap_or(typ),
        )
    }
}

struct Cache {
    keys: Option<JwkSet>,
    fetched: Option<Instant>,
}

/// The provider's key set behind its `jwks_uri`, fetched on first use and again for a key
/// it has not seen (a rotation), at most every [`REFETCH_AT_MOST_EVERY`].
pub struct ProviderKeys {
    jwks_uri: String,
    http: reqwest::Client,
    cache: RwLock<Cache>,
}

impl ProviderKeys {
    pub fn new(jwks_uri: impl Into<String>, http: reqwest::Client) -> ProviderKeys {
        ProviderKeys {
            jwks_uri: jwks_uri.into(),
            http,
            cache: RwLock::new(Cache {
                keys: None,
                fetched: None,
            }),
        }
    }

    /// Verifies the signature of `token` with the provider key its header's `kid` names.
    pub async fn verify(&self, token: &str) -> Result<Verified, VerifyError> {
        let header = josekit::jwt::decode_header(token)
            .map_err(|e| VerifyError::Malformed(e.to_string()))?;
        let alg = header
            .claim("alg")
            .and_then(Value::as_str)
            .ok_or_else(|| VerifyError::Malformed("no alg".into()))?
            .to_owned();
        // Checked before any key is looked at, so an attacker never chooses the algorithm.
        if !["RS256", "PS256", "ES256", "EdDSA"].contains(&alg.as_str()) {
            return Err(VerifyError::Algorithm(alg));
        }
        let kid = header
            .claim("kid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let jwk = match self.find(kid.as_deref(), &alg).await {
            Some(jwk) => jwk,
            None if self.refetch().await? => self
                .find(kid.as_deref(), &alg)
                .await
                .ok_or(VerifyError::UnknownKey)?,
            None => return Err(VerifyError::UnknownKey),
        };
        let verifier = verifier(&alg, &jwk).ok_or(VerifyError::Signature)?;
        let (payload, header) = josekit::jwt::decode_with_verifier(token, &*verifier)
            .map_err(|_| VerifyError::Signature)?;
        Ok(Verified {
            header: header.claims_set().clone(),
            claims: payload.claims_set().clone(),
        })
    }

    /// The key of the cached set named `kid` (without a kid, the only key for `alg`).
    async fn find(&self, kid: Option<&str>, alg: &str) -> Option<Jwk> {
        let cache = self.cache.read().await;
        let set = cache.keys.as_ref()?;
        let fits = |k: &&Jwk| k.algorithm().is_none_or(|a| a == alg);
        let mut candidates: Vec<&Jwk> = match kid {
            Some(kid) => set.get(kid).into_iter().filter(fits).collect(),
            None => set.keys().into_iter().filter(fits).collect(),
        };
        (candidates.len() == 1).then(|| candidates.remove(0).clone())
    }

    /// Fetches the key set unless it was fetched too recently; true when it did.
    async fn refetch(&self) -> Result<bool, VerifyError> {
        let mut cache = self.cache.write().await;
        if cache
            .fetched
            .is_some_and(|at| at.elapsed() < REFETCH_AT_MOST_EVERY)
        {
            return Ok(false);
        }
        // Counted as a fetch even when it fails, so a provider that is down is not hammered.
        cache.fetched = Some(Instant::now());
        let body = self
            .http
            .get(&self.jwks_uri)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| VerifyError::Fetch(e.to_string()))?
            .bytes()
            .await
            .map_err(|e| VerifyError::Fetch(e.to_string()))?;
        let set = JwkSet::from_bytes(&body).map_err(|e| VerifyError::Fetch(e.to_string()))?;
        cache.keys = Some(set);
        Ok(true)
    }
}

fn verifier(alg: &str, jwk: &Jwk) -> Option<Box<dyn JwsVerifier>> {
    Some(match alg {
        "RS256" => Box::new(RS256.verifier_from_jwk(jwk).ok()?),
        "PS256" => Box::new(PS256.verifier_from_jwk(jwk).ok()?),
        "ES256" => Box::new(ES256.verifier_from_jwk(jwk).ok()?),
        "EdDSA" => Box::new(EdDSA.verifier_from_jwk(jwk).ok()?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
