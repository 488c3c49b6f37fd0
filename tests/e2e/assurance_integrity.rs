//! Adversarial review: a verified identity is a statement about the person's name and
//! birthdate as checked; the account holder must not keep `verified` after rewriting them.

use postern_tests::*;
use serde_json::json;

use crate::admin_api::{call, tool_token};

const EMAIL: &str = "anna@post.test";

fn page(landing: Landing) -> (u16, String) {
    match landing {
        Landing::Page(status, html) => (status, html),
        other => panic!("expected a page, got {other:?}"),
    }
}

#[tokio::test]
async fn renaming_oneself_after_an_identity_check_ends_the_verified_assurance() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    let t = tool_token(&s, "admin:users").await;
    // Anna Muster is checked at the counter.
    let body = json!({"level": "verified", "method": "counter", "reference": "office 00144"});
    let path = format!("/users/{}/assurance", anna.id);
    let r = call(&s, Some(&t), "PUT", &path, Some(body), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Then, in her own console, she becomes someone else.
    let b = Browser::new();
    let console = format!("{}/account", s.url);
    let (_, html) = page(b.sign_in(&s.url, &console, EMAIL, PASSWORD).await);
    let mut form = form_for(&html, "/account", None);
    form.set("given_name", "Mallory");
    form.set("family_name", "Impostor");
    form.set("birthdate", "1970-01-01");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 200, "{html}");
    let r = call(
        &s,
        Some(&t),
        "GET",
        &format!("/users/{}", anna.id),
        None,
        None,
    )
    .await;
    assert_eq!(r.body["given_name"], "Mallory");
    // A verified-only service (a bank) would now admit "Mallory Impostor" as verified.
    assert_ne!(
        r.body["assurance"]["level"], "verified",
        "the name checked at the counter was replaced, yet the identity is still verified: {}",
        r.body["assurance"]
    );
}

#[tokio::test]
async fn a_required_password_change_is_not_skipped_by_an_existing_session() {
    let s = spawn().await;
    // Anna is signed in at shop (an attacker holding her stolen session, say).
    let (c, _, _, b) = crate::rp::anna_at_shop(&s, &[]).await;
    let anna = s
        .state
        .stores
        .users
        .find_user_by_email(EMAIL)
        .await
        .unwrap()
        .unwrap();
    // The operator suspects a compromise and requires a new password.
    let t = tool_token(&s, "admin:users").await;
    let r = call(
        &s,
        Some(&t),
        "POST",
        &format!("/users/{}/password-change", anna.id),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // The existing session still yields codes without any new password being chosen.
    let silent = crate::rp::start(&c, &[], &[("prompt", "none")]);
    let landing = b.open(&s.url, silent.url.as_str()).await;
    if let Landing::Client(back) = &landing {
        assert!(
            !query(back).contains_key("code"),
            "a code was issued to a session of an account whose password must be changed: {back}"
        );
    }
}
