//! DPoP server nonces (RFC 9449 §8, §9): with `dpop.require_nonce`, a proof without a
//! current nonce of Postern's is answered `use_dpop_nonce` with one to use, at the token
//! endpoint (400) and at userinfo (401, in the `DPoP` scheme); every answer to a request
//! with a proof hands out the next nonce.

use openidconnect::OAuth2TokenResponse;
use postern_tests::{
    client_keys::key,
    dpop::{claims, sign},
    *,
};
use serde_json::{Value, json};

use crate::rp;

/// A proof of `k` for `method` `path`, with `nonce` when given.
fn proof_with(
    s: &TestServer,
    k: &client_keys::Key,
    method: &str,
    path: &str,
    at: Option<&str>,
    nonce: Option<&str>,
) -> String {
    let mut c = claims(method, &format!("{}{path}", s.url), s.state.now(), at);
    if let Some(n) = nonce {
        c["nonce"] = json!(n);
    }
    sign(k, &c)
}

struct Answer {
    status: u16,
    body: Value,
    nonce: Option<String>,
    challenge: String,
}

async fn answer(r: reqwest::Response) -> Answer {
    let header = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_owned());
    let (status, nonce, challenge) = (
        r.status().as_u16(),
        header("dpop-nonce"),
        header("www-authenticate").unwrap_or_default(),
    );
    Answer {
        status,
        nonce,
        challenge,
        body: r.json().await.unwrap_or(Value::Null),
    }
}

/// A refresh of the shop's offline grant, with `proof`.
async fn refresh(s: &TestServer, refresh_token: &str, proof: &str) -> Answer {
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("shop", Some(rp::secret_of("shop")))
        .header("DPoP", proof)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap();
    answer(r).await
}

async fn userinfo_with(s: &TestServer, at: &str, proof: &str) -> Answer {
    let r = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .header("Authorization", format!("DPoP {at}"))
        .header("DPoP", proof)
        .send()
        .await
        .unwrap();
    answer(r).await
}

#[tokio::test]
async fn proofs_need_a_current_server_nonce_when_nonces_are_required() {
    let s = spawn_with(|c| c.dpop.require_nonce = true).await;
    let (_, _, tokens, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let mut rt = tokens.refresh_token().unwrap().secret().clone();
    let k = key("ES256", "dpop");

    // Without a nonce: 400 use_dpop_nonce, and the nonce to use.
    let first = refresh(&s, &rt, &proof_with(&s, &k, "POST", "/token", None, None)).await;
    assert_eq!(first.status, 400, "{}", first.body);
    assert_eq!(first.body["error"], "use_dpop_nonce");
    let nonce = first.nonce.expect("a DPoP-Nonce header");
    // The refresh token was not spent on the refused attempt.
    let ok = refresh(
        &s,
        &rt,
        &proof_with(&s, &k, "POST", "/token", None, Some(&nonce)),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["token_type"], "DPoP");
    assert!(ok.nonce.is_some(), "the next nonce comes with every answer");
    rt = ok.body["refresh_token"].as_str().unwrap().to_owned();
    let at = ok.body["access_token"].as_str().unwrap().to_owned();

    // Userinfo: 401 in the DPoP scheme, then accepted with the nonce.
    let refused = userinfo_with(
        &s,
        &at,
        &proof_with(&s, &k, "GET", "/userinfo", Some(&at), None),
    )
    .await;
    assert_eq!(refused.status, 401);
    assert!(
        refused.challenge.starts_with("DPoP "),
        "{}",
        refused.challenge
    );
    assert!(
        refused.challenge.contains("error=\"use_dpop_nonce\""),
        "{}",
        refused.challenge
    );
    let nonce = refused.nonce.expect("a DPoP-Nonce header at userinfo");
    let ok = userinfo_with(
        &s,
        &at,
        &proof_with(&s, &k, "GET", "/userinfo", Some(&at), Some(&nonce)),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);

    // A made-up nonce, and one that has run out (ten minutes on), are refused alike.
    for (what, n) in [("made up", "29000000.AAAA"), ("not ours", "x")] {
        let a = refresh(
            &s,
            &rt,
            &proof_with(&s, &k, "POST", "/token", None, Some(n)),
        )
        .await;
        assert_eq!(a.body["error"], "use_dpop_nonce", "{what}");
    }
    s.clock.advance(601);
    let stale = refresh(
        &s,
        &rt,
        &proof_with(&s, &k, "POST", "/token", None, Some(&nonce)),
    )
    .await;
    assert_eq!(
        stale.body["error"], "use_dpop_nonce",
        "a nonce of ten minutes ago"
    );
    let fresh = stale.nonce.unwrap();
    assert_ne!(fresh, nonce);
    let ok = refresh(
        &s,
        &rt,
        &proof_with(&s, &k, "POST", "/token", None, Some(&fresh)),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[tokio::test]
async fn without_required_nonces_none_is_asked_for_or_handed_out() {
    let s = spawn().await;
    let (_, _, tokens, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let rt = tokens.refresh_token().unwrap().secret().clone();
    let k = key("ES256", "dpop");
    let ok = refresh(&s, &rt, &proof_with(&s, &k, "POST", "/token", None, None)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.nonce, None);
    // A nonce Postern never gave is still not taken for one.
    let rt = ok.body["refresh_token"].as_str().unwrap();
    let forged = refresh(
        &s,
        rt,
        &proof_with(&s, &k, "POST", "/token", None, Some("1.AAAA")),
    )
    .await;
    assert_eq!(forged.body["error"], "use_dpop_nonce");
}
