//! ID tokens (OIDC Core §2, §3.1.3.6).

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256, Sha512};

use super::{
    claims,
    error::OAuthError,
    types::{AuthnContext, Scope, SigningAlg},
};
use crate::{
    crypto::b64url,
    state::AppState,
    storage::{Client, User},
};

/// The ID token algorithm for a client.
pub fn alg_for(state: &AppState, client: &Client) -> SigningAlg {
    client
        .id_token_alg
        .unwrap_or(state.config.signing.id_token_alg)
}

/// `at_hash` (OIDC Core §3.1.3.6): the left half of the hash of the access token, with the
/// hash of the signing algorithm; Ed25519 signs with SHA-512.
pub fn at_hash(alg: SigningAlg, access_token: &str) -> String {
    match alg {
        SigningAlg::RS256 | SigningAlg::ES256 => {
            let d = Sha256::digest(access_token.as_bytes());
            b64url(&d[..16])
        }
        SigningAlg::EdDSA => {
            let d = Sha512::digest(access_token.as_bytes());
            b64url(&d[..32])
        }
    }
}

/// The `typ` of our ID tokens: the plain one every OpenID Connect client accepts. Access
/// tokens are `at+jwt` (RFC 9068).
const ID_TOKEN_TYP: &str = "JWT";

pub struct IdTokenInput<'a> {
    pub client: &'a Client,
    pub user: &'a User,
    pub authn: &'a AuthnContext,
    pub nonce: Option<&'a str>,
    pub scope: &'a Scope,
    pub claims_request: Option<&'a Value>,
    pub access_token: Option<&'a str>,
    /// More claims (the organisation context).
    pub extra: Option<&'a Map<String, Value>>,
}

pub fn issue(state: &AppState, input: IdTokenInput<'_>) -> Result<String, OAuthError> {
    let alg = alg_for(state, input.client);
    let now = state.now();
    let mut c: Map<String, Value> = claims::user_claims(
        input.user,
        input.scope,
        claims::requested(input.claims_request, "id_token"),
    );
    if let Some(extra) = input.extra {
        c.extend(extra.clone());
    }
    c.insert("iss".into(), json!(state.config.issuer));
    c.insert("sub".into(), json!(input.user.id));
    c.insert("aud".into(), json!(input.client.client_id));
    c.insert("azp".into(), json!(input.client.client_id));
    c.insert("iat".into(), json!(now));
    c.insert(
        "exp".into(),
        json!(now + state.config.tokens.id_token_ttl.as_secs() as i64),
    );
    c.insert("auth_time".into(), json!(input.authn.auth_time));
    c.insert("acr".into(), json!(input.authn.acr));
    c.insert("amr".into(), json!(input.authn.amr));
    c.insert("sid".into(), json!(input.authn.sid));
    if let Some(n) = input.nonce {
        c.insert("nonce".into(), json!(n));
    }
    if let Some(at) = input.access_token {
        c.insert("at_hash".into(), json!(at_hash(alg, at)));
    }
    state
        .keys
        .current()
        .sign(alg, ID_TOKEN_TYP, c)
        .map_err(|e| {
            tracing::error!(error = %e, "signing an ID token failed");
            OAuthError::server_error()
        })
}

/// What an `id_token_hint` tells (OIDC Core §3.1.2.1, RP-Initiated Logout 1.0 §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub sub: String,
    /// The client it was issued to.
    pub aud: String,
    /// The session it was issued in.
    pub sid: Option<String>,
}

/// An ID token we issued, read as a hint: signed by one of our keys (a key superseded since
/// still verifies a hint for as long as a session can live, see `Config::key_retention`),
/// our issuer, and the header and claims only an ID token has (`typ` `JWT`, `azp`, no
/// `client_id`). An access token (`typ` `at+jwt`) is a JWT we sign with the same issuer,
/// subject and audience, but it is not a hint: it travels to resource servers, and
/// whoever holds one must not be able to steer a sign-in or sign the user out with it.
/// Expiry does not matter for a hint.
pub fn read_hint(state: &AppState, token: &str) -> Option<Hint> {
    let (claims, typ) = state.keys.current().verify_hint(token).ok()?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    if typ.as_deref() != Some(ID_TOKEN_TYP)
        || text("iss").as_deref() != Some(state.config.issuer.as_str())
        || claims.contains_key("client_id")
    {
        return None;
    }
    let aud = text("aud")?;
    if text("azp").as_deref() != Some(aud.as_str()) {
        return None;
    }
    Some(Hint {
        sub: text("sub")?,
        aud,
        sid: text("sid"),
    })
}
