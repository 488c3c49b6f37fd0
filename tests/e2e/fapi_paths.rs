//! The FAPI 2.0 rules on the paths around the code flow: a bound token at userinfo, and
//! the server nonces of a push made with a DPoP proof.

use postern_tests::{
    client_keys::{Key, key},
    dpop, *,
};
use serde_json::{Value, json};

use crate::{
    dpop::userinfo_with,
    fapi::{authorization_params, bank, code, good_assertion, redeem},
};

/// An RSA key that signs with `alg` (the same key pair as `k`), its JWKs without `alg`, as
/// an attacker holding the key would send it.
fn as_alg(k: &Key, alg: &'static str) -> Key {
    let (mut private, mut public) = (k.private.clone(), k.public.clone());
    private.set_parameter("alg", None).unwrap();
    public.set_parameter("alg", None).unwrap();
    Key {
        alg,
        kid: k.kid.clone(),
        private,
        public,
    }
}

/// FAPI 2.0 §5.4: PS256, ES256 or EdDSA, at the resource too. A token bound (with PS256)
/// to an RSA key is not used with an RS256 proof of that key.
#[tokio::test]
async fn a_fapi2_token_is_not_used_with_an_rs256_proof() {
    let s = spawn().await;
    let b = bank(&s).await;
    let rsa = key("RS256", "dpop-rsa");
    let (ps, rs) = (as_alg(&rsa, "PS256"), as_alg(&rsa, "RS256"));
    let q = code(&s, &b).await;
    let proof = dpop::proof(&s, &ps, "POST", "/token", None);
    let (status, body) = redeem(&s, &q["code"], &good_assertion(&s, &b), Some(&proof)).await;
    assert_eq!(status, 200, "a PS256 proof: {body}");
    let at = body["access_token"].as_str().unwrap();

    let (status, challenge) = userinfo_with(
        &s,
        "DPoP",
        at,
        Some(&dpop::proof(&s, &rs, "GET", "/userinfo", Some(at))),
    )
    .await;
    assert_eq!(status, 401, "an RS256 proof at userinfo");
    assert!(challenge.contains("invalid_dpop_proof"), "{challenge}");
    let (status, _) = userinfo_with(
        &s,
        "DPoP",
        at,
        Some(&dpop::proof(&s, &ps, "GET", "/userinfo", Some(at))),
    )
    .await;
    assert_eq!(status, 200, "the same key with PS256");
}

/// RFC 9449 §8 and the README: every answer to a request with a proof hands out the next
/// nonce, the push endpoint's too.
#[tokio::test]
async fn a_push_with_a_proof_hands_out_the_next_nonce() {
    let s = spawn_with(|c| c.dpop.require_nonce = true).await;
    let b = bank(&s).await;
    let dk = key("ES256", "device");
    let push = |proof: String| {
        let s = &s;
        let form = authorization_params(s, &b);
        async move {
            let r = reqwest::Client::new()
                .post(format!("{}/par", s.url))
                .header("DPoP", proof)
                .form(&form)
                .send()
                .await
                .unwrap();
            let nonce = r
                .headers()
                .get("dpop-nonce")
                .map(|v| v.to_str().unwrap().to_owned());
            (r.status().as_u16(), nonce, r.json::<Value>().await.unwrap())
        }
    };
    let (status, nonce, body) = push(dpop::proof(&s, &dk, "POST", "/par", None)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("use_dpop_nonce"))
    );
    let mut c = dpop::claims("POST", &format!("{}/par", s.url), s.state.now(), None);
    c["nonce"] = json!(nonce.expect("a nonce to use"));
    let (status, nonce, body) = push(dpop::sign(&dk, &c)).await;
    assert_eq!(status, 201, "{body}");
    assert!(
        nonce.is_some(),
        "the next nonce comes with the pushed request's answer"
    );
}
