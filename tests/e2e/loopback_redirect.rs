//! Native apps' loopback redirect URIs (RFC 8252 §7.3): a registered
//! `http://127.0.0.1/callback` admits any port at the time of the request, and nothing else.

use openidconnect::{ClientId, RedirectUrl, core::CoreClient};
use postern_tests::*;

use crate::rp;

/// A public client registered with `registered`, asking to come back to `requested`.
async fn app(s: &TestServer, id: &str, registered: &str, requested: &str) -> rp::Client {
    let mut spec = ClientSpec::confidential(id);
    spec.public = true;
    spec.secret = None;
    spec.redirect_uris = vec![registered.into()];
    let id = spec.client_id.clone();
    s.client(spec).await;
    CoreClient::from_provider_metadata(rp::metadata(s).await, ClientId::new(id), None)
        .set_redirect_uri(RedirectUrl::new(requested.into()).unwrap())
}

#[tokio::test]
async fn a_loopback_ip_redirect_uri_admits_any_port_and_the_code_keeps_it() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let c = app(
        &s,
        "app4",
        "http://127.0.0.1/callback",
        "http://127.0.0.1:53124/callback",
    )
    .await;
    let b = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let landing = b
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let Landing::Client(back) = &landing else {
        panic!("back at the app's port, got {landing:?}")
    };
    assert_eq!(back.port(), Some(53124), "{back}");
    let code = rp::code_from(&s, &started, landing);

    // The token endpoint compares the code's redirect URI exactly: another port is refused.
    let other =
        CoreClient::from_provider_metadata(rp::metadata(&s).await, c.client_id().clone(), None)
            .set_redirect_uri(RedirectUrl::new("http://127.0.0.1:53125/callback".into()).unwrap());
    let refused = other
        .exchange_code(openidconnect::AuthorizationCode::new(code.clone()))
        .unwrap()
        .set_pkce_verifier(openidconnect::PkceCodeVerifier::new(
            started.verifier.secret().clone(),
        ))
        .request_async(&rp::http())
        .await;
    assert!(refused.is_err(), "another port at the token endpoint");

    // IPv6 too.
    let c6 = app(&s, "app6", "http://[::1]/cb", "http://[::1]:40000/cb").await;
    let started = rp::start(&c6, &[], &[]);
    let Landing::Client(back) = b.open(&s.url, started.url.as_str()).await else {
        panic!("the signed-in browser goes straight back")
    };
    assert_eq!(back.port(), Some(40000), "{back}");
}

#[tokio::test]
async fn only_the_port_of_a_loopback_ip_may_differ() {
    let s = spawn().await;
    for (i, (registered, requested)) in [
        (
            "http://127.0.0.1/callback",
            "http://127.0.0.1.evil.com:5000/callback",
        ),
        (
            "http://127.0.0.1/callback",
            "http://127.0.0.1@evil.com/callback",
        ),
        ("http://127.0.0.1/callback", "http://127.0.0.1:5000/other"),
        (
            "http://127.0.0.1/callback",
            "https://127.0.0.1:5000/callback",
        ),
        (
            "http://localhost/callback",
            "http://localhost:5000/callback",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let c = app(&s, &format!("app{i}"), registered, requested).await;
        let started = rp::start(&c, &[], &[]);
        match Browser::new().open(&s.url, started.url.as_str()).await {
            Landing::Page(400, html) => {
                assert!(!html.contains("evil.com\""), "{requested}: {html}")
            }
            other => panic!("{requested}: an error page, never a redirect; got {other:?}"),
        }
    }
}
