//! RP-initiated logout with an ID token from the `openidconnect` crate.

use openidconnect::{
    CsrfToken, EndSessionUrl, LogoutRequest, PostLogoutRedirectUrl, core::CoreJwsSigningAlgorithm,
};
use postern_tests::*;

use crate::rp;

async fn end_session_url(s: &TestServer) -> EndSessionUrl {
    let doc: serde_json::Value =
        reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    EndSessionUrl::new(doc["end_session_endpoint"].as_str().unwrap().into()).unwrap()
}

#[tokio::test]
async fn logout_with_an_id_token_hint_ends_the_session_and_returns() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (_, tokens, browser) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &[],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let id_token = tokens.extra_fields().id_token().unwrap().clone();
    let state = CsrfToken::new_random();
    let url = LogoutRequest::from(end_session_url(&s).await)
        .set_id_token_hint(&id_token)
        .set_post_logout_redirect_uri(
            PostLogoutRedirectUrl::new("https://rp.test/bye".into()).unwrap(),
        )
        .set_state(state.clone())
        .http_get_url();
    let Landing::Client(back) = browser.open(&s.url, url.as_str()).await else {
        panic!("a valid hint needs no confirmation")
    };
    assert_eq!(back.path(), "/bye");
    assert_eq!(&query(&back)["state"], state.secret());

    // The session is gone: prompt=none now says so.
    let started = rp::start(&c, &[], &[("prompt", "none")]);
    let Landing::Client(back) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "login_required");
}

#[tokio::test]
async fn logout_without_a_hint_asks_first_and_never_redirects_to_unregistered_uris() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (_, _, browser) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &[],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let end = end_session_url(&s).await;

    let evil = format!(
        "{}?client_id=shop&post_logout_redirect_uri=https://evil.test/",
        end.url()
    );
    let Landing::Page(400, _) = browser.open(&s.url, &evil).await else {
        panic!("an unregistered URI is an error page")
    };

    // Without an ID token a third party could sign the user out: a confirmation page.
    let url = format!(
        "{}?client_id=shop&post_logout_redirect_uri=https://rp.test/bye&state=z",
        end.url()
    );
    let Landing::Page(200, html) = browser.open(&s.url, &url).await else {
        panic!("confirmation page")
    };
    let form = parse_form(&html).unwrap();
    let landing = browser.submit(&s.url, &form).await;
    let Landing::Client(back) = landing else {
        panic!("back to the client after confirming: {landing:?}")
    };
    assert_eq!(back.as_str(), "https://rp.test/bye?state=z");
    let started = rp::start(&c, &[], &[("prompt", "none")]);
    let Landing::Client(back) = browser.open(&s.url, started.url.as_str()).await else {
        panic!()
    };
    assert_eq!(query(&back)["error"], "login_required");
}
