//! Strong authentication end to end: SMS step-up, TOTP with an injected clock, recovery
//! codes, passkeys with a software authenticator, and the acr/amr a relying party receives.

use openidconnect::core::{CoreIdTokenClaims, CoreJwsSigningAlgorithm};
use postern_tests::*;

use crate::rp;

const TWO: &str = "urn:postern:acr:2fa";
const PHR: &str = "urn:postern:acr:phr";
const PHONE: &str = "+41791234567";

async fn setup(s: &TestServer) -> rp::Client {
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    rp::client(s, "shop", Some(&rp::secret_of("shop"))).await
}

/// Redeems the code of `landing` and returns the validated ID token claims.
async fn claims_of(
    s: &TestServer,
    c: &rp::Client,
    started: rp::Started,
    landing: Landing,
) -> CoreIdTokenClaims {
    let code = rp::code_from(s, &started, landing);
    let tokens = rp::exchange(c, &code, started.verifier).await;
    let verifier = c
        .id_token_verifier()
        .set_allowed_algs(vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]);
    tokens
        .extra_fields()
        .id_token()
        .unwrap()
        .claims(&verifier, &started.nonce)
        .unwrap()
        .clone()
}

fn acr(claims: &CoreIdTokenClaims) -> String {
    claims.auth_context_ref().unwrap().to_string()
}

fn amr(claims: &CoreIdTokenClaims) -> Vec<String> {
    claims
        .auth_method_refs()
        .unwrap()
        .iter()
        .map(|m| m.to_string())
        .collect()
}

/// Starts a sign-in with `extra` and signs in with the password: the factor page.
async fn factor_page(
    s: &TestServer,
    c: &rp::Client,
    b: &Browser,
    extra: &[(&str, &str)],
) -> (rp::Started, String) {
    let started = rp::start(c, &[], extra);
    let html = page(
        b.sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
            .await,
    );
    (started, html)
}

fn page(landing: Landing) -> String {
    match landing {
        Landing::Page(_, html) => html,
        other => panic!("expected a page, got {other:?}"),
    }
}

#[tokio::test]
async fn discovery_lists_the_acr_levels_weakest_first() {
    let s = spawn().await;
    let doc: serde_json::Value =
        reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        doc["acr_values_supported"],
        serde_json::json!(["urn:postern:acr:1fa", TWO, PHR])
    );
    assert_eq!(doc["claims_parameter_supported"], true);
    let claims = doc["claims_supported"].as_array().unwrap();
    assert!(claims.contains(&"acr".into()) && claims.contains(&"amr".into()));
}

#[tokio::test]
async fn acr_values_two_factors_gets_an_sms_code_and_that_acr() {
    let s = spawn().await;
    let c = setup(&s).await;
    let b = Browser::new();
    let (started, html) = factor_page(&s, &c, &b, &[("acr_values", TWO)]).await;
    assert!(html.contains("We sent a code by SMS"), "{html}");
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));

    // A wrong code: a message on the page, and the flow goes on.
    let code = last_sms_code(&s, PHONE);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    form.set("code", wrong);
    let Landing::Page(401, html) = b.submit(&s.url, &form).await else {
        panic!("a wrong code is refused on the page")
    };
    assert!(html.contains("not right"), "{html}");

    form.set("code", &code);
    let claims = claims_of(&s, &c, started, b.submit(&s.url, &form).await).await;
    assert_eq!(acr(&claims), TWO);
    assert_eq!(amr(&claims), ["pwd", "sms", "mfa"]);

    // The code is single use.
    let (_, html) = factor_page(&s, &c, &b, &[("acr_values", TWO), ("prompt", "login")]).await;
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));
    form.set("code", &code);
    assert!(matches!(
        b.submit(&s.url, &form).await,
        Landing::Page(401, _)
    ));
}

#[tokio::test]
async fn step_up_from_a_one_factor_session_asks_no_password() {
    let s = spawn().await;
    let c = setup(&s).await;
    let (first, _, b) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &[],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    assert_eq!(acr(&first), "urn:postern:acr:1fa");
    assert_eq!(amr(&first), ["pwd"]);

    // The same browser, a service that needs two factors (as an essential acr claim).
    let claims_param =
        serde_json::json!({"id_token": {"acr": {"essential": true, "values": [TWO]}}});
    let started = rp::start(&c, &[], &[("claims", &claims_param.to_string())]);
    let html = page(b.open(&s.url, started.url.as_str()).await);
    assert!(
        !html.contains("name=\"password\""),
        "no password asked: {html}"
    );
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));
    form.set("code", &last_sms_code(&s, PHONE));
    let claims = claims_of(&s, &c, started, b.submit(&s.url, &form).await).await;
    assert_eq!(claims.subject(), first.subject());
    assert_eq!(acr(&claims), TWO);

    // prompt=none can use the raised session, and cannot raise one.
    let started = rp::start(&c, &[], &[("acr_values", TWO), ("prompt", "none")]);
    let landing = b.open(&s.url, started.url.as_str()).await;
    assert_eq!(acr(&claims_of(&s, &c, started, landing).await), TWO);
    let started = rp::start(&c, &[], &[("acr_values", PHR), ("prompt", "none")]);
    let Landing::Client(back) = Browser::new().open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "login_required");
    let Landing::Client(back) = b.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "interaction_required");
}

#[tokio::test]
async fn a_client_minimum_and_the_deployment_switch_both_require_two_factors() {
    let s = spawn_with(|c| c.authn.require_two_factor = true).await;
    let c = setup(&s).await;
    let b = Browser::new();
    let (_, html) = factor_page(&s, &c, &b, &[]).await;
    assert!(
        html.contains("/login/factor/verify"),
        "two factors for everyone: {html}"
    );

    let s = spawn().await;
    let mut spec = ClientSpec::confidential("bank");
    spec.min_acr = Some(TWO.into());
    s.client(spec).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "bank", Some(&rp::secret_of("bank"))).await;
    let started = rp::start(&c, &[], &[]);
    let html = page(
        Browser::new()
            .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
            .await,
    );
    assert!(
        html.contains("/login/factor/verify"),
        "the client's minimum: {html}"
    );
}

/// Signs in to the account console and returns its security page.
/// The security page after signing in, through the SMS step-up it asks for (a password
/// alone may not change factors).
async fn security_page(s: &TestServer, b: &Browser) -> String {
    let html = page(
        b.sign_in(
            &s.url,
            &format!("{}/account/security", s.url),
            "anna@post.test",
            PASSWORD,
        )
        .await,
    );
    pass_sms_step_up(s, b, html, PHONE).await
}

fn totp_code(secret: &str, at: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    totp.generate(at as u64).to_string()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    let j = html[i..].find(end).unwrap() + i;
    &html[i..j]
}

#[tokio::test]
async fn totp_enrolment_sign_in_and_replay_with_an_injected_clock() {
    let s = spawn().await;
    let c = setup(&s).await;
    let b = Browser::new();
    let html = security_page(&s, &b).await;
    let start = form_for(&html, "/account/security/totp/start", None);
    let html = page(b.submit(&s.url, &start).await);
    assert!(html.contains("<svg"), "a QR code");
    let secret = between(&html, "Key: <code>", "</code>").to_owned();
    let mut confirm = form_for(&html, "/account/security/totp/confirm", None);
    let first_code = totp_code(&secret, s.state.now());
    confirm.set("code", &first_code);
    let html = page(b.submit(&s.url, &confirm).await);
    assert!(html.contains("authenticator app is set up"), "{html}");
    assert!(
        outbox(&s)
            .iter()
            .any(|m| m.channel == "email"
                && m.body.contains("(authenticator app or passkey) was added")),
        "a security notice"
    );

    // The enrolment's code was used: it cannot sign in.
    let (started, html) =
        factor_page(&s, &c, &b, &[("acr_values", TWO), ("prompt", "login")]).await;
    let mut form = form_for(&html, "/login/factor/verify", Some("totp"));
    form.set("code", &first_code);
    let Landing::Page(401, html) = b.submit(&s.url, &form).await else {
        panic!("a used code is refused")
    };
    assert!(html.contains("already used"), "{html}");

    // Thirty seconds later the app shows the next code, which works once.
    s.clock.advance(30);
    let code = totp_code(&secret, s.state.now());
    form.set("code", &code);
    let claims = claims_of(&s, &c, started, b.submit(&s.url, &form).await).await;
    assert_eq!(acr(&claims), TWO);
    assert_eq!(amr(&claims), ["pwd", "otp", "mfa"]);

    let (started, html) =
        factor_page(&s, &c, &b, &[("acr_values", TWO), ("prompt", "login")]).await;
    let mut form = form_for(&html, "/login/factor/verify", Some("totp"));
    form.set("code", &code);
    assert!(
        matches!(b.submit(&s.url, &form).await, Landing::Page(401, _)),
        "replay refused"
    );

    // One step of drift is tolerated; two are not.
    s.clock.advance(60);
    form.set("code", &totp_code(&secret, s.state.now() - 60));
    assert!(matches!(
        b.submit(&s.url, &form).await,
        Landing::Page(401, _)
    ));
    form.set("code", &totp_code(&secret, s.state.now() + 30));
    rp::code_from(&s, &started, b.submit(&s.url, &form).await);
}

#[tokio::test]
async fn recovery_codes_are_shown_once_and_work_once() {
    let s = spawn().await;
    let c = setup(&s).await;
    let b = Browser::new();
    let html = security_page(&s, &b).await;
    assert!(html.contains("0 unused recovery codes"), "{html}");
    let html = page(
        b.submit(
            &s.url,
            &form_for(&html, "/account/security/recovery-codes", None),
        )
        .await,
    );
    let codes: Vec<String> = html
        .split("<li><code>")
        .skip(1)
        .map(|p| p[..p.find("</code>").unwrap()].to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let again = page(b.open(&s.url, &format!("{}/account/security", s.url)).await);
    assert!(!again.contains(&codes[0]), "shown once");
    assert!(again.contains("10 unused recovery codes"));

    for (round, expect_ok) in [(0, true), (1, false)] {
        let (started, html) =
            factor_page(&s, &c, &b, &[("acr_values", TWO), ("prompt", "login")]).await;
        let mut form = form_for(&html, "/login/factor/verify", Some("recovery"));
        form.set("code", &codes[3].to_uppercase());
        let landing = b.submit(&s.url, &form).await;
        if expect_ok {
            assert_eq!(acr(&claims_of(&s, &c, started, landing).await), TWO);
        } else {
            assert!(
                matches!(landing, Landing::Page(401, _)),
                "round {round}: used up"
            );
        }
    }
}

#[tokio::test]
async fn wrong_second_factor_codes_lock_the_account() {
    let s = spawn_with(|c| c.lockout.max_failures = 3).await;
    let c = setup(&s).await;
    let b = Browser::new();
    let (_, html) = factor_page(&s, &c, &b, &[("acr_values", TWO)]).await;
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));
    let right = last_sms_code(&s, PHONE);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    form.set("code", wrong);
    for _ in 0..2 {
        assert!(matches!(
            b.submit(&s.url, &form).await,
            Landing::Page(401, _)
        ));
    }
    let Landing::Page(403, html) = b.submit(&s.url, &form).await else {
        panic!("the third wrong code locks")
    };
    assert!(html.contains("Account locked"), "{html}");
    // Even the right code does not help now, and the password is locked too.
    form.set("code", &right);
    assert!(!matches!(b.submit(&s.url, &form).await, Landing::Client(_)));
    let started = rp::start(&c, &[], &[]);
    let Landing::Page(403, _) = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await
    else {
        panic!("the account is locked")
    };
}

mod passkeys;

#[tokio::test]
async fn a_user_with_no_second_factor_enrols_an_app_during_sign_in() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    idp::accounts::create_user(
        &s.state,
        idp::accounts::NewUser {
            email: "ben@post.test".into(),
            password: idp::crypto::Secret::new(PASSWORD),
            given_name: None,
            family_name: None,
            phone: None,
        },
    )
    .await
    .unwrap();
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let b = Browser::new();
    let started = rp::start(&c, &[], &[("acr_values", TWO)]);
    let html = page(
        b.sign_in(&s.url, started.url.as_str(), "ben@post.test", PASSWORD)
            .await,
    );
    let secret = between(&html, "<code>", "</code>").to_owned();
    let mut form = form_for(&html, "/login/factor/enrol", None);
    let right = totp_code(&secret, s.state.now());
    form.set(
        "code",
        if right == "000000" {
            "111111"
        } else {
            "000000"
        },
    );
    let Landing::Page(401, html) = b.submit(&s.url, &form).await else {
        panic!("a wrong first code is refused on the page")
    };
    let mut form = form_for(&html, "/login/factor/enrol", None);
    form.set("code", &right);
    let claims = claims_of(&s, &c, started, b.submit(&s.url, &form).await).await;
    assert_eq!(acr(&claims), TWO);
    assert_eq!(amr(&claims), ["pwd", "otp", "mfa"]);
    let events = s
        .state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            email: Some("ben@post.test".into()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let has = |kind: &str, detail: &str| {
        events.iter().any(|e| {
            e.kind == kind && e.outcome == "success" && e.detail.as_deref() == Some(detail)
        })
    };
    assert!(has("factor_enrolled", "totp"), "{events:?}");
    assert!(has("sign_in", "second factor: new totp"), "{events:?}");
}
