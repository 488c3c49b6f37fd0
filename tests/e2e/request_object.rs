//! Request objects (RFC 9101): the authorization request signed by the client with its
//! registered keys, by value at `/authorize` or pushed to `/par`; only its parameters count.

use idp::storage::ClientKeys;
use postern_tests::{client_keys::*, *};
use serde_json::{Value, json};

const EMAIL: &str = "anna@post.test";
const REDIRECT: &str = "https://rp.test/cb";

/// A code-flow client `jar` that signs with `k` (and may name its one algorithm).
async fn jar_client(s: &TestServer, k: &Key, alg: Option<&str>) {
    let mut spec = ClientSpec::confidential("jar");
    spec.secret = None;
    spec.keys = Some(ClientKeys::Jwks(jwks(&[k])));
    s.client(spec).await;
    if let Some(alg) = alg {
        idp::admin::clients::update_client(
            &s.state,
            "jar",
            idp::admin::clients::ClientPatch {
                request_object_alg: Some(Some(alg.into())),
                ..Default::default()
            },
            &idp::admin::clients::any_revision,
            &idp::audit::Actor::CommandLine,
            None,
        )
        .await
        .unwrap();
    }
}

/// The claims of a valid request object of `jar` (PKCE with verifier "v" * 43).
fn object(s: &TestServer) -> Value {
    let verifier = "v".repeat(43);
    let challenge =
        idp::crypto::b64url(&<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()));
    json!({
        "client_id": "jar", "iss": "jar", "aud": s.url, "exp": s.state.now() + 300,
        "response_type": "code", "redirect_uri": REDIRECT, "scope": "openid email",
        "state": "st-1", "nonce": "n-1", "code_challenge": challenge,
        "code_challenge_method": "S256",
    })
}

fn authorize_with(s: &TestServer, request: &str, extra: &str) -> String {
    format!("{}/authorize?client_id=jar&request={request}{extra}", s.url)
}

/// Redeems `code` with a `private_key_jwt` assertion of `k`; the ID token's claims.
async fn redeem(s: &TestServer, k: &Key, code: &str) -> Value {
    let verifier = "v".repeat(43);
    let (status, body) = post(
        s,
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &assertion(s, k, "jar")),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    jwt_payload(body["id_token"].as_str().unwrap())
}

#[tokio::test]
async fn a_signed_request_object_is_the_request() {
    let s = spawn().await;
    s.user(EMAIL).await;
    let k = key("ES256", "k1");
    jar_client(&s, &k, None).await;
    let request = sign_claims(&k, &object(&s));
    // What stands beside the object is ignored, even a scope that asks for more.
    let url = authorize_with(&s, &request, "&scope=openid+phone&state=forged");
    let Landing::Client(back) = Browser::new().sign_in(&s.url, &url, EMAIL, PASSWORD).await else {
        panic!("back to the client")
    };
    let q = query(&back);
    assert_eq!(q["state"], "st-1", "the object's state");
    let claims = redeem(&s, &k, &q["code"]).await;
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["email"], EMAIL);
    assert!(
        claims.get("phone_number").is_none(),
        "not the query's scope"
    );

    let doc = discovery(&s).await;
    assert_eq!(doc["request_parameter_supported"], true);
    assert_eq!(
        doc["request_object_signing_alg_values_supported"],
        json!(["RS256", "PS256", "ES256", "EdDSA"])
    );
}

#[tokio::test]
async fn a_request_object_that_does_not_hold_is_refused() {
    let s = spawn().await;
    let k = key("ES256", "k1");
    let stranger = key("ES256", "k1");
    jar_client(&s, &k, None).await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = object(&s);
        f(&mut c);
        c
    };
    let now = s.state.now();
    let refused = [
        ("another key", sign_claims(&stranger, &object(&s))),
        (
            "another client",
            sign_claims(&k, &with(&|c| c["client_id"] = json!("other"))),
        ),
        (
            "another audience",
            sign_claims(&k, &with(&|c| c["aud"] = json!("https://x.test"))),
        ),
        (
            "expired",
            sign_claims(&k, &with(&|c| c["exp"] = json!(now - 120))),
        ),
        (
            "no exp",
            sign_claims(
                &k,
                &with(&|c| drop(c.as_object_mut().unwrap().remove("exp"))),
            ),
        ),
        (
            "too long",
            sign_claims(&k, &with(&|c| c["exp"] = json!(now + 86_400))),
        ),
        ("unsigned", {
            let signed = sign_claims(&k, &object(&s));
            let body = signed.split('.').nth(1).unwrap().to_owned();
            format!("eyJhbGciOiJub25lIn0.{body}.")
        }),
        ("garbage", "not-a-jwt".into()),
    ];
    for (what, request) in refused {
        let Landing::Page(400, page) = Browser::new()
            .open(&s.url, &authorize_with(&s, &request, ""))
            .await
        else {
            panic!("{what}: an error page")
        };
        assert!(page.contains("signed sign-in request"), "{what}: {page}");
    }

    // A client that names its one algorithm gets no other.
    let s = spawn().await;
    let k = key("ES256", "k1");
    jar_client(&s, &k, Some("PS256")).await;
    let Landing::Page(400, _) = Browser::new()
        .open(
            &s.url,
            &authorize_with(&s, &sign_claims(&k, &object(&s)), ""),
        )
        .await
    else {
        panic!("ES256 is not the client's algorithm")
    };
}

#[tokio::test]
async fn a_request_object_can_be_pushed() {
    let s = spawn().await;
    s.user(EMAIL).await;
    let k = key("PS256", "k1");
    jar_client(&s, &k, Some("PS256")).await;
    let push = |request: String| {
        let s = &s;
        let k = &k;
        async move {
            post(
                s,
                "/par",
                &[
                    ("client_id", "jar"),
                    ("request", &request),
                    ("client_assertion_type", ASSERTION_TYPE),
                    ("client_assertion", &assertion(s, k, "jar")),
                ],
            )
            .await
        }
    };
    let mut expired = object(&s);
    expired["exp"] = json!(s.state.now() - 120);
    let (status, body) = push(sign_claims(&k, &expired)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request_object")),
        "{body}"
    );

    let (status, body) = push(sign_claims(&k, &object(&s))).await;
    assert_eq!(status, 201, "{body}");
    let uri = body["request_uri"].as_str().unwrap();
    let url = format!(
        "{}/authorize?client_id=jar&request_uri={}",
        s.url,
        url::form_urlencoded::byte_serialize(uri.as_bytes()).collect::<String>()
    );
    let Landing::Client(back) = Browser::new().sign_in(&s.url, &url, EMAIL, PASSWORD).await else {
        panic!("back to the client")
    };
    let q = query(&back);
    assert_eq!(q["state"], "st-1");
    let claims: Value = redeem(&s, &k, &q["code"]).await;
    assert_eq!(claims["aud"], "jar");
}
