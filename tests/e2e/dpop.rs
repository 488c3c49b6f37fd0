//! DPoP (RFC 9449): a token issued with a proof is bound to the proof's key; a resource
//! (userinfo) takes it only in the DPoP scheme with a fresh proof of that key; proofs for
//! another method, URL, time or token, replayed, or badly made are refused.

use postern_tests::{
    client_keys::{key, payload, post, signer},
    dpop::{claims, jkt, proof, sign},
    *,
};
use serde_json::{Value, json};

use crate::rp;

/// A token request with the shop's secret and `dpop` as the DPoP header.
async fn token_with(s: &TestServer, form: &[(&str, &str)], dpop: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("shop", Some(rp::secret_of("shop")))
        .form(form);
    if let Some(p) = dpop {
        req = req.header("DPoP", p);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// A code of `anna` at the shop, and its PKCE verifier.
async fn code(s: &TestServer) -> (String, String) {
    let c = rp::client(s, "shop", Some(&rp::secret_of("shop"))).await;
    let started = rp::start(&c, &["email"], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(s, &started, landing);
    (code, started.verifier.secret().clone())
}

pub(crate) async fn userinfo_with(
    s: &TestServer,
    scheme: &str,
    at: &str,
    dpop: Option<&str>,
) -> (u16, String) {
    let mut req = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .header("Authorization", format!("{scheme} {at}"));
    if let Some(p) = dpop {
        req = req.header("DPoP", p);
    }
    let r = req.send().await.unwrap();
    let challenge = r
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), challenge)
}

#[tokio::test]
async fn a_token_bound_to_a_key_is_used_only_with_that_key() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    s.client(ClientSpec::confidential("shop")).await;
    let k = key("ES256", "dpop");
    let (code, verifier) = code(&s).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "https://rp.test/cb"),
        ("code_verifier", verifier.as_str()),
    ];
    let (status, body) = token_with(&s, &form, Some(&proof(&s, &k, "POST", "/token", None))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
    let at = body["access_token"].as_str().unwrap();
    assert_eq!(jwt_payload(at)["cnf"]["jkt"], jkt(&k));

    // Userinfo: the DPoP scheme and a fresh proof of the key, naming the token.
    let good = || proof(&s, &k, "GET", "/userinfo", Some(at));
    let p = good();
    assert_eq!(userinfo_with(&s, "DPoP", at, Some(&p)).await.0, 200);
    let (status, challenge) = userinfo_with(&s, "DPoP", at, Some(&p)).await;
    assert_eq!(status, 401, "a proof is used once");
    assert!(challenge.starts_with("DPoP "), "{challenge}");
    assert!(challenge.contains("invalid_dpop_proof"), "{challenge}");
    assert_eq!(
        userinfo_with(&s, "Bearer", at, None).await.0,
        401,
        "not as a bearer token"
    );
    assert_eq!(
        userinfo_with(&s, "DPoP", at, None).await.0,
        401,
        "not without a proof"
    );
    let thief = key("ES256", "thief");
    let now = s.state.now();
    let url = format!("{}/userinfo", s.url);
    for (what, p) in [
        (
            "another key",
            proof(&s, &thief, "GET", "/userinfo", Some(at)),
        ),
        (
            "another method",
            proof(&s, &k, "POST", "/userinfo", Some(at)),
        ),
        ("another URL", proof(&s, &k, "GET", "/token", Some(at))),
        ("no ath", proof(&s, &k, "GET", "/userinfo", None)),
        (
            "another token",
            proof(&s, &k, "GET", "/userinfo", Some("other")),
        ),
        ("old", sign(&k, &claims("GET", &url, now - 600, Some(at)))),
    ] {
        assert_eq!(
            userinfo_with(&s, "DPoP", at, Some(&p)).await.0,
            401,
            "{what}"
        );
    }
    assert_eq!(userinfo_with(&s, "DPoP", at, Some(&good())).await.0, 200);

    // Introspection tells a resource server the binding.
    let (_, info) = post(
        &s,
        "/introspect",
        &[
            ("token", at),
            ("client_id", "shop"),
            ("client_secret", &rp::secret_of("shop")),
        ],
    )
    .await;
    assert_eq!(info["token_type"], "DPoP", "{info}");
    assert_eq!(info["cnf"]["jkt"], jkt(&k));
}

#[tokio::test]
async fn bad_proofs_are_refused_at_the_token_endpoint() {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("shop");
    spec.grant_types = vec!["client_credentials".into()];
    s.client(spec).await;
    let k = key("ES256", "dpop");
    let encode = |h: &josekit::jws::JwsHeader, c: &Value| {
        josekit::jwt::encode_with_signer(&payload(c), h, &*signer(&k)).unwrap()
    };
    let form = [("grant_type", "client_credentials")];
    let url = format!("{}/token", s.url);
    let now = s.state.now();
    // The private key in the header: a proof never carries one.
    let private_header = {
        let mut jwk = k.private.clone();
        for (name, v) in k.public.as_ref() {
            if jwk.parameter(name).is_none() {
                jwk.set_parameter(name, Some(v.clone())).unwrap();
            }
        }
        let mut h = josekit::jws::JwsHeader::new();
        h.set_token_type("dpop+jwt");
        h.set_jwk(jwk);
        encode(&h, &claims("POST", &url, now, None))
    };
    let replayed = proof(&s, &k, "POST", "/token", None);
    assert_eq!(token_with(&s, &form, Some(&replayed)).await.0, 200);
    let mut wrong_typ = josekit::jws::JwsHeader::new();
    wrong_typ.set_token_type("JWT");
    wrong_typ.set_jwk(k.public.clone());
    let wrong_typ = encode(&wrong_typ, &claims("POST", &url, now, None));
    for (what, p) in [
        ("replayed", replayed),
        ("GET", proof(&s, &k, "GET", "/token", None)),
        ("another URL", proof(&s, &k, "POST", "/userinfo", None)),
        (
            "from the future",
            sign(&k, &claims("POST", &url, now + 600, None)),
        ),
        ("typ JWT", wrong_typ),
        ("a private key", private_header),
        ("garbage", "not.a.proof".into()),
    ] {
        let (status, body) = token_with(&s, &form, Some(&p)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_dpop_proof")),
            "{what}: {body}"
        );
    }
    // Without a proof: a bearer token, as before.
    let (status, body) = token_with(&s, &form, None).await;
    assert_eq!(
        (status, body["token_type"].as_str()),
        (200, Some("Bearer")),
        "{body}"
    );
    assert!(
        jwt_payload(body["access_token"].as_str().unwrap())
            .get("cnf")
            .is_none()
    );
    assert_eq!(
        discovery(&s).await["dpop_signing_alg_values_supported"],
        json!(["RS256", "PS256", "ES256", "EdDSA"])
    );
}

/// A token request of the public client `app` (client_id in the body, no secret).
async fn public_token(s: &TestServer, form: &[(&str, &str)], dpop: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .form(form);
    if let Some(p) = dpop {
        req = req.header("DPoP", p);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_public_clients_refresh_token_is_bound_to_its_key() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let mut app = ClientSpec::confidential("app");
    app.public = true;
    app.secret = None;
    s.client(app).await;
    let c = rp::client(&s, "app", None).await;
    let started = rp::start(&c, &["offline_access"], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    let k = key("ES256", "app-key");
    let verifier = started.verifier.secret().clone();
    let (status, body) = public_token(
        &s,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "app"),
            ("code", &code),
            ("redirect_uri", "https://rp.test/cb"),
            ("code_verifier", &verifier),
        ],
        Some(&proof(&s, &k, "POST", "/token", None)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let rt = body["refresh_token"].as_str().unwrap().to_owned();
    let refresh = |rt: String| async move {
        vec![
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            ("client_id".to_owned(), "app".to_owned()),
            ("refresh_token".to_owned(), rt),
        ]
    };
    let form = refresh(rt.clone()).await;
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let thief = key("ES256", "thief");
    for (what, p) in [
        ("no proof", None),
        (
            "another key",
            Some(proof(&s, &thief, "POST", "/token", None)),
        ),
    ] {
        let (status, body) = public_token(&s, &form, p.as_deref()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_dpop_proof")),
            "{what}: {body}"
        );
    }
    // The owner's key: the token was not burnt by the attempts.
    let (status, body) =
        public_token(&s, &form, Some(&proof(&s, &k, "POST", "/token", None))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
    let next = refresh(body["refresh_token"].as_str().unwrap().to_owned()).await;
    let next: Vec<(&str, &str)> = next.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, _) = public_token(&s, &next, None).await;
    assert_eq!(status, 400, "its successor is bound too");
}

#[tokio::test]
async fn a_client_held_to_dpop_gets_no_bearer_token() {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("shop");
    spec.grant_types = vec!["client_credentials".into()];
    spec.dpop_bound = true;
    s.client(spec).await;
    let form = [("grant_type", "client_credentials")];
    let (status, body) = token_with(&s, &form, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    let k = key("EdDSA", "k");
    let (status, body) = token_with(&s, &form, Some(&proof(&s, &k, "POST", "/token", None))).await;
    assert_eq!(
        (status, body["token_type"].as_str()),
        (200, Some("DPoP")),
        "{body}"
    );
}
