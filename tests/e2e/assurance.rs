//! Who is this and how strongly, tried as an attacker would: the console signs in through
//! the same policy as any client, a password alone cannot add a factor, a second device's
//! step-up gets its own SMS code, and a password change ends the other sessions.

use openidconnect::{OAuth2TokenResponse, core::CoreJwsSigningAlgorithm};
use postern_tests::*;

use crate::rp;

const EMAIL: &str = "anna@post.test";
const PHONE: &str = "+41791234567";
const TWO: &str = "urn:postern:acr:2fa";

fn page(landing: Landing) -> (u16, String) {
    match landing {
        Landing::Page(status, html) => (status, html),
        other => panic!("expected a page, got {other:?}"),
    }
}

fn sms_count(s: &TestServer) -> usize {
    outbox(s)
        .iter()
        .filter(|m| m.channel == "sms" && m.to == PHONE)
        .count()
}

/// Enters the newest SMS code on the factor page `html`.
async fn enter_sms_code(s: &TestServer, b: &Browser, html: &str) -> Landing {
    let mut form = form_for(html, "/login/factor/verify", Some("sms"));
    form.set("code", &last_sms_code(s, PHONE));
    b.submit(&s.url, &form).await
}

#[tokio::test]
async fn with_two_factors_required_the_console_asks_for_the_second_factor() {
    let s = spawn_with(|c| c.authn.require_two_factor = true).await;
    s.user(EMAIL).await;
    let b = Browser::new();
    let (_, html) = page(
        b.sign_in(&s.url, &format!("{}/account", s.url), EMAIL, PASSWORD)
            .await,
    );
    assert!(
        html.contains("/login/factor/verify") || html.contains("&#x2f;login&#x2f;factor"),
        "the factor page, not the console: {html}"
    );
    // Nor may the half-signed-in browser open a console page directly.
    let (_, html) = page(b.open(&s.url, &format!("{}/account/security", s.url)).await);
    assert!(
        !html.contains("/account/security/totp/start") && !html.contains("totp&#x2f;start"),
        "{html}"
    );
    let (status, html) = page(enter_sms_code(&s, &b, &html).await);
    assert_eq!(status, 200);
    assert!(
        html.contains("/account/security/totp/start")
            || html.contains("&#x2f;account&#x2f;security&#x2f;totp&#x2f;start"),
        "with both factors, the security page: {html}"
    );
}

#[tokio::test]
async fn a_password_alone_cannot_add_an_authenticator_app_or_a_passkey() {
    let s = spawn_localhost().await;
    s.user(EMAIL).await;
    let b = Browser::new();
    // The profile is open to a password session; the security page asks for the SMS code
    // (the strongest factor this user has) first.
    let (_, profile) = page(
        b.sign_in(&s.url, &format!("{}/account", s.url), EMAIL, PASSWORD)
            .await,
    );
    let csrf = form_for(&profile, "/account", None)
        .fields
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
        .expect("a CSRF token");
    let (_, html) = page(b.open(&s.url, &format!("{}/account/security", s.url)).await);
    assert!(
        !html.contains("totp&#x2f;start") && !html.contains("/account/security/totp/start"),
        "no security page for a password alone: {html}"
    );
    assert!(
        html.contains("/login/factor/verify") || html.contains("&#x2f;login&#x2f;factor"),
        "asked for the SMS code: {html}"
    );

    // Posting straight to the forms and the script's endpoints gets nothing either.
    let form = Form {
        action: "/account/security/totp/start".into(),
        fields: vec![("csrf".into(), csrf.clone())],
    };
    let landing = b.submit(&s.url, &form).await;
    if let Landing::Page(_, html) = &landing {
        assert!(
            !html.contains("otpauth") && !html.contains("<code>"),
            "{html}"
        );
    }
    let r = b
        .http
        .post(format!("{}/account/security/passkeys/options", s.url))
        .header("x-csrf-token", &csrf)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let body = r.text().await.unwrap();
    assert!(!body.contains("challenge"), "{body}");

    // After the SMS code, the same browser may.
    let (_, html) = page(b.open(&s.url, &format!("{}/account/security", s.url)).await);
    let (status, html) = page(enter_sms_code(&s, &b, &html).await);
    assert_eq!(status, 200);
    let start = form_for(&html, "/account/security/totp/start", None);
    let (_, html) = page(b.submit(&s.url, &start).await);
    assert!(
        html.contains("otpauth") || html.contains("<code>"),
        "{html}"
    );
}

#[tokio::test]
async fn two_sms_step_ups_within_a_minute_each_get_their_own_code() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user(EMAIL).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let mut codes = Vec::new();
    for device in 0..2 {
        let b = Browser::new();
        let started = rp::start(&c, &[], &[("acr_values", TWO)]);
        let (_, html) = page(
            b.sign_in(&s.url, started.url.as_str(), EMAIL, PASSWORD)
                .await,
        );
        assert_eq!(sms_count(&s), device + 1, "device {device} got an SMS");
        codes.push(last_sms_code(&s, PHONE));
        let landing = enter_sms_code(&s, &b, &html).await;
        rp::code_from(&s, &started, landing);
        s.clock.advance(20);
    }
    assert_ne!(codes[0], codes[1], "a code of its own");
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_their_refresh_tokens() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user(EMAIL).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (_, tokens, other) = rp::login(
        &s,
        &c,
        EMAIL,
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;

    let b = Browser::new();
    let (_, mut html) = page(
        b.sign_in(
            &s.url,
            &format!("{}/account/security", s.url),
            EMAIL,
            PASSWORD,
        )
        .await,
    );
    if html.contains("/login/factor/verify") || html.contains("&#x2f;login&#x2f;factor") {
        html = page(enter_sms_code(&s, &b, &html).await).1;
    }
    assert!(
        html.contains("name=\"keep_sessions\" value=\"on\">"),
        "keeping the other sessions is offered, unchecked: {html}"
    );
    let mut change = form_for(&html, "/account/security/password", None);
    // An unchecked box is not sent.
    change.fields.retain(|(k, _)| k != "keep_sessions");
    change.set("current", PASSWORD);
    change.set("password", "vivid saffron lighthouse");
    change.set("password2", "vivid saffron lighthouse");
    let (status, html) = page(b.submit(&s.url, &change).await);
    assert_eq!(status, 200, "{html}");

    let refreshed = c
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&rp::http())
        .await;
    assert!(
        refreshed.is_err(),
        "the other device's refresh token is refused"
    );
    let started = rp::start(&c, &[], &[]);
    let (_, html) = page(other.open(&s.url, started.url.as_str()).await);
    assert!(
        html.contains("name=\"email\""),
        "the other browser signs in again"
    );
    // This browser stays signed in.
    let (status, _) = page(b.open(&s.url, &format!("{}/account", s.url)).await);
    assert_eq!(status, 200);
    let started = rp::start(&c, &[], &[]);
    rp::code_from(&s, &started, b.open(&s.url, started.url.as_str()).await);
}

#[tokio::test]
async fn a_form_token_is_good_only_for_the_session_it_was_shown_in() {
    let s = spawn().await;
    s.user(EMAIL).await;
    let b = Browser::new();
    let (_, html) = page(
        b.sign_in(&s.url, &format!("{}/account", s.url), EMAIL, PASSWORD)
            .await,
    );
    let mut old = form_for(&html, "/account", None);
    old.set("given_name", "Mallory");
    // Signed out, then in again: a new session in the same browser.
    let out = form_for(&html, "/logout/confirm", None);
    b.submit(&s.url, &out).await;
    let (status, _) = page(
        b.sign_in(&s.url, &format!("{}/account", s.url), EMAIL, PASSWORD)
            .await,
    );
    assert_eq!(status, 200);
    let (status, _) = page(b.submit(&s.url, &old).await);
    assert_eq!(status, 403, "the old session's form is refused");
}

/// An authenticator app for `user`, as if added from another browser.
async fn enrol_totp(s: &TestServer, user_id: &str) {
    s.state
        .stores
        .credentials
        .add_credential(&idp::storage::Credential {
            id: format!("totp-{user_id}"),
            user_id: user_id.into(),
            kind: idp::model::CredentialKind::Totp,
            name: "Authenticator app".into(),
            data: serde_json::json!({ "secret": "JBSWY3DPEHPK3PXP" }),
            lookup: None,
            counter: 0,
            created_at: s.state.now(),
            used_at: None,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_password_session_must_reach_the_floor_of_a_factor_enrolled_after_it_began() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let user = s.user(EMAIL).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let b = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let landing = b
        .sign_in(&s.url, started.url.as_str(), EMAIL, PASSWORD)
        .await;
    rp::code_from(&s, &started, landing);
    // The owner adds an app elsewhere: this password-only session no longer suffices.
    enrol_totp(&s, &user.id).await;
    let started = rp::start(&c, &[], &[("prompt", "none")]);
    let Landing::Client(url) = b.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none answers the client")
    };
    assert_eq!(
        query(&url).get("error").map(String::as_str),
        Some("interaction_required"),
        "{url}"
    );
    let (_, html) = page(b.open(&s.url, &format!("{}/account", s.url)).await);
    assert!(
        html.contains("/login/factor/verify"),
        "the console asks too: {html}"
    );
}

#[tokio::test]
async fn a_session_below_its_floor_cannot_consent_for_the_user() {
    let s = spawn().await;
    let mut partner = ClientSpec::confidential("partner");
    partner.first_party = false;
    s.client(partner).await;
    let user = s.user(EMAIL).await;
    enrol_totp(&s, &user.id).await;
    let c = rp::client(&s, "partner", Some(&rp::secret_of("partner"))).await;
    let b = Browser::new();
    let started = rp::start(&c, &["offline_access"], &[]);
    let (_, factor) = page(
        b.sign_in(&s.url, started.url.as_str(), EMAIL, PASSWORD)
            .await,
    );
    assert!(factor.contains("/login/factor/verify"), "{factor}");
    let tx = attribute(&factor, "name=\"tx\" value").unwrap_or_else(|| {
        let f = form_for(&factor, "/login/factor/verify", Some("totp"));
        f.fields.into_iter().find(|(k, _)| k == "tx").unwrap().1
    });
    // Straight to the consent page and its form: the factor page again, nothing recorded.
    let (_, html) = page(b.open(&s.url, &format!("{}/consent?tx={tx}", s.url)).await);
    assert!(!html.contains("action=\"/consent\""), "{html}");
    let mut allow = form_for(&factor, "/login/factor/verify", Some("totp"));
    allow.action = "/consent".into();
    allow.set("decision", "allow");
    let landing = b.submit(&s.url, &allow).await;
    assert!(!matches!(landing, Landing::Client(_)), "{landing:?}");
    let consent = s
        .state
        .stores
        .consents
        .find_consent(&user.id, "partner")
        .await
        .unwrap();
    assert!(consent.is_none(), "no consent recorded");
}
