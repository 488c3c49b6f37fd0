//! DPoP proofs for the tests (RFC 9449 §4.2): signed by a key of the client's own, its public
//! half in the header.

use josekit::{
    jws::JwsHeader,
    jwt::{self},
};
use serde_json::{Value, json};

use crate::client_keys::{Key, payload, signer};

/// The claims of a proof for `method` `url`, by `now`, naming `access_token` when given.
pub fn claims(method: &str, url: &str, now: i64, access_token: Option<&str>) -> Value {
    let mut c = json!({
        "jti": uuid::Uuid::new_v4().to_string(), "htm": method, "htu": url, "iat": now,
    });
    if let Some(at) = access_token {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(at.as_bytes());
        c["ath"] = json!(idp::crypto::b64url(&hash));
    }
    c
}

/// `claims` signed with `k` as a DPoP proof (`typ` `dpop+jwt`, the public key in `jwk`).
pub fn sign(k: &Key, claims: &Value) -> String {
    let mut h = JwsHeader::new();
    h.set_token_type("dpop+jwt");
    h.set_jwk(k.public.clone());
    jwt::encode_with_signer(&payload(claims), &h, &*signer(k)).unwrap()
}

/// A proof of `k` for `method` `url` at the server's time.
pub fn proof(s: &crate::TestServer, k: &Key, method: &str, path: &str, at: Option<&str>) -> String {
    sign(
        k,
        &claims(method, &format!("{}{path}", s.url), s.state.now(), at),
    )
}

/// The RFC 7638 thumbprint of `k`, as the server computes it.
pub fn jkt(k: &Key) -> String {
    let v: Value = serde_json::to_value(k.public.as_ref()).unwrap();
    idp::protocol::dpop::thumbprint(v.as_object().unwrap()).unwrap()
}
