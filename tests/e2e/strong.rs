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
async fn security_page(s: &TestServer, b: &Browser) -> String {
    page(
        b.sign_in(
            &s.url,
            &format!("{}/account/security", s.url),
            "anna@post.test",
            PASSWORD,
        )
        .await,
    )
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

mod passkeys {
    use webauthn_authenticator_rs::{
        WebauthnAuthenticator,
        prelude::{CreationChallengeResponse, RequestChallengeResponse, Url},
        softpasskey::SoftPasskey,
    };

    use super::*;

    async fn post_json(
        b: &Browser,
        url: &str,
        csrf: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        b.http
            .post(url)
            .header("x-csrf-token", csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Registers a passkey of `auth` from the security page; returns its credential id.
    async fn register(s: &TestServer, b: &Browser, auth: &mut SoftPasskey) -> String {
        let html = security_page(s, b).await;
        let csrf = between(&html, "data-passkey=\"register\" data-csrf=\"", "\"").to_owned();
        let r = post_json(
            b,
            &format!("{}/account/security/passkeys/options", s.url),
            &csrf,
            &serde_json::json!({}),
        )
        .await;
        assert_eq!(r.status(), 200);
        let mut options: serde_json::Value = r.json().await.unwrap();
        let sel = &mut options["publicKey"]["authenticatorSelection"];
        assert_eq!(sel["residentKey"], "required", "a discoverable credential");
        // The soft authenticator cannot keep resident keys; it makes a plain credential,
        // which a platform authenticator would have stored.
        sel["requireResidentKey"] = false.into();
        let ccr: CreationChallengeResponse = serde_json::from_value(options).unwrap();
        let origin = Url::parse(&s.url).unwrap();
        let cred = auth.do_registration(origin, ccr).expect("registration");
        let id = cred.id.clone();
        let r = post_json(
            b,
            &format!("{}/account/security/passkeys", s.url),
            &csrf,
            &serde_json::json!({ "name": "Laptop", "credential": cred }),
        )
        .await;
        assert_eq!(r.status(), 201, "{:?}", r.text().await);
        id
    }

    /// The passkey button of a sign-in page: (csrf, tx).
    fn button(html: &str) -> (String, String) {
        let csrf = between(html, "data-passkey=\"sign-in\" data-csrf=\"", "\"").to_owned();
        let tx = between(html, &format!("data-csrf=\"{csrf}\" data-tx=\""), "\"").to_owned();
        (csrf, tx)
    }

    /// Runs the page script's ceremony with `auth`; `discover` stands for a resident key the
    /// authenticator finds by itself (the soft one needs to be told).
    async fn assert_with(
        s: &TestServer,
        b: &Browser,
        auth: &mut SoftPasskey,
        html: &str,
        discover: Option<&str>,
    ) -> (reqwest::Response, serde_json::Value, String, String) {
        let (csrf, tx) = button(html);
        let r = post_json(
            b,
            &format!("{}/login/passkey/options", s.url),
            &csrf,
            &serde_json::json!({"tx": tx}),
        )
        .await;
        assert_eq!(r.status(), 200);
        let mut options: serde_json::Value = r.json().await.unwrap();
        if let Some(id) = discover {
            assert!(
                options["publicKey"]["allowCredentials"]
                    .as_array()
                    .is_none_or(|a| a.is_empty()),
                "passwordless: no credential list, nothing to enumerate"
            );
            options["publicKey"]["allowCredentials"] =
                serde_json::json!([{ "type": "public-key", "id": id }]);
        }
        let rcr: RequestChallengeResponse = serde_json::from_value(options).unwrap();
        let assertion = auth
            .do_authentication(Url::parse(&s.url).unwrap(), rcr)
            .expect("assertion");
        let body = serde_json::json!({ "tx": tx, "credential": assertion });
        let r = post_json(b, &format!("{}/login/passkey", s.url), &csrf, &body).await;
        (r, body, csrf, tx)
    }

    #[tokio::test]
    async fn passkey_registration_and_passwordless_sign_in_are_phishing_resistant() {
        let s = spawn_localhost().await;
        let c = setup(&s).await;
        let mut auth = SoftPasskey::new(true);
        let id = register(&s, &Browser::new(), &mut auth).await;

        // A new browser: the identifier page's passkey button, no email, no password.
        let b = Browser::new();
        let started = rp::start(&c, &[], &[("acr_values", PHR)]);
        let html = page(b.open(&s.url, started.url.as_str()).await);
        assert!(html.contains("name=\"email\""));
        let (r, body, csrf, _) = assert_with(&s, &b, &mut auth, &html, Some(&id)).await;
        assert_eq!(r.status(), 200);
        let next: serde_json::Value = r.json().await.unwrap();
        let landing = b
            .open(
                &s.url,
                &format!("{}{}", s.url, next["location"].as_str().unwrap()),
            )
            .await;
        let claims = claims_of(&s, &c, started, landing).await;
        assert_eq!(acr(&claims), PHR);
        assert_eq!(amr(&claims), ["hwk", "user", "mfa"]);

        // The same assertion again is refused: its ceremony is used up.
        let r = post_json(&b, &format!("{}/login/passkey", s.url), &csrf, &body).await;
        assert_eq!(r.status(), 400);
    }

    #[tokio::test]
    async fn the_security_page_renames_and_removes_passkeys_and_changes_the_password() {
        let s = spawn_localhost().await;
        let c = setup(&s).await;
        let b = Browser::new();
        let mut auth = SoftPasskey::new(true);
        register(&s, &b, &mut auth).await;
        let html = page(b.open(&s.url, &format!("{}/account/security", s.url)).await);
        assert!(html.contains("<strong>Laptop</strong>"), "{html}");
        let mut rename = form_for(&html, "/account/security/passkeys/rename", None);
        rename.set("name", "Work <laptop>");
        let html = page(b.submit(&s.url, &rename).await);
        assert!(
            html.contains("<strong>Work &lt;laptop&gt;</strong>"),
            "escaped: {html}"
        );
        let mut remove = form_for(&html, "/account/security/passkeys/remove", None);
        remove.set("id", "someone-elses");
        assert!(matches!(
            b.submit(&s.url, &remove).await,
            Landing::Page(404, _)
        ));
        let html = page(
            b.submit(
                &s.url,
                &form_for(&html, "/account/security/passkeys/remove", None),
            )
            .await,
        );
        assert!(html.contains("No passkeys yet"), "{html}");

        let mut change = form_for(&html, "/account/security/password", None);
        for (current, new, again, expect) in [
            (
                "wrong password!",
                "vivid saffron lighthouse",
                "vivid saffron lighthouse",
                "not right",
            ),
            (
                PASSWORD,
                "vivid saffron lighthouse",
                "vivid saffron lighthous",
                "not the same",
            ),
            (PASSWORD, "password123", "password123", "too easy"),
        ] {
            change.set("current", current);
            change.set("password", new);
            change.set("password2", again);
            let Landing::Page(400, html) = b.submit(&s.url, &change).await else {
                panic!("refused: {expect}")
            };
            assert!(html.contains(expect), "{expect}: {html}");
        }
        change.set("current", PASSWORD);
        change.set("password", "vivid saffron lighthouse");
        change.set("password2", "vivid saffron lighthouse");
        let html = page(b.submit(&s.url, &change).await);
        assert!(html.contains("password is changed"), "{html}");
        let started = rp::start(&c, &[], &[]);
        let landing = Browser::new()
            .sign_in(
                &s.url,
                started.url.as_str(),
                "anna@post.test",
                "vivid saffron lighthouse",
            )
            .await;
        rp::code_from(&s, &started, landing);
        let notices = outbox(&s)
            .into_iter()
            .filter(|m| m.channel == "email" && m.to == "anna@post.test")
            .count();
        assert_eq!(
            notices, 3,
            "passkey added, passkey removed, password changed"
        );
    }

    #[tokio::test]
    async fn a_passkey_as_second_factor_and_forged_assertions() {
        let s = spawn_localhost().await;
        let c = setup(&s).await;
        let mut auth = SoftPasskey::new(true);
        register(&s, &Browser::new(), &mut auth).await;

        // Password first, then the service needs a passkey: only the passkey is asked.
        let b = Browser::new();
        let (started, html) = factor_page(&s, &c, &b, &[("acr_values", PHR)]).await;
        assert!(html.contains("needs a passkey"), "{html}");
        assert!(
            !html.contains("/login/factor/verify"),
            "no codes for this level"
        );

        // An authenticator without the credential cannot answer the challenge.
        let mut other = SoftPasskey::new(true);
        let (csrf, tx) = button(&html);
        let r = post_json(
            &b,
            &format!("{}/login/passkey/options", s.url),
            &csrf,
            &serde_json::json!({"tx": tx}),
        )
        .await;
        let options: RequestChallengeResponse = r.json().await.unwrap();
        let err = other.do_authentication(Url::parse(&s.url).unwrap(), options);
        assert!(
            err.is_err(),
            "an authenticator without the credential cannot answer"
        );

        let html = page(
            b.open(&s.url, &format!("{}/login/factor?tx={tx}", s.url))
                .await,
        );
        let (r, _, _, _) = assert_with(&s, &b, &mut auth, &html, None).await;
        assert_eq!(r.status(), 200);
        let next: serde_json::Value = r.json().await.unwrap();
        let landing = b
            .open(
                &s.url,
                &format!("{}{}", s.url, next["location"].as_str().unwrap()),
            )
            .await;
        let claims = claims_of(&s, &c, started, landing).await;
        assert_eq!(acr(&claims), PHR);
        assert_eq!(amr(&claims), ["pwd", "hwk", "user", "mfa"]);

        // A tampered assertion (signature bytes changed) is refused.
        let (_, html) = factor_page(&s, &c, &b, &[("acr_values", PHR), ("prompt", "login")]).await;
        let (csrf, tx) = button(&html);
        let r = post_json(
            &b,
            &format!("{}/login/passkey/options", s.url),
            &csrf,
            &serde_json::json!({"tx": tx}),
        )
        .await;
        let rcr: RequestChallengeResponse = r.json().await.unwrap();
        let assertion = auth
            .do_authentication(Url::parse(&s.url).unwrap(), rcr)
            .unwrap();
        let mut body = serde_json::json!({ "tx": tx, "credential": assertion });
        let sig = body["credential"]["response"]["signature"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut chars: Vec<char> = sig.chars().collect();
        chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
        let flipped: String = chars.into_iter().collect();
        body["credential"]["response"]["signature"] = flipped.into();
        let r = post_json(&b, &format!("{}/login/passkey", s.url), &csrf, &body).await;
        assert_eq!(r.status(), 400);
        // Without the page's CSRF token nothing happens at all.
        let r = post_json(&b, &format!("{}/login/passkey", s.url), "forged", &body).await;
        assert_eq!(r.status(), 403);
    }
}
