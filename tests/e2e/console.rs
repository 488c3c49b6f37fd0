//! The account console end to end: profile and claims, email and phone change behind
//! step-up, sessions, connected services, catalogue and favourites, export and deletion.

use openidconnect::{OAuth2TokenResponse, core::CoreJwsSigningAlgorithm};
use postern_tests::*;

use crate::rp;

const EMAIL: &str = "anna@post.test";

fn page(landing: Landing) -> (u16, String) {
    match landing {
        Landing::Page(status, html) => (status, html),
        other => panic!("expected a page, got {other:?}"),
    }
}

/// A browser signed in to the console at `path`, and the page.
async fn console_at(s: &TestServer, path: &str) -> (Browser, String) {
    let b = Browser::new();
    let (_, html) = page(
        b.sign_in(&s.url, &format!("{}{path}", s.url), EMAIL, PASSWORD)
            .await,
    );
    (b, html)
}

/// Proves the SMS factor in `b` (export and deletion need a fresh proof of the strongest
/// factor, not only a password).
async fn prove_fresh(s: &TestServer, b: &Browser) {
    let (_, html) = page(b.open(&s.url, &format!("{}/account/security", s.url)).await);
    let html = pass_sms_step_up(s, b, html, "+41791234567").await;
    assert!(html.contains("security"), "{html}");
}

#[tokio::test]
async fn profile_edit_is_reflected_in_userinfo_and_bad_input_is_shown_beside_the_field() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user(EMAIL).await;
    let (b, html) = console_at(&s, "/account").await;
    assert!(html.contains("aria-current=\"page\""), "{html}");
    assert!(
        html.contains("&#x2f;account&#x2f;sessions"),
        "the console navigation: {html}"
    );

    let mut form = form_for(&html, "/account", None);
    form.set("birthdate", "1990-02-30");
    form.set("country", "XX");
    form.set("locality", "Genève");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    assert!(html.contains("id=\"birthdate-error\""), "{html}");
    assert!(html.contains("id=\"country-error\""), "{html}");
    assert!(
        html.contains("value=\"Genève\""),
        "what was typed is kept: {html}"
    );
    assert!(
        s.state
            .stores
            .users
            .find_user_by_email(EMAIL)
            .await
            .unwrap()
            .unwrap()
            .locality
            .is_none()
    );

    let mut form = form_for(&html, "/account", None);
    for (k, v) in [
        ("given_name", "Élodie"),
        ("family_name", "Martin"),
        ("birthdate", "1990-04-01"),
        ("street_address", "Rue du Marché 3"),
        ("postal_code", "1204"),
        ("locality", "Genève"),
        ("country", "ch"),
        ("locale", "fr"),
    ] {
        form.set(k, v);
    }
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("<html lang=\"fr\""),
        "the saved language is used: {html}"
    );
    assert!(
        html.contains("Vos modifications sont enregistrées"),
        "{html}"
    );

    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (claims, tokens, _) = rp::login(
        &s,
        &c,
        EMAIL,
        &["profile", "address"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    assert_eq!(claims.birthdate().unwrap().as_str(), "1990-04-01");
    let info = userinfo(&s, tokens.access_token().secret()).await;
    assert_eq!(info["given_name"], "Élodie");
    assert_eq!(info["birthdate"], "1990-04-01");
    assert_eq!(info["locale"], "fr");
    assert_eq!(info["address"]["country"], "CH");
    assert_eq!(
        info["address"]["formatted"],
        "Rue du Marché 3\n1204 Genève\nCH"
    );

    // Userinfo remembers a record for a moment; an edit made on this node shows at once.
    let (_, html) = page(b.open(&s.url, &format!("{}/account", s.url)).await);
    let mut form = form_for(&html, "/account", None);
    form.set("given_name", "Élise");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    let info = userinfo(&s, tokens.access_token().secret()).await;
    assert_eq!(info["given_name"], "Élise");
}

#[tokio::test]
async fn sessions_are_listed_and_another_one_is_signed_out() {
    let s = spawn().await;
    s.user(EMAIL).await;
    let (phone, _) = console_at(&s, "/account").await;
    let (desk, html) = console_at(&s, "/account/sessions").await;
    assert_eq!(
        html.matches("action=\"/account/sessions/end\"").count(),
        2,
        "{html}"
    );
    assert!(
        html.contains("aria-current=\"true\""),
        "the current one is marked: {html}"
    );

    // Sign the other browser out: its cookie no longer opens the console.
    let other = parse_forms(&html)
        .into_iter()
        .filter(|f| f.action == "/account/sessions/end")
        .find(|f| {
            let sid = &f.fields.iter().find(|(k, _)| k == "sid").unwrap().1;
            html.split("<tr")
                .any(|row| row.contains(sid.as_str()) && !row.contains("aria-current"))
        })
        .unwrap();
    let (_, html) = page(desk.submit(&s.url, &other).await);
    assert_eq!(
        html.matches("action=\"/account/sessions/end\"").count(),
        1,
        "{html}"
    );
    let (_, back) = page(phone.open(&s.url, &format!("{}/account", s.url)).await);
    assert!(
        back.contains("name=\"email\""),
        "asked to sign in again: {back}"
    );
    let (_, still) = page(desk.open(&s.url, &format!("{}/account", s.url)).await);
    assert!(still.contains("action=\"/account\""), "{still}");

    // Everywhere else.
    let (_, _) = console_at(&s, "/account").await;
    let (_, html) = page(
        desk.open(&s.url, &format!("{}/account/sessions", s.url))
            .await,
    );
    let form = form_for(&html, "/account/sessions/end-others", None);
    let (_, html) = page(desk.submit(&s.url, &form).await);
    assert_eq!(
        html.matches("action=\"/account/sessions/end\"").count(),
        1,
        "{html}"
    );
}

const PHONE: &str = "+41791234567";

/// The 6-digit code of the last email to `to`.
fn last_email_code(s: &TestServer, to: &str) -> String {
    let msg = outbox(s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "email" && m.to == to)
        .expect("an email in the outbox");
    msg.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

fn emails_to(s: &TestServer, to: &str) -> Vec<idp::notify::jsonl::OutboxMessage> {
    outbox(s)
        .into_iter()
        .filter(|m| m.channel == "email" && m.to == to)
        .collect()
}

/// Opens `path` (email or phone change) from a one-factor session: step-up by SMS first.
async fn stepped_up(s: &TestServer, b: &Browser, path: &str) -> String {
    let (_, html) = page(b.open(&s.url, &format!("{}{path}", s.url)).await);
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));
    form.set("code", &last_sms_code(s, PHONE));
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    html
}

#[tokio::test]
async fn email_change_needs_step_up_and_the_code_sent_to_the_new_address() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    s.user("bert@post.test").await;
    let (b, _) = console_at(&s, "/account").await;
    let html = stepped_up(&s, &b, "/account/email").await;

    let mut form = form_for(&html, "/account/email", None);
    form.set("value", "not an address");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    assert!(html.contains("id=\"value-error\""), "{html}");

    // A taken address: the same page, nothing changes, its owner is told.
    let mut form = form_for(&html, "/account/email", None);
    form.set("value", "Bert@post.test");
    let (_, taken_page) = page(b.submit(&s.url, &form).await);
    assert!(
        taken_page.contains("We sent a code to bert@post.test"),
        "{taken_page}"
    );
    assert_eq!(
        emails_to(&s, "bert@post.test").len(),
        1,
        "the owner is told"
    );
    let mut form = form_for(&taken_page, "/account/email/confirm", None);
    form.set("code", "123456");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    assert!(html.contains("id=\"code-error\""), "{html}");

    let new = "anna.new@post.test";
    let (_, html) = page(b.open(&s.url, &format!("{}/account/email", s.url)).await);
    let mut form = form_for(&html, "/account/email", None);
    form.set("value", new);
    let (_, html) = page(b.submit(&s.url, &form).await);
    let code = last_email_code(&s, new);
    let mut form = form_for(&html, "/account/email/confirm", None);
    form.set("code", if code == "000000" { "111111" } else { "000000" });
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400, "a wrong code is refused");
    assert_eq!(
        s.state
            .stores
            .users
            .find_user(&anna.id)
            .await
            .unwrap()
            .unwrap()
            .email,
        EMAIL
    );
    let mut form = form_for(&html, "/account/email/confirm", None);
    form.set("code", &code);
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Your email address is changed"), "{html}");
    let user = s
        .state
        .stores
        .users
        .find_user(&anna.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((user.email.as_str(), user.email_verified), (new, true));
    let notice = emails_to(&s, EMAIL)
        .pop()
        .expect("a notice to the old address");
    assert!(
        notice
            .body
            .contains("email address of your account was changed"),
        "{notice:?}"
    );
    // The code was single use.
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    assert!(html.contains("The code has expired"), "{html}");

    // Within `accounts.step_up_max_age` the next change asks nothing more; after it, the
    // second factor is asked for again.
    let (_, html) = page(b.open(&s.url, &format!("{}/account/email", s.url)).await);
    assert!(html.contains("name=\"value\""), "{html}");
    let mut form = form_for(&html, "/account/email", None);
    form.set("value", "anna.third@post.test");
    s.clock.advance(301);
    let (_, html) = page(b.open(&s.url, &format!("{}/account/email", s.url)).await);
    assert!(html.contains("/login/factor/verify"), "{html}");
    // A form opened before is sent through step-up too, and no code goes out.
    let (_, html) = page(b.submit(&s.url, &form).await);
    assert!(html.contains("/login/factor/verify"), "{html}");
    assert!(emails_to(&s, "anna.third@post.test").is_empty());
}

#[tokio::test]
async fn phone_change_needs_step_up_and_an_sms_code_to_the_new_number() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    let (b, _) = console_at(&s, "/account").await;
    let html = stepped_up(&s, &b, "/account/phone").await;
    let mut form = form_for(&html, "/account/phone", None);
    form.set("value", "12ab");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"value-error\"") && html.contains("value=\"12ab\""),
        "{html}"
    );

    let mut form = form_for(&html, "/account/phone", None);
    form.set("value", "+41 79 111 22 33");
    let (_, html) = page(b.submit(&s.url, &form).await);
    let mut form = form_for(&html, "/account/phone/confirm", None);
    form.set("code", &last_sms_code(&s, "+41791112233"));
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    let user = s
        .state
        .stores
        .users
        .find_user(&anna.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.phone.as_deref(), Some("+41791112233"));
    let notice = emails_to(&s, EMAIL).pop().expect("a notice");
    assert!(
        notice
            .body
            .contains("mobile number of your account was changed"),
        "{notice:?}"
    );
}

fn third_party(id: &str) -> ClientSpec {
    let mut spec = ClientSpec::confidential(id);
    spec.first_party = false;
    spec
}

#[tokio::test]
async fn revoking_a_consent_refuses_the_refresh_token_and_asks_again() {
    let s = spawn().await;
    s.client(third_party("mail")).await;
    s.user(EMAIL).await;
    let c = rp::client(&s, "mail", Some(&rp::secret_of("mail"))).await;
    let (_, tokens, b) = rp::login(
        &s,
        &c,
        EMAIL,
        &["offline_access", "email"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let (_, html) = page(b.open(&s.url, &format!("{}/account/services", s.url)).await);
    assert!(
        html.contains("see your email address"),
        "scopes in words: {html}"
    );
    let form = form_for(&html, "/account/services/revoke", None);
    let (_, html) = page(b.submit(&s.url, &form).await);
    assert!(
        !html.contains("/account/services/revoke")
            && !html.contains("&#x2f;account&#x2f;services&#x2f;revoke"),
        "{html}"
    );
    rp::assert_tokens_refused(&s, &c, &tokens).await;
    let started = rp::start(&c, &[], &[]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    assert!(
        html.contains("action=\"/consent\"") || html.contains("&#x2f;consent"),
        "asked again: {html}"
    );
}

#[tokio::test]
async fn the_catalogue_lists_online_services_with_favourites_first() {
    let s = spawn().await;
    for (id, launch) in [("alpha", true), ("zeta", true), ("hidden", false)] {
        let mut spec = ClientSpec::confidential(id);
        spec.description = Some(format!("The {id} service"));
        spec.launch_url = launch.then(|| format!("https://{id}.test/"));
        s.client(spec).await;
    }
    s.user(EMAIL).await;
    let (b, html) = console_at(&s, "/account/services").await;
    assert!(!html.contains("The hidden service"), "{html}");
    assert!(html.find("The alpha service").unwrap() < html.find("The zeta service").unwrap());
    let zeta = parse_forms(&html)
        .into_iter()
        .find(|f| {
            f.action == "/account/services/favourite" && f.fields.iter().any(|(_, v)| v == "zeta")
        })
        .unwrap();
    let (_, html) = page(b.submit(&s.url, &zeta).await);
    assert!(
        html.find("The zeta service").unwrap() < html.find("The alpha service").unwrap(),
        "{html}"
    );
    let mut bogus = zeta.clone();
    bogus.set("client_id", "hidden");
    let (status, _) = page(b.submit(&s.url, &bogus).await);
    assert_eq!(status, 400, "only listed services");
}

#[tokio::test]
async fn export_is_json_without_secrets() {
    let s = spawn().await;
    s.user(EMAIL).await;
    let (b, _) = console_at(&s, "/account").await;
    prove_fresh(&s, &b).await;
    let resp = b
        .http
        .get(format!("{}/account/export", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let text = resp.text().await.unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["profile"]["email"], EMAIL);
    assert_eq!(data["identity"]["assurance"], "basic");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    assert!(
        data["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "sign_in")
    );
    for secret in ["argon2", "password_hash", "cookie_hash", "secret"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn deletion_disables_at_once_and_erases_after_the_grace_period() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let anna = s.user(EMAIL).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (_, tokens, b) = rp::login(
        &s,
        &c,
        EMAIL,
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    prove_fresh(&s, &b).await;
    let (_, html) = page(b.open(&s.url, &format!("{}/account/data", s.url)).await);
    let mut form = form_for(&html, "/account/delete", None);
    form.set("password", "wrong password entirely");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"password-error\"") && !html.contains("wrong password entirely"),
        "{html}"
    );
    let mut form = form_for(&html, "/account/delete", None);
    form.set("password", PASSWORD);
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("30 days"), "{html}");

    // At once: no sign-in, no tokens, a confirmation by email.
    let started = rp::start(&c, &[], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), EMAIL, PASSWORD)
        .await;
    assert!(
        matches!(landing, Landing::Page(..)),
        "sign-in refused: {landing:?}"
    );
    let refreshed = c
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&rp::http())
        .await;
    assert!(refreshed.is_err(), "the refresh token is refused");
    assert!(
        emails_to(&s, EMAIL)
            .iter()
            .any(|m| m.body.contains("will be deleted"))
    );
    let (_, back) = page(b.open(&s.url, &format!("{}/account", s.url)).await);
    assert!(back.contains("name=\"email\""), "signed out: {back}");

    // Within the grace period nothing is erased; after it, everything is.
    assert_eq!(idp::accounts::deletion::purge(&s.state).await.unwrap(), 0);
    assert!(
        s.state
            .stores
            .users
            .find_user(&anna.id)
            .await
            .unwrap()
            .is_some()
    );
    s.clock.advance(31 * 24 * 3600);
    assert_eq!(idp::accounts::deletion::purge(&s.state).await.unwrap(), 1);
    assert!(
        s.state
            .stores
            .users
            .find_user(&anna.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.state
            .stores
            .consents
            .list_consents(&anna.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_export_holds_only_the_account_own_events_not_a_previous_owner_of_the_address() {
    let s = spawn().await;
    let mut old = s.user(EMAIL).await;
    idp::audit::user_success(
        &s.state,
        &old,
        &idp::audit::RequestMeta::default(),
        idp::audit::PASSWORD_CHANGED,
        "the previous owner",
    )
    .await;
    // The previous owner moves to another address, and a new person registers this one.
    old.email = "moved@post.test".into();
    s.state.stores.users.update_user(&old).await.unwrap();
    let new = s.user(EMAIL).await;
    assert_ne!(new.id, old.id);

    let (b, _) = console_at(&s, "/account").await;
    prove_fresh(&s, &b).await;
    let data: serde_json::Value = b
        .http
        .get(format!("{}/account/export", s.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let events = data["audit_events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["kind"] == "sign_in"), "{events:?}");
    assert!(
        !events.iter().any(|e| e["kind"] == "password_changed"),
        "the previous owner's history: {events:?}"
    );
}
