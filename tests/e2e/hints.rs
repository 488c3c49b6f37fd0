//! `id_token_hint` at the authorization and logout endpoints: only an ID token of ours is a
//! hint (never an access token, which is a JWT we sign too), and one signed by a key rotated
//! out since is still recognised for as long as its session can live.

use openidconnect::OAuth2TokenResponse;
use postern_tests::*;

use crate::rp;

async fn signed_in(s: &TestServer) -> (rp::Client, String, String, Browser) {
    let (c, _, tokens, browser) = rp::anna_at_shop(s, &[]).await;
    let id_token = tokens.extra_fields().id_token().unwrap().to_string();
    let access_token = tokens.access_token().secret().clone();
    (c, id_token, access_token, browser)
}

/// A silent authorization with `hint` as `id_token_hint`: where it lands.
async fn silent(s: &TestServer, c: &rp::Client, b: &Browser, hint: &str) -> (rp::Started, Landing) {
    let started = rp::start(c, &[], &[("prompt", "none"), ("id_token_hint", hint)]);
    let landing = b.open(&s.url, started.url.as_str()).await;
    (started, landing)
}

/// Replaces the signing keys at once, then lets two hours pass (a minute first: keys that
/// become active in the same second are ordered by kid).
fn rotate_out_two_hours_ago(s: &TestServer) {
    s.clock.advance(60);
    s.state.keys.rotate(s.state.now(), 0).unwrap();
    s.clock.advance(2 * 3600);
    s.state.keys.reload(s.state.now()).unwrap();
}

fn logout_url(s: &TestServer, hint: &str) -> String {
    format!(
        "{}/logout?id_token_hint={hint}&post_logout_redirect_uri=https://rp.test/bye&state=s1",
        s.url
    )
}

#[tokio::test]
async fn an_access_token_is_not_an_id_token_hint() {
    let s = spawn().await;
    let (c, id_token, access_token, browser) = signed_in(&s).await;
    assert_eq!(access_token.matches('.').count(), 2, "a JWT we signed");

    // The ID token is a hint.
    let (started, landing) = silent(&s, &c, &browser, &id_token).await;
    rp::code_from(&s, &started, landing);

    // The access token, with the same issuer, subject and audience, is not.
    let (_, landing) = silent(&s, &c, &browser, &access_token).await;
    let Landing::Client(back) = landing else {
        panic!("prompt=none never shows a page: {landing:?}")
    };
    let q = query(&back);
    assert_eq!(q.get("error").map(String::as_str), Some("invalid_request"));
    assert!(!q.contains_key("code"), "{back}");

    // Nor does it sign the user out without asking.
    let landing = browser.open(&s.url, &logout_url(&s, &access_token)).await;
    let Landing::Page(status, _) = landing else {
        panic!("an access token does not prove the request comes from the RP: {landing:?}")
    };
    assert_eq!(status, 400);
    let (started, landing) = silent(&s, &c, &browser, &id_token).await;
    rp::code_from(&s, &started, landing);
}

#[tokio::test]
async fn an_id_token_of_a_rotated_out_key_is_a_hint_while_its_session_lives() {
    let s = spawn().await;
    let (c, id_token, _, browser) = signed_in(&s).await;

    // The key that signed it is replaced at once, and two hours pass: long past the ID
    // token's own lifetime, well within the session's.
    rotate_out_two_hours_ago(&s);

    let (started, landing) = silent(&s, &c, &browser, &id_token).await;
    rp::code_from(&s, &started, landing);
    let Landing::Client(back) = browser.open(&s.url, &logout_url(&s, &id_token)).await else {
        panic!("a valid hint needs no confirmation")
    };
    assert_eq!(back.as_str(), "https://rp.test/bye?state=s1");
}

#[tokio::test]
async fn a_key_kept_for_hints_verifies_nothing_else() {
    let s = spawn().await;
    let (c, id_token, access_token, browser) = signed_in(&s).await;
    // An access token's lifetime is minutes; a key replaced two hours ago (say after a
    // leak) must not vouch for one, although it still reads old ID tokens as hints.
    rotate_out_two_hours_ago(&s);
    let (started, landing) = silent(&s, &c, &browser, &id_token).await;
    rp::code_from(&s, &started, landing);
    assert!(
        s.state.keys.current().verify(&access_token).is_err(),
        "the key verifies tokens no longer"
    );
    let jwks: serde_json::Value = reqwest::get(format!("{}/jwks", s.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = jwt_header(&id_token)["kid"].as_str().unwrap().to_owned();
    assert!(
        !jwks.to_string().contains(&kid),
        "nor is it published: {jwks}"
    );
}
