//! Account pre-hijacking (Sudhodanan & Paverd, 2022): someone registers an address that has
//! no account yet, with their own password and their own mobile number, and waits for its
//! owner to click the confirmation link. The link creates an account only in the browser
//! that started the registration, so the owner never ends up in the attacker's account.

use postern_tests::*;

use crate::{
    register::{NEW_PASSWORD, PHONE, filled, last_email, link_in, page, setup, submit_until_email},
    rp,
};

const EMAIL: &str = "lena@post.test";
const ATTACKER_PASSWORD: &str = "amber thistle under seven bridges";
const OWNER_PHONE: &str = "+41794443322";
const ELSEWHERE: &str = "only in the browser where the registration was started";

/// Registers [`EMAIL`] from a fresh authorization request in `b`, with `password` and the
/// national form of `phone`, up to the email; returns the started request.
async fn register(
    s: &TestServer,
    c: &rp::Client,
    b: &Browser,
    password: &str,
    (typed_phone, phone): (&str, &str),
) -> rp::Started {
    let started = rp::start(c, &["email", "phone"], &[("prompt", "create")]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let mut f = filled(&html, EMAIL);
    f.set("password", password);
    f.set("password2", password);
    f.set("phone", typed_phone);
    submit_until_email(s, b, &f, phone).await;
    started
}

/// The attacker registers the owner's address with a password and a phone of their own;
/// returns their browser and the link emailed to the owner.
async fn attacker_registers(s: &TestServer, c: &rp::Client) -> (Browser, String) {
    let attacker = Browser::new();
    register(s, c, &attacker, ATTACKER_PASSWORD, ("079 555 66 77", PHONE)).await;
    let (_, body) = last_email(s, EMAIL).expect("the link goes to the owner");
    (attacker, link_in(s, &body).unwrap())
}

/// The owner registers in `owner` with her own password and number, up to the email.
async fn owner_registers(s: &TestServer, c: &rp::Client, owner: &Browser) -> rp::Started {
    register(s, c, owner, NEW_PASSWORD, ("079 444 33 22", OWNER_PHONE)).await
}

/// The owner follows her own link in `owner`: the account is hers.
async fn owner_confirms(s: &TestServer, c: &rp::Client, owner: &Browser, started: rp::Started) {
    let (_, body) = last_email(s, EMAIL).unwrap();
    let (_, html) = page(owner.open(&s.url, &link_in(s, &body).unwrap()).await);
    let confirm = form_for(&html, "/register/confirm", None);
    rp::code_from(s, &started, owner.submit(&s.url, &confirm).await);
    let user = s
        .state
        .stores
        .users
        .find_user_by_email(EMAIL)
        .await
        .unwrap()
        .expect("her account");
    assert_eq!(user.phone.as_deref(), Some(OWNER_PHONE));
    assert!(signs_in(s, c, NEW_PASSWORD).await);
    assert!(!signs_in(s, c, ATTACKER_PASSWORD).await);
}

/// Opens `link` in `b`, which did not start its registration, and presses its button.
/// Returns where that leads.
async fn follow_elsewhere(s: &TestServer, b: &Browser, link: &str) -> (u16, String) {
    let (status, html) = page(b.open(&s.url, link).await);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(ELSEWHERE), "{html}");
    let confirm = form_for(&html, "/register/confirm", None);
    page(b.submit(&s.url, &confirm).await)
}

async fn no_account(s: &TestServer) -> bool {
    let users = &s.state.stores.users;
    users.find_user_by_email(EMAIL).await.unwrap().is_none()
}

async fn signs_in(s: &TestServer, c: &rp::Client, password: &str) -> bool {
    let started = rp::start(c, &["email"], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), EMAIL, password)
        .await;
    matches!(landing, Landing::Client(_))
}

#[tokio::test]
async fn a_registration_started_by_someone_else_never_captures_the_address() {
    let (s, c) = setup().await;
    let (attacker, link) = attacker_registers(&s, &c).await;

    // The owner follows the link in her own browser, without the attacker's cookies.
    let owner = Browser::new();
    let (status, html) = follow_elsewhere(&s, &owner, &link).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("action=\"/register\""), "a form of her own");
    assert!(no_account(&s).await, "no account from the attacker's data");
    // The attacker's registration is gone: the link is dead in any browser.
    assert_eq!(page(owner.open(&s.url, &link).await).0, 400);
    assert_eq!(page(attacker.open(&s.url, &link).await).0, 400);

    let started = owner_registers(&s, &c, &owner).await;
    owner_confirms(&s, &c, &owner, started).await;
}

#[tokio::test]
async fn a_pending_registration_does_not_stop_the_owner_registering_herself() {
    let (s, c) = setup().await;
    let (_, attackers_link) = attacker_registers(&s, &c).await;

    // The owner ignores that email and starts a registration herself; the attacker's link,
    // opened in her browser then, is still not hers.
    let owner = Browser::new();
    let started = owner_registers(&s, &c, &owner).await;
    follow_elsewhere(&s, &owner, &attackers_link).await;
    assert!(no_account(&s).await);
    // Her own link works in her browser.
    owner_confirms(&s, &c, &owner, started).await;
}

#[tokio::test]
async fn the_binding_cookie_lives_as_long_as_the_emailed_link() {
    let (s, c) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &["email", "phone"], &[("prompt", "create")]);
    let (_, html) = page(b.open(&s.url, started.url.as_str()).await);
    let f = filled(&html, EMAIL);
    let (_, html) = page(b.submit(&s.url, &f).await);
    let mut f = form_for(&html, "/register/phone", None);
    f.set("code", &last_sms_code(&s, PHONE));
    // The link is made (and starts its lifetime) when the phone is confirmed, maybe many
    // minutes after the start: the binding is renewed then, or the owner's own click late
    // in the link's life would land in "another browser" and lose her registration.
    let resp = b
        .http
        .post(format!("{}/register/phone", s.url))
        .form(&f.fields)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let ttl = s.state.config.accounts.registration_ttl.as_secs();
    let renewed = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("postern_reg=") && v.contains(&format!("Max-Age={ttl}")));
    assert!(renewed, "{:?}", resp.headers());
}
