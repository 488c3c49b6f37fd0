//! Pushed authorization requests (RFC 9126): the request goes to `/par` authenticated, the
//! browser carries only a `request_uri`, which is used once, expires, and belongs to its
//! client; clients (or the whole deployment) can be held to pushing.

use std::time::Duration;

use postern_tests::*;
use serde_json::Value;

use crate::rp;

const EMAIL: &str = "anna@post.test";

/// POSTs `form` to `/par` with `auth` as Basic credentials (`None`: none).
async fn push(
    s: &TestServer,
    auth: Option<(&str, &str)>,
    form: &[(String, String)],
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/par", s.url))
        .form(form);
    if let Some((id, secret)) = auth {
        req = req.basic_auth(id, Some(secret));
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    assert_eq!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The parameters of an authorization request the `openidconnect` crate made.
fn params_of(started: &rp::Started) -> Vec<(String, String)> {
    started.url.query_pairs().into_owned().collect()
}

fn authorize_url(s: &TestServer, client_id: &str, request_uri: &str) -> String {
    let q = serde_urlencoded::to_string([("client_id", client_id), ("request_uri", request_uri)])
        .unwrap();
    format!("{}/authorize?{q}", s.url)
}

async fn shop(s: &TestServer, require_par: bool) -> rp::Client {
    let mut spec = ClientSpec::confidential("shop");
    spec.require_par = require_par;
    s.client(spec).await;
    s.user(EMAIL).await;
    rp::client(s, "shop", Some(&rp::secret_of("shop"))).await
}

#[tokio::test]
async fn a_pushed_request_signs_in_once_and_only_for_its_client() {
    let s = spawn().await;
    let c = shop(&s, true).await;
    let secret = rp::secret_of("shop");
    let started = rp::start(&c, &["email"], &[]);
    let (status, body) = push(&s, Some(("shop", &secret)), &params_of(&started)).await;
    assert_eq!(status, 201, "{body}");
    let uri = body["request_uri"].as_str().unwrap().to_owned();
    assert!(
        uri.starts_with("urn:ietf:params:oauth:request_uri:"),
        "{uri}"
    );
    assert_eq!(body["expires_in"], 60);

    // The browser carries the request_uri alone; anything else beside it is ignored.
    let url = format!(
        "{}&redirect_uri=https%3A%2F%2Fevil.test%2Fcb&scope=openid+phone",
        authorize_url(&s, "shop", &uri)
    );
    let b = Browser::new();
    let landing = b.sign_in(&s.url, &url, EMAIL, PASSWORD).await;
    let code = rp::code_from(&s, &started, landing);
    let tokens = rp::exchange(&c, &code, started.verifier).await;
    let id_token = tokens.extra_fields().id_token().unwrap().to_string();
    let claims = jwt_payload(&id_token);
    assert_eq!(claims["email"], EMAIL, "the pushed scope");
    assert!(claims.get("phone_number").is_none(), "not the query's");

    // Used once.
    let Landing::Page(400, page) = b.open(&s.url, &authorize_url(&s, "shop", &uri)).await else {
        panic!("a used request_uri is an error page")
    };
    assert!(page.contains("expired or was already used"), "{page}");

    // Another client's request_uri is nobody's.
    s.client(ClientSpec::confidential("other")).await;
    let (_, body) = push(
        &s,
        Some(("shop", &secret)),
        &params_of(&rp::start(&c, &[], &[])),
    )
    .await;
    let uri = body["request_uri"].as_str().unwrap();
    let Landing::Page(400, _) = b.open(&s.url, &authorize_url(&s, "other", uri)).await else {
        panic!("another client's request_uri is refused")
    };
    let Landing::Page(400, _) = b.open(&s.url, &authorize_url(&s, "shop", uri)).await else {
        panic!("and is spent by the attempt")
    };
}

#[tokio::test]
async fn a_request_uri_expires() {
    let s = spawn_with(|c| c.par.ttl = Duration::from_secs(1)).await;
    let c = shop(&s, false).await;
    let started = rp::start(&c, &[], &[]);
    let (_, body) = push(
        &s,
        Some(("shop", &rp::secret_of("shop"))),
        &params_of(&started),
    )
    .await;
    assert_eq!(body["expires_in"], 1);
    // Real time as well as the server's clock: Redis keeps its own.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    s.clock.advance(2);
    let uri = body["request_uri"].as_str().unwrap();
    let Landing::Page(400, _) = Browser::new()
        .open(&s.url, &authorize_url(&s, "shop", uri))
        .await
    else {
        panic!("an expired request_uri is refused")
    };
}

#[tokio::test]
async fn pushed_requests_are_checked_like_authorization_requests() {
    let s = spawn().await;
    let c = shop(&s, false).await;
    let secret = rp::secret_of("shop");
    let good = params_of(&rp::start(&c, &[], &[]));
    let with = |name: &str, value: &str| {
        let mut p: Vec<_> = good.iter().filter(|(k, _)| k != name).cloned().collect();
        p.push((name.into(), value.into()));
        p
    };
    let auth = Some(("shop", secret.as_str()));
    for (what, form, code) in [
        (
            "unregistered redirect",
            with("redirect_uri", "https://evil.test/cb"),
            "invalid_request",
        ),
        (
            "unknown scope",
            with("scope", "openid wallet"),
            "invalid_scope",
        ),
        (
            "no PKCE",
            good.iter()
                .filter(|(k, _)| k != "code_challenge")
                .cloned()
                .collect(),
            "invalid_request",
        ),
        (
            "a request_uri",
            with("request_uri", "urn:ietf:params:oauth:request_uri:x"),
            "invalid_request",
        ),
        (
            "another client",
            with("client_id", "other"),
            "invalid_request",
        ),
        (
            "response type",
            with("response_type", "token"),
            "unsupported_response_type",
        ),
    ] {
        let (status, body) = push(&s, auth, &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(code)),
            "{what}: {body}"
        );
    }
    // A confidential client authenticates.
    let (status, body) = push(&s, None, &good).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    let (status, _) = push(&s, Some(("shop", "wrong")), &good).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_client_held_to_pushing_is_refused_a_plain_request() {
    let s = spawn().await;
    let c = shop(&s, true).await;
    let started = rp::start(&c, &[], &[]);
    let Landing::Client(back) = Browser::new().open(&s.url, started.url.as_str()).await else {
        panic!("the error goes back to the client")
    };
    let q = query(&back);
    assert_eq!(q["error"], "invalid_request", "{back}");
    assert_eq!(&q["state"], started.state.secret());
}

#[tokio::test]
async fn a_deployment_can_require_pushing_for_everyone() {
    let s = spawn_with(|c| c.par.required = true).await;
    let c = shop(&s, false).await;
    let doc = discovery(&s).await;
    assert_eq!(doc["require_pushed_authorization_requests"], true);
    assert_eq!(
        doc["pushed_authorization_request_endpoint"],
        format!("{}/par", s.url)
    );
    let started = rp::start(&c, &[], &[]);
    let Landing::Client(back) = Browser::new().open(&s.url, started.url.as_str()).await else {
        panic!("the error goes back to the client")
    };
    assert_eq!(query(&back)["error"], "invalid_request");

    // A public client pushes with its client_id alone (RFC 9126 §2.1).
    let mut app = ClientSpec::confidential("app");
    app.public = true;
    app.secret = None;
    s.client(app).await;
    let app = rp::client(&s, "app", None).await;
    let started = rp::start(&app, &[], &[]);
    let (status, body) = push(&s, None, &params_of(&started)).await;
    assert_eq!(status, 201, "{body}");
    let uri = body["request_uri"].as_str().unwrap();
    let landing = Browser::new()
        .sign_in(&s.url, &authorize_url(&s, "app", uri), EMAIL, PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    rp::exchange(&app, &code, started.verifier).await;
}
