//! Recovery end to end through the outbox: a forgotten password (link plus SMS code, every
//! session and refresh token revoked, a permanent lock lifted), the same answer for unknown
//! addresses, expired and reused links and codes, the forgotten email address by SMS, and
//! messages in the page's language.

use openidconnect::{OAuth2TokenResponse, core::CoreJwsSigningAlgorithm};
use postern_tests::*;

use crate::{
    register::{NEW_PASSWORD, link_in, page},
    rp::{self, http},
};

const PHONE: &str = "+41791234567";

fn heading(html: &str) -> &str {
    let start = html.find("<h1>").expect("a heading") + 4;
    let end = html[start..].find("</h1>").unwrap() + start;
    &html[start..end]
}

fn href(html: &str, prefix: &str) -> String {
    html.split("href=\"")
        .map(|p| {
            p[..p.find('"').unwrap()]
                .replace("&#x2f;", "/")
                .replace("&amp;", "&")
        })
        .find(|h| h.starts_with(prefix))
        .unwrap_or_else(|| panic!("no link {prefix} in {html}"))
}

/// Waits for an email to `to` whose subject is `subject` (the request sends it apart).
async fn email_with_subject(s: &TestServer, to: &str, subject: &str) -> String {
    for _ in 0..100 {
        if let Some(m) = outbox(s)
            .into_iter()
            .rev()
            .find(|m| m.to == to && m.subject.as_deref() == Some(subject))
        {
            return m.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no email {subject:?} to {to}: {:?}", outbox(s));
}

/// From a sign-in page to the forgotten-password request for `email`; returns the answer.
async fn ask_for_link(s: &TestServer, b: &Browser, sign_in: &str, email: &str) -> String {
    let link = href(sign_in, "/recover/password?tx=");
    let (status, html) = page(b.open(&s.url, &format!("{}{link}", s.url)).await);
    assert_eq!(status, 200);
    let mut f = form_for(&html, "/recover/password", None);
    f.set("email", email);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200, "{html}");
    html
}

/// The password page of a sign-in for `email`.
async fn password_page(
    s: &TestServer,
    b: &Browser,
    c: &rp::Client,
    extra: &[(&str, &str)],
    email: &str,
) -> String {
    let started = rp::start(c, &["email"], extra);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let mut f = form_for(&html, "/login/identify", None);
    f.set("email", email);
    page(b.submit(&s.url, &f).await).1
}

#[tokio::test]
async fn a_forgotten_password_revokes_every_session_and_refresh_token_and_lifts_a_lock() {
    let s = spawn_with(|c| {
        c.lockout.max_failures = 2;
        c.lockout.max_temporary_locks = 1;
    })
    .await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    s.user("anna@post.test").await;

    // A signed-in browser with a refresh token.
    let (_, tokens, old_browser) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let refresh = tokens.refresh_token().expect("a refresh token").clone();

    // Someone guesses: the account is locked for good.
    for _ in 0..2 {
        let started = rp::start(&c, &[], &[]);
        Browser::new()
            .sign_in(
                &s.url,
                started.url.as_str(),
                "anna@post.test",
                "wrong guess",
            )
            .await;
    }
    let started = rp::start(&c, &[], &[]);
    let Landing::Page(403, _) = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await
    else {
        panic!("locked")
    };

    // The forgotten-password link from the password page.
    let b = Browser::new();
    let html = password_page(&s, &b, &c, &[], "anna@post.test").await;
    let html = ask_for_link(&s, &b, &html, "anna@post.test").await;
    assert_eq!(heading(&html), "Check your email");
    let body = email_with_subject(&s, "anna@post.test", "Choose a new password").await;
    let link = link_in(&s, &body).expect("a link");
    assert!(
        link.starts_with(&format!("{}/recover/reset?token=", s.url)),
        "{link}"
    );

    let (status, html) = page(b.open(&s.url, &link).await);
    assert_eq!(status, 200);
    assert!(
        html.contains("name=\"code\""),
        "a verified phone needs the SMS code"
    );
    let code = last_sms_code(&s, PHONE);
    let sms = outbox(&s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "sms")
        .unwrap();
    assert!(sms.body.contains("new password"), "{}", sms.body);

    // A wrong code, then a weak password: each named beside its field, the code kept.
    let mut f = form_for(&html, "/recover/reset", None);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    f.set("code", wrong);
    f.set("password", NEW_PASSWORD);
    f.set("password2", NEW_PASSWORD);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"code-error\"") && html.contains("This code is wrong"),
        "{html}"
    );
    assert!(!html.contains(NEW_PASSWORD), "never the password");
    f.set("code", &code);
    f.set("password", "password123");
    f.set("password2", "password123");
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"password-error\"") && html.contains("too easy"),
        "{html}"
    );
    assert!(
        html.contains(&format!("value=\"{code}\"")),
        "the typed code stays"
    );
    f.set("password", NEW_PASSWORD);
    f.set("password2", "something else entirely");
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(html.contains("id=\"password2-error\""), "{html}");

    f.set("password2", NEW_PASSWORD);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200, "{html}");
    assert_eq!(heading(&html), "Password saved");
    assert!(
        html.contains("/login?tx="),
        "back to the sign-in it came from"
    );
    let notice = email_with_subject(
        &s,
        "anna@post.test",
        "A change to your postal services account",
    )
    .await;
    assert!(
        !notice.contains(NEW_PASSWORD),
        "a notice of the change, never the password"
    );

    // Single use.
    assert_eq!(page(b.submit(&s.url, &f).await).0, 400);
    assert_eq!(page(b.open(&s.url, &link).await).0, 400);

    // The old session no longer signs in, the old refresh token is refused.
    let started = rp::start(&c, &[], &[]);
    let (status, html) = page(old_browser.open(&s.url, started.url.as_str()).await);
    assert_eq!(status, 200);
    assert!(
        html.contains("action=\"/login/identify\""),
        "asked to sign in again: {html}"
    );
    let refused = c
        .exchange_refresh_token(&refresh)
        .unwrap()
        .request_async(&http())
        .await;
    assert!(refused.is_err(), "{refused:?}");

    // The lock is gone and the new password works; the old one does not.
    let started = rp::start(&c, &[], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", NEW_PASSWORD)
        .await;
    rp::code_from(&s, &started, landing);
    let b = Browser::new();
    let html = password_page(&s, &b, &c, &[], "anna@post.test").await;
    let mut f = form_for(&html, "/login/password", None);
    f.set("password", PASSWORD);
    assert_eq!(
        page(b.submit(&s.url, &f).await).0,
        401,
        "the old password is gone"
    );
}

#[tokio::test]
async fn the_answer_is_the_same_for_an_unknown_address() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    s.user("anna@post.test").await;
    let mut answers = Vec::new();
    for email in ["anna@post.test", "nobody@post.test"] {
        let b = Browser::new();
        let html = password_page(&s, &b, &c, &[], email).await;
        let html = ask_for_link(&s, &b, &html, email).await;
        let main = &html[html.find("<main>").unwrap()..html.find("</main>").unwrap()];
        let main = main.replace(email, "EMAIL");
        // The link back differs by its transaction only.
        answers.push(main[..main.find("/login?tx=").unwrap_or(main.len())].to_owned());
    }
    assert_eq!(answers[0], answers[1]);
    email_with_subject(&s, "anna@post.test", "Choose a new password").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        outbox(&s).iter().all(|m| m.to != "nobody@post.test"),
        "nothing to an address without an account"
    );

    // Bad input: a message beside the field, the typed value kept.
    let b = Browser::new();
    let html = password_page(&s, &b, &c, &[], "anna@post.test").await;
    let link = href(&html, "/recover/password?tx=");
    let (_, html) = page(b.open(&s.url, &format!("{}{link}", s.url)).await);
    assert!(
        html.contains("value=\"anna@post.test\""),
        "the address of the sign-in"
    );
    let mut f = form_for(&html, "/recover/password", None);
    f.set("email", "not an address");
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(html.contains("id=\"email-error\"") && html.contains("value=\"not an address\""));
}

/// Asks in `b` for a new-password link for anna@post.test and returns it.
async fn reset_link(s: &TestServer, b: &Browser, c: &rp::Client) -> String {
    let html = password_page(s, b, c, &[], "anna@post.test").await;
    ask_for_link(s, b, &html, "anna@post.test").await;
    let body = email_with_subject(s, "anna@post.test", "Choose a new password").await;
    link_in(s, &body).unwrap()
}

/// The new-password form of `html` filled with [`NEW_PASSWORD`] and `code`.
fn reset_form(html: &str, code: &str) -> Form {
    let mut f = form_for(html, "/recover/reset", None);
    f.set("code", code);
    f.set("password", NEW_PASSWORD);
    f.set("password2", NEW_PASSWORD);
    f
}

#[tokio::test]
async fn expired_links_and_codes_are_refused_beside_the_field() {
    let (s, c) = crate::register::setup().await;
    s.user("anna@post.test").await;
    let b = Browser::new();
    let link = reset_link(&s, &b, &c).await;
    let (_, html) = page(b.open(&s.url, &link).await);
    let f = reset_form(&html, &last_sms_code(&s, PHONE));
    // The code lives 5 minutes.
    s.clock.advance(301);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"code-error\"") && html.contains("has expired"),
        "{html}"
    );
    // Opening the link again sends a new code, which works.
    let (_, html) = page(b.open(&s.url, &link).await);
    let f = reset_form(&html, &last_sms_code(&s, PHONE));
    // The link lives an hour.
    s.clock.advance(3600);
    let (status, _) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400, "an expired link is refused");
}

#[tokio::test]
async fn a_forgotten_password_in_german_gets_german_messages() {
    let (s, c) = crate::register::setup().await;
    s.user("anna@post.test").await;
    let b = Browser::new();
    let html = password_page(&s, &b, &c, &[("ui_locales", "de")], "anna@post.test").await;
    let html = ask_for_link(&s, &b, &html, "anna@post.test").await;
    assert!(html.contains("<html lang=\"de\""));
    assert_eq!(heading(&html), "Prüfen Sie Ihre E-Mails");
    let body = email_with_subject(&s, "anna@post.test", "Neues Passwort wählen").await;
    assert!(body.starts_with("Guten Tag"), "{body}");
    let (_, html) = page(
        Browser::new()
            .open(&s.url, &link_in(&s, &body).unwrap())
            .await,
    );
    assert!(html.contains("name=\"code\""));
    assert!(
        html.contains("<html lang=\"de\""),
        "the link opens in the request's language"
    );
    let sms = outbox(&s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "sms")
        .unwrap();
    assert!(sms.body.contains("neues Passwort"), "{}", sms.body);
}

#[tokio::test]
async fn a_forgotten_email_address_comes_by_sms() {
    let (s, c) = crate::register::setup().await;
    let mut user = s.user("anna@post.test").await;
    user.birthdate = Some("1985-06-30".into());
    user.locale = Some("sv".into());
    s.state.stores.users.update_user(&user).await.unwrap();

    let b = Browser::new();
    let started = rp::start(&c, &["email"], &[]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let link = href(&html, "/recover/email?tx=");
    let (status, html) = page(b.open(&s.url, &format!("{}{link}", s.url)).await);
    assert_eq!(status, 200);

    // Bad input first: messages beside the fields, the typed values kept.
    let mut f = form_for(&html, "/recover/email", None);
    f.set("phone", "12ab");
    f.set("birthdate", "1985-13-01");
    let (status, bad) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(bad.contains("id=\"phone-error\"") && bad.contains("id=\"birthdate-error\""));
    assert!(bad.contains("value=\"12ab\"") && bad.contains("value=\"1985-13-01\""));

    // Details that match nothing: the same page, no SMS, and every code is wrong.
    let sms_before = outbox(&s).iter().filter(|m| m.channel == "sms").count();
    f.set("phone", "079 123 45 67");
    f.set("birthdate", "1985-06-29");
    let (status, nothing) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200);
    let mut code_form = form_for(&nothing, "/recover/email/code", None);
    code_form.set("code", "123456");
    let (status, wrong) = page(b.submit(&s.url, &code_form).await);
    assert_eq!(status, 400);
    assert!(wrong.contains("This code is wrong"));

    // The right details: the code, then the address by SMS in the account's language.
    f.set("birthdate", "1985-06-30");
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200);
    let strip = |h: &str| h[h.find("<main>").unwrap()..h.find("name=\"id\"").unwrap()].to_owned();
    assert_eq!(strip(&html), strip(&nothing), "the same page either way");
    let mut sms = Vec::new();
    for _ in 0..100 {
        sms = outbox(&s)
            .into_iter()
            .filter(|m| m.channel == "sms")
            .collect();
        if sms.len() > sms_before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        sms.len(),
        sms_before + 1,
        "one SMS, for the matching details only"
    );
    assert!(
        sms.last().unwrap().body.contains("din kod"),
        "Swedish: {}",
        sms.last().unwrap().body
    );
    let mut code_form = form_for(&html, "/recover/email/code", None);
    code_form.set("code", &last_sms_code(&s, PHONE));
    let (status, done) = page(b.submit(&s.url, &code_form).await);
    assert_eq!(status, 200, "{done}");
    let last = outbox(&s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "sms")
        .unwrap();
    assert_eq!(last.to, PHONE);
    assert!(last.body.contains("anna@post.test"), "{}", last.body);
    // The request is used up.
    assert_eq!(page(b.submit(&s.url, &code_form).await).0, 400);
}

#[tokio::test]
async fn wrong_reset_sms_codes_lock_the_account_like_wrong_passwords() {
    let s = spawn_with(|c| c.lockout.max_failures = 3).await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    s.user("anna@post.test").await;

    // Someone who reads the mailbox, not the phone, guesses the SMS code of the reset.
    let b = Browser::new();
    let link = reset_link(&s, &b, &c).await;
    let (_, html) = page(b.open(&s.url, &link).await);
    let code = last_sms_code(&s, PHONE);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mut f = reset_form(&html, wrong);
    for _ in 0..2 {
        let (status, html) = page(b.submit(&s.url, &f).await);
        assert_eq!(status, 400);
        assert!(html.contains("This code is wrong"), "{html}");
    }
    let (status, _) = page(b.submit(&s.url, &f).await);
    assert_eq!(
        status, 403,
        "the third wrong code locks, as a third wrong password does"
    );

    // Locked: the right password is refused, and so is the right code.
    let started = rp::start(&c, &[], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    assert!(matches!(landing, Landing::Page(403, _)), "{landing:?}");
    f.set("code", &code);
    assert_eq!(page(b.submit(&s.url, &f).await).0, 403);

    // Once the temporary lock is over the code is checked again (that one has expired
    // meanwhile), and the link with a new code sets the password.
    s.clock.advance(21 * 60);
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 400);
    assert!(html.contains("has expired"), "{html}");
    let (_, html) = page(b.open(&s.url, &link).await);
    let f = reset_form(&html, &last_sms_code(&s, PHONE));
    let (status, html) = page(b.submit(&s.url, &f).await);
    assert_eq!(status, 200, "{html}");
    let started = rp::start(&c, &[], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", NEW_PASSWORD)
        .await;
    rp::code_from(&s, &started, landing);
}
