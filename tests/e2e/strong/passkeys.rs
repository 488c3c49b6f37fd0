//! Passkeys: registration, passwordless sign-in, second factor and forged assertions.

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

    // The same assertion again is refused: its ceremony is used up (and the page's token
    // belonged to the browser before it signed in).
    let r = post_json(&b, &format!("{}/login/passkey", s.url), &csrf, &body).await;
    assert!(matches!(r.status().as_u16(), 400 | 403), "{}", r.status());
    let r = post_json(
        &Browser::new(),
        &format!("{}/login/passkey", s.url),
        &csrf,
        &body,
    )
    .await;
    assert_eq!(r.status(), 403, "another browser has no such token");
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

#[tokio::test]
async fn six_passkey_sign_ins_then_a_password_all_succeed() {
    let s = spawn_localhost().await;
    let c = setup(&s).await;
    let mut auth = SoftPasskey::new(true);
    let id = register(&s, &Browser::new(), &mut auth).await;
    for round in 0..6 {
        let b = Browser::new();
        let started = rp::start(&c, &[], &[]);
        let html = page(b.open(&s.url, started.url.as_str()).await);
        let (r, _, _, _) = assert_with(&s, &b, &mut auth, &html, Some(&id)).await;
        assert_eq!(r.status(), 200, "passkey sign-in {round}");
    }
    // The password is still accepted (no lock); the passkey this user enrolled is then asked
    // for as the second factor, as at every new sign-in.
    let started = rp::start(&c, &[], &[]);
    let html = page(
        Browser::new()
            .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
            .await,
    );
    assert!(html.contains("data-passkey=\"sign-in\""), "{html}");
}
