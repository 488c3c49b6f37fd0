//! Registration end to end through the outbox: `prompt=create` back to the relying party
//! with a verified email and phone, a taken address (same pages, a notice to its owner),
//! bad input beside each field, single-use codes and links, and a registration in French.

use openidconnect::{
    OAuth2TokenResponse,
    core::{CoreJwsSigningAlgorithm, CoreUserInfoClaims},
};
use postern_tests::*;

use crate::rp::{self, http};

pub const NEW_PASSWORD: &str = "quiet lantern over harbour";

pub async fn setup() -> (TestServer, rp::Client) {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    (s, c)
}

/// The last email to `to`, as (subject, body).
pub fn last_email(s: &TestServer, to: &str) -> Option<(String, String)> {
    outbox(s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "email" && m.to == to)
        .map(|m| (m.subject.unwrap_or_default(), m.body))
}

/// The first link under the issuer in a message body.
pub fn link_in(s: &TestServer, body: &str) -> Option<String> {
    body.split_whitespace()
        .find(|w| w.starts_with(&s.url))
        .map(str::to_owned)
}

pub fn page(landing: Landing) -> (u16, String) {
    match landing {
        Landing::Page(status, html) => (status, html),
        other => panic!("expected a page, got {other:?}"),
    }
}

/// Fills the registration form of `html` with valid values for `email`.
pub fn filled(html: &str, email: &str) -> Form {
    let mut f = form_for(html, "/register", None);
    f.set("given_name", "Lena");
    f.set("family_name", "Keller");
    f.set("email", email);
    f.set("email2", email);
    f.set("password", NEW_PASSWORD);
    f.set("password2", NEW_PASSWORD);
    f.set("phone", "079 555 66 77");
    f.set("birthdate", "1990-04-12");
    f
}

pub const PHONE: &str = "+41795556677";

/// Registers `email` from the registration page `html` up to the email being sent; returns
/// the page that says so.
pub async fn register_until_email(s: &TestServer, b: &Browser, html: &str, email: &str) -> String {
    submit_until_email(s, b, &filled(html, email), PHONE).await
}

/// Submits the registration form `form` and the SMS code sent to `phone`; returns the page
/// that says the email is sent.
pub async fn submit_until_email(s: &TestServer, b: &Browser, form: &Form, phone: &str) -> String {
    let (status, html) = page(b.submit(&s.url, form).await);
    assert_eq!(status, 200, "{html}");
    let mut f = form_for(&html, "/register/phone", None);
    f.set("code", &last_sms_code(s, phone));
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200, "{html}");
    html
}

fn heading(html: &str) -> &str {
    let start = html.find("<h1>").expect("a heading") + 4;
    let end = html[start..].find("</h1>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn prompt_create_registers_and_returns_verified_email_and_phone() {
    let (s, c) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &["email", "phone", "profile"], &[("prompt", "create")]);
    let (status, html) = page(b.open(&s.url, started.url.as_str()).await);
    assert_eq!(status, 200);
    assert_eq!(heading(&html), "Create an account");
    assert!(html.contains("/assets/password.js"), "the live policy");
    assert!(!html.contains("<script>"), "no inline script");

    let html = register_until_email(&s, &b, &html, "lena@post.test").await;
    assert_eq!(heading(&html), "Check your email");
    // Not usable yet: no account before the email is confirmed.
    let users = &s.state.stores.users;
    assert!(
        users
            .find_user_by_email("lena@post.test")
            .await
            .unwrap()
            .is_none()
    );

    let (subject, body) = last_email(&s, "lena@post.test").expect("a confirmation email");
    assert_eq!(subject, "Confirm your email address");
    let link = link_in(&s, &body).expect("a link");
    assert!(link.starts_with(&format!("{}/register/confirm?token=", s.url)));
    let (status, html) = page(b.open(&s.url, &link).await);
    assert_eq!(status, 200, "opening the link does not use it: {html}");
    let confirm = form_for(&html, "/register/confirm", None);
    let code = rp::code_from(&s, &started, b.submit(&s.url, &confirm).await);

    let tokens = rp::exchange(&c, &code, started.verifier).await;
    let verifier = c
        .id_token_verifier()
        .set_allowed_algs(vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]);
    let claims = tokens
        .extra_fields()
        .id_token()
        .unwrap()
        .claims(&verifier, &started.nonce)
        .unwrap()
        .clone();
    assert_eq!(claims.email().map(|e| e.as_str()), Some("lena@post.test"));
    assert_eq!(claims.email_verified(), Some(true));
    let info: CoreUserInfoClaims = c
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http())
        .await
        .expect("userinfo");
    assert_eq!(info.email_verified(), Some(true));
    assert_eq!(info.phone_number().map(|p| p.as_str()), Some(PHONE));
    assert_eq!(info.phone_number_verified(), Some(true));

    let user = users
        .find_user_by_email("lena@post.test")
        .await
        .unwrap()
        .expect("the account");
    assert!(user.email_verified && user.phone_verified);
    assert_eq!(user.given_name.as_deref(), Some("Lena"));
    assert_eq!(user.locale.as_deref(), Some("en"));
    assert_eq!(user.birthdate.as_deref(), Some("1990-04-12"));
    assert_eq!(user.terms_version.as_deref(), Some("2026-01"));
    assert!(user.terms_accepted_at.is_some_and(|t| t <= s.state.now()));

    // The link and the code were single use.
    // Refused: the link is used, and the form's token belonged to the session before.
    let (status, _) = page(b.submit(&s.url, &confirm).await);
    assert!(
        status == 400 || status == 403,
        "a used link is refused: {status}"
    );
    let (status, _) = page(b.open(&s.url, &link).await);
    assert_eq!(status, 400);

    // The new password signs in.
    let started = rp::start(&c, &["email"], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "lena@post.test", NEW_PASSWORD)
        .await;
    rp::code_from(&s, &started, landing);
}

#[tokio::test]
async fn a_taken_address_gets_the_same_pages_and_its_owner_a_notice() {
    let (s, c) = setup().await;
    let owner = s.user("anna@post.test").await;

    // One registration of a new address and one of a taken one, side by side.
    let mut pages = Vec::new();
    for email in ["new@post.test", "anna@post.test"] {
        let b = Browser::new();
        let started = rp::start(&c, &["email"], &[("prompt", "create")]);
        let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
        let (status, phone_page) = page(b.submit(&s.url, &filled(&html, email)).await);
        assert_eq!(status, 200);
        let mut f = form_for(&phone_page, "/register/phone", None);
        f.set("code", &last_sms_code(&s, PHONE));
        let (status, done) = page(b.submit(&s.url, &f).await);
        assert_eq!(status, 200);
        pages.push((
            strip_tokens(&phone_page),
            strip_tokens(&done).replace(email, "EMAIL"),
        ));
    }
    assert_eq!(pages[0], pages[1], "the same pages for a taken address");

    let (subject, body) = last_email(&s, "anna@post.test").expect("a notice to the owner");
    assert_eq!(subject, "Someone tried to register with your address");
    assert!(!body.contains("/register/confirm"), "no link: {body}");
    assert!(last_email(&s, "new@post.test").is_some());

    let user = s
        .state
        .stores
        .users
        .find_user_by_email("anna@post.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user, owner, "the account is untouched");
    let started = rp::start(&c, &["email"], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    rp::code_from(&s, &started, landing);
}

/// The page without the values that differ on every request (CSRF token, registration id).
fn strip_tokens(html: &str) -> String {
    let main = &html[html.find("<main>").unwrap()..html.find("</main>").unwrap()];
    let mut out = String::new();
    for part in main.split("value=\"") {
        if out.is_empty() {
            out.push_str(part);
            continue;
        }
        out.push_str("value=\"");
        let end = part.find('"').unwrap_or(0);
        let value = &part[..end];
        if value.len() >= 32 {
            out.push_str("TOKEN");
        } else {
            out.push_str(value);
        }
        out.push_str(&part[end..]);
    }
    out.split("data-csrf=\"")
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                p.to_owned()
            } else {
                p[p.find('"').unwrap_or(0)..].to_owned()
            }
        })
        .collect()
}

#[tokio::test]
async fn bad_input_is_named_beside_each_field_and_typed_values_stay() {
    let (s, c) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &["email"], &[("prompt", "create")]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let valid = filled(&html, "lena@post.test");

    let cases: [(&str, &str, &str, &str); 6] = [
        ("email2", "lena@post.tset", "email2-error", "not the same"),
        (
            "password",
            "password123",
            "password-error",
            "too easy to guess",
        ),
        (
            "password2",
            "something else entirely",
            "password2-error",
            "not the same",
        ),
        ("phone", "12ab", "phone-error", "Enter a mobile number"),
        ("birthdate", "1990-02-30", "birthdate-error", "real date"),
        ("terms", "", "terms-error", "Accept the terms"),
    ];
    for (name, value, error_id, message) in cases {
        let mut f = valid.clone();
        if name == "terms" {
            f.fields.retain(|(k, _)| k != "terms");
        } else {
            f.set(name, value);
        }
        if name == "password" {
            f.set("password2", value);
        }
        let (status, html) = page(b.submit(&s.url, &f).await);
        assert_eq!(status, 400, "{name}");
        let at = html
            .find(&format!("id=\"{error_id}\""))
            .unwrap_or_else(|| panic!("{name}: no {error_id} in {html}"));
        assert!(html[at..].contains(message), "{name}: {html}");
        assert!(
            html.contains(&format!("aria-describedby=\"{error_id}")),
            "{name}: the error is tied to the field"
        );
        // What was typed stays, but never a password.
        assert!(html.contains("value=\"Lena\"") && html.contains("value=\"Keller\""));
        assert!(html.contains("value=\"079 555 66 77\"") || name == "phone");
        assert!(!html.contains(NEW_PASSWORD) && !html.contains("password123"));
        assert!(outbox(&s).is_empty(), "nothing sent for a bad form");
    }

    // A wrong code is named beside the code field; the right one works after it.
    let (_, phone_page) = page(b.submit(&s.url, &valid).await);
    let mut f = form_for(&phone_page, "/register/phone", None);
    let right = last_sms_code(&s, PHONE);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    f.set("code", wrong);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(html.contains("id=\"code-error\"") && html.contains("This code is wrong"));
    assert!(
        html.contains(&format!("value=\"{wrong}\"")),
        "the typed code stays"
    );
    f.set("code", &right);
    let (status, _) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200);
    // Used: the same code again is expired.
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(html.contains("has expired"), "{html}");

    // An expired registration is an error page, not a 500.
    s.clock.advance(2 * 3600);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400, "{html}");
}

#[tokio::test]
async fn registration_in_french_sends_french_messages() {
    let (s, c) = setup().await;
    let b = Browser::new();
    let started = rp::start(
        &c,
        &["email"],
        &[("prompt", "create"), ("ui_locales", "fr")],
    );
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    assert!(html.contains("<html lang=\"fr\""));
    assert_eq!(heading(&html), "Créer un compte");
    let sms = {
        let (_, phone_page) = page(b.submit(&s.url, &filled(&html, "lea@post.test")).await);
        assert!(phone_page.contains("<html lang=\"fr\""));
        let sms = outbox(&s)
            .into_iter()
            .rev()
            .find(|m| m.channel == "sms")
            .unwrap();
        let mut f = form_for(&phone_page, "/register/phone", None);
        f.set("code", &last_sms_code(&s, PHONE));
        let (_, done) = page(b.submit(&s.url, &f).await);
        assert!(done.contains("<html lang=\"fr\""));
        sms.body
    };
    assert!(sms.contains("votre code"), "{sms}");
    let (subject, body) = last_email(&s, "lea@post.test").unwrap();
    assert_eq!(subject, "Confirmez votre adresse e-mail");
    assert!(body.starts_with("Bonjour"), "{body}");
    let link = link_in(&s, &body).unwrap();
    // Opened on another device (the phone's mail app): it says, in French, that it creates
    // the account only where the registration started (see `prehijack`).
    let other = Browser::new();
    let (_, html) = page(other.open(&s.url, &link).await);
    assert!(
        html.contains("<html lang=\"fr\""),
        "the link opens in French"
    );
    assert!(
        html.contains("Ouvrez le lien là où vous avez commencé"),
        "{html}"
    );
    let (_, html) = page(b.open(&s.url, &link).await);
    let confirm = form_for(&html, "/register/confirm", None);
    rp::code_from(&s, &started, b.submit(&s.url, &confirm).await);
    let user = s
        .state
        .stores
        .users
        .find_user_by_email("lea@post.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.locale.as_deref(), Some("fr"), "the language is saved");
}

#[tokio::test]
async fn the_sign_in_page_links_to_registration_and_discovery_advertises_create() {
    let (s, c) = setup().await;
    let meta: serde_json::Value =
        reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert!(
        meta["prompt_values_supported"]
            .as_array()
            .unwrap()
            .contains(&"create".into())
    );
    let b = Browser::new();
    let started = rp::start(&c, &["email"], &[]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let href = html
        .split("href=\"")
        .map(|p| {
            p[..p.find('"').unwrap()]
                .replace("&#x2f;", "/")
                .replace("&amp;", "&")
        })
        .find(|h| h.starts_with("/register?tx="))
        .expect("a registration link");
    let (status, html) = page(b.open(&s.url, &format!("{}{href}", s.url)).await);
    assert_eq!(status, 200);
    let html = register_until_email(&s, &b, &html, "max@post.test").await;
    assert_eq!(heading(&html), "Check your email");
    let (_, body) = last_email(&s, "max@post.test").unwrap();
    let (_, html) = page(b.open(&s.url, &link_in(&s, &body).unwrap()).await);
    let confirm = form_for(&html, "/register/confirm", None);
    rp::code_from(&s, &started, b.submit(&s.url, &confirm).await);
}

#[tokio::test]
async fn the_password_check_answers_in_the_page_language_with_csrf_only() {
    let (s, c) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &["email"], &[("prompt", "create")]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let csrf = attribute(&html, "data-csrf").unwrap();
    let ask = |password: &'static str, lang: &'static str, csrf: String| {
        let b = &b;
        let url = format!("{}/password/check", s.url);
        async move {
            let r = b
                .http
                .post(url)
                .header("x-csrf-token", csrf)
                .json(&serde_json::json!({ "password": password, "email": "lena@post.test", "lang": lang }))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, v) = ask("password123", "en", csrf.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(v["ok"], false);
    assert!(v["message"].as_str().unwrap().contains("too easy"), "{v}");
    let (_, v) = ask("xxlenaxx-river-stone", "de", csrf.clone()).await;
    assert_eq!(v["ok"], false);
    assert!(v["message"].as_str().unwrap().contains("E-Mail"), "{v}");
    let (_, v) = ask(NEW_PASSWORD, "fi", csrf.clone()).await;
    assert_eq!(v["ok"], true, "{v}");
    let (status, _) = ask(NEW_PASSWORD, "en", "forged".into()).await;
    assert_eq!(status, 403, "the CSRF token is required");
    let script = reqwest::get(format!("{}/assets/password.js", s.url))
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
}
