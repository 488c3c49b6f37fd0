//! private_key_jwt for the tests: client keys of each algorithm, their JWK Sets, signed
//! client assertions (RFC 7523 §3), and token requests authenticated by them.

use idp::storage::ClientKeys;
use josekit::{
    jwk::{Jwk, alg::ed::EdCurve},
    jws::{ES256, EdDSA, JwsHeader, JwsSigner, PS256, RS256},
    jwt::{self, JwtPayload},
};
use serde_json::{Value, json};

use crate::{ClientSpec, TestServer};

/// `client_assertion_type` of a JWT assertion.
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A client's key pair of one algorithm, with its kid.
pub struct Key {
    pub alg: &'static str,
    pub kid: String,
    pub private: Jwk,
    pub public: Jwk,
}

/// A new key pair for `alg` (RS256, PS256, ES256, anything else EdDSA/Ed25519).
pub fn key(alg: &'static str, kid: &str) -> Key {
    let (mut private, mut public) = match alg {
        "RS256" => {
            let k = RS256.generate_key_pair(2048).unwrap();
            (k.to_jwk_private_key(), k.to_jwk_public_key())
        }
        "PS256" => {
            let k = PS256.generate_key_pair(2048).unwrap();
            (k.to_jwk_private_key(), k.to_jwk_public_key())
        }
        "ES256" => {
            let k = ES256.generate_key_pair().unwrap();
            (k.to_jwk_private_key(), k.to_jwk_public_key())
        }
        _ => {
            let k = EdDSA.generate_key_pair(EdCurve::Ed25519).unwrap();
            (k.to_jwk_private_key(), k.to_jwk_public_key())
        }
    };
    private.set_key_id(kid);
    public.set_key_id(kid);
    Key {
        alg,
        kid: kid.into(),
        private,
        public,
    }
}

/// The JWK Set of the public halves.
pub fn jwks(keys: &[&Key]) -> String {
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| serde_json::to_value(k.public.as_ref()).unwrap())
        .collect();
    json!({ "keys": keys }).to_string()
}

/// A josekit signer with the private half.
pub fn signer(k: &Key) -> Box<dyn JwsSigner> {
    match k.alg {
        "RS256" => Box::new(RS256.signer_from_jwk(&k.private).unwrap()),
        "PS256" => Box::new(PS256.signer_from_jwk(&k.private).unwrap()),
        "ES256" => Box::new(ES256.signer_from_jwk(&k.private).unwrap()),
        _ => Box::new(EdDSA.signer_from_jwk(&k.private).unwrap()),
    }
}

/// The claims of a valid assertion of `client` for `s`, by the server's clock.
pub fn claims(s: &TestServer, client: &str) -> Value {
    let now = s.state.now();
    json!({
        "iss": client, "sub": client, "aud": s.state.url("/token"),
        "iat": now, "exp": now + 60, "jti": uuid::Uuid::new_v4().to_string(),
    })
}

/// A JWT header with `kid` when given.
pub fn header(kid: Option<&str>) -> JwsHeader {
    let mut h = JwsHeader::new();
    h.set_token_type("JWT");
    if let Some(kid) = kid {
        h.set_key_id(kid);
    }
    h
}

/// JSON claims as a josekit payload.
pub fn payload(claims: &Value) -> JwtPayload {
    JwtPayload::from_map(claims.as_object().unwrap().clone()).unwrap()
}

/// `claims` signed with `k`, its kid in the header.
pub fn sign_claims(k: &Key, claims: &Value) -> String {
    jwt::encode_with_signer(&payload(claims), &header(Some(&k.kid)), &*signer(k)).unwrap()
}

/// A valid assertion of `client` for `s`, signed with `k`.
pub fn assertion(s: &TestServer, k: &Key, client: &str) -> String {
    sign_claims(k, &claims(s, client))
}

/// A form POST to `s`; the status and the JSON body (`null` if none).
pub async fn post(s: &TestServer, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", s.url))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A client-credentials request authenticated by `assertion`.
pub async fn token(s: &TestServer, assertion: &str) -> (u16, Value) {
    post(
        s,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion),
        ],
    )
    .await
}

/// The answer is 401 `invalid_client`.
pub fn assert_invalid_client((status, body): (u16, Value), what: &str) {
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(body["error"], "invalid_client", "{what}: {body}");
}

/// A client-credentials client of `s` that authenticates with `keys` (no secret).
pub async fn register(s: &TestServer, id: &str, keys: ClientKeys) {
    s.client(ClientSpec {
        secret: None,
        keys: Some(keys),
        grant_types: vec!["client_credentials".into()],
        redirect_uris: vec![],
        ..ClientSpec::confidential(id)
    })
    .await;
}
