//! The example portal of `relying-party-examples/` against a live server: sign in, see the
//! claims, step up to two factors, switch the organisation, sign out, and be signed out by
//! a back-channel logout token: one made here, and one Postern sends when its session ends.

use idp::{
    audit::Actor,
    orgs::{self, NewMember},
    protocol::types::SigningAlg,
    web::i18n::Lang,
};
use postern_tests::*;
use serde_json::{Value, json};

const PHONE: &str = "+41791234567";

/// A portal for `s` on a port of its own, registered there as client `portal` (with its
/// back-channel logout receiver); its base URL.
async fn portal(s: &TestServer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut spec = ClientSpec::confidential("portal");
    spec.redirect_uris = vec![format!("{base}/callback")];
    spec.post_logout_redirect_uris = vec![format!("{base}/")];
    spec.backchannel_logout_uri = Some(format!("{base}/backchannel-logout"));
    spec.backchannel_logout_session_required = true;
    s.client(spec).await;
    let app = portal::app(portal::Settings {
        issuer: s.url.clone(),
        client_id: "portal".into(),
        client_secret: "portal-secret-0123456789abcdef".into(),
        base_url: base.clone(),
        scopes: portal::DEFAULT_SCOPES
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    })
    .await
    .expect("the portal discovers the server");
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// Follows the portal's button `path` to Postern; the page Postern shows there.
async fn to_postern(s: &TestServer, b: &Browser, base: &str, path: &str) -> Landing {
    let Landing::Client(to_idp) = b.open(base, &format!("{base}{path}")).await else {
        panic!("{path} sends the browser to Postern")
    };
    b.open(&s.url, to_idp.as_str()).await
}

/// Back at the portal from Postern: its home page.
async fn back_home(b: &Browser, base: &str, landing: Landing) -> String {
    let Landing::Client(callback) = landing else {
        panic!("Postern sends the browser back, got {landing:?}")
    };
    let Landing::Page(200, home) = b.open(base, callback.as_str()).await else {
        panic!("the portal's home page")
    };
    home
}

/// Anna signed in to the portal with her password; the home page.
async fn signed_in(s: &TestServer, b: &Browser, base: &str) -> String {
    let Landing::Client(to_idp) = b.open(base, &format!("{base}/login")).await else {
        panic!("the portal sends the browser to Postern")
    };
    let landing = b
        .sign_in(&s.url, to_idp.as_str(), "anna@post.test", PASSWORD)
        .await;
    back_home(b, base, landing).await
}

/// A server with Anna, a portal for it, and Anna signed in there with her password:
/// (server, browser, the portal's base URL, its home page).
async fn anna_at_the_portal() -> (TestServer, Browser, String, String) {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let base = portal(&s).await;
    let b = Browser::new();
    let home = signed_in(&s, &b, &base).await;
    (s, b, base, home)
}

async fn home_page(b: &Browser, base: &str) -> String {
    let Landing::Page(200, home) = b.open(base, &format!("{base}/")).await else {
        panic!("the portal's home page")
    };
    home
}

#[tokio::test]
async fn the_example_portal_signs_in_shows_claims_and_signs_out() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let base = portal(&s).await;
    let b = Browser::new();
    let Landing::Client(to_idp) = b.open(&base, &format!("{base}/login")).await else {
        panic!("the portal sends the browser to Postern")
    };
    let Landing::Client(callback) = b
        .sign_in(&s.url, to_idp.as_str(), "anna@post.test", PASSWORD)
        .await
    else {
        panic!("Postern sends the browser back")
    };
    let Landing::Page(200, home) = b.open(&base, callback.as_str()).await else {
        panic!("the portal's home page")
    };
    assert!(
        home.contains("Signed in as <strong>anna@post.test</strong>"),
        "{home}"
    );
    assert!(home.contains("auth_time"), "the ID token claims are shown");
    assert!(home.contains("+41791234567"), "userinfo is shown");

    let Landing::Client(end_session) = b.open(&base, &format!("{base}/logout")).await else {
        panic!("the portal sends the browser to Postern's logout")
    };
    let Landing::Client(back) = b.open(&s.url, end_session.as_str()).await else {
        panic!("with an id_token_hint Postern returns at once")
    };
    let Landing::Page(200, home) = b.open(&base, back.as_str()).await else {
        panic!("the portal's home page")
    };
    assert!(home.contains("not signed in"), "{home}");

    // The callback's state is single use.
    let Landing::Page(400, _) = b.open(&base, callback.as_str()).await else {
        panic!("a replayed callback is refused")
    };
}

#[tokio::test]
async fn the_step_up_button_asks_only_the_second_factor_and_shows_the_acr() {
    let (s, b, base, home) = anna_at_the_portal().await;
    assert!(home.contains("<code>urn:postern:acr:1fa</code>"), "{home}");
    assert!(home.contains("href=\"/step-up\""), "{home}");

    let Landing::Page(200, html) = to_postern(&s, &b, &base, "/step-up").await else {
        panic!("the factor page")
    };
    assert!(
        !html.contains("name=\"password\""),
        "no password again: {html}"
    );
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));
    form.set("code", &last_sms_code(&s, PHONE));
    let home = back_home(&b, &base, b.submit(&s.url, &form).await).await;
    assert!(
        home.contains("Signed in with two factors (<code>urn:postern:acr:2fa</code>)"),
        "{home}"
    );
    assert!(!home.contains("href=\"/step-up\""), "{home}");
}

#[tokio::test]
async fn the_organisation_switch_shows_whom_the_person_acts_for() {
    let (s, b, base, home) = anna_at_the_portal().await;
    let org = orgs::create_org(&s.state, &Actor::CommandLine, "Alpha AG", None)
        .await
        .unwrap();
    let member = NewMember {
        email: "anna@post.test".into(),
        roles: vec!["billing".into()],
        services: vec!["portal".into()],
    };
    orgs::add_member(&s.state, &Actor::CommandLine, &org.id, member, Lang::En)
        .await
        .unwrap();
    assert!(home.contains("Acting for yourself."), "{home}");

    let Landing::Page(200, html) = to_postern(&s, &b, &base, "/switch-organisation").await else {
        panic!("the organisation picker")
    };
    let mut form = parse_form(&html).expect("the picker's form");
    form.set("org", &org.id);
    let home = back_home(&b, &base, b.submit(&s.url, &form).await).await;
    assert!(
        home.contains(&format!(
            "Acting for <strong>Alpha AG</strong> (<code>{}</code>)",
            org.id
        )),
        "{home}"
    );
    assert!(home.contains("billing"), "the roles: {home}");
}

/// The value of `"name": "…"` in the claims the home page shows.
fn shown_claim(home: &str, name: &str) -> String {
    let needle = format!("&quot;{name}&quot;: &quot;");
    let start = home
        .find(&needle)
        .unwrap_or_else(|| panic!("{name} in {home}"))
        + needle.len();
    let end = home[start..].find("&quot;").unwrap() + start;
    home[start..end].to_owned()
}

/// A logout token for `portal` signed by `s` as Postern signs them: RS256, typ logout+jwt.
fn logout_token(s: &TestServer, change: impl FnOnce(&mut Value)) -> String {
    let now = s.state.now();
    let mut claims = json!({
        "iss": s.url, "aud": "portal", "iat": now, "exp": now + 120,
        "jti": uuid::Uuid::new_v4().to_string(),
        "events": { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    change(&mut claims);
    let claims = claims.as_object().unwrap().clone();
    s.state
        .keys
        .current()
        .sign(SigningAlg::RS256, "logout+jwt", claims)
        .unwrap()
}

async fn post_logout(base: &str, token: &str) -> (u16, String, String) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/backchannel-logout"))
        .form(&[("logout_token", token)])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let cache = resp.headers()["cache-control"].to_str().unwrap().to_owned();
    (status, cache, resp.text().await.unwrap())
}

#[tokio::test]
async fn a_logout_token_from_postern_ends_the_visits_of_that_session() {
    let (s, b, base, home) = anna_at_the_portal().await;
    let sid = shown_claim(&home, "sid");
    let sub = shown_claim(&home, "sub");

    // Refused tokens change nothing: 400 invalid_request.
    for bad in [
        logout_token(&s, |c| c["aud"] = json!("other")),
        logout_token(&s, |c| c["nonce"] = json!("n")),
        "not-a-token".to_owned(),
    ] {
        let (status, cache, body) = post_logout(&base, &bad).await;
        assert_eq!((status, cache.as_str()), (400, "no-store"));
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap()["error"],
            "invalid_request"
        );
    }
    // Another session of Postern's is not this visit.
    let other = logout_token(&s, |c| {
        c["sid"] = json!("another-session");
        c["sub"] = json!(sub);
    });
    assert_eq!(post_logout(&base, &other).await.0, 200);
    assert!(home_page(&b, &base).await.contains("Signed in as"));

    let token = logout_token(&s, |c| {
        c["sid"] = json!(sid);
        c["sub"] = json!(sub);
    });
    let (status, cache, _) = post_logout(&base, &token).await;
    assert_eq!((status, cache.as_str()), (200, "no-store"));
    assert!(home_page(&b, &base).await.contains("not signed in"));
}

/// The dev seed registers the example portal (`demo-portal`) for logout tokens at
/// `DEMO_BACKCHANNEL_URI`: the portal serves that route (a bad token is its 400, not a 404).
#[tokio::test]
async fn the_example_portal_serves_the_back_channel_logout_uri_the_seed_registers() {
    let s = spawn().await;
    let base = portal(&s).await;
    let seeded = url::Url::parse(idp::admin::seed::DEMO_BACKCHANNEL_URI).unwrap();
    let r = reqwest::Client::new()
        .post(format!("{base}{}", seeded.path()))
        .form(&[("logout_token", "not.a.token")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        400,
        "{} is the portal's receiver",
        seeded.path()
    );
}

#[tokio::test]
async fn a_logout_at_postern_reaches_the_portal_through_the_back_channel() {
    let (s, b, base, home) = anna_at_the_portal().await;
    assert!(home.contains("Signed in as"), "{home}");
    // Postern's own logout, in the browser that holds its session: the confirmation page,
    // then its button. The portal is not involved; only the back channel can tell it.
    let Landing::Page(200, html) = b.open(&s.url, &format!("{}/logout", s.url)).await else {
        panic!("Postern's logout confirmation")
    };
    let form = parse_form(&html).expect("the confirmation form");
    b.submit(&s.url, &form).await;
    // Postern queues the logout token and its sender delivers it: wait for it.
    for _ in 0..200 {
        if home_page(&b, &base).await.contains("not signed in") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the portal visit outlived Postern's session");
}
