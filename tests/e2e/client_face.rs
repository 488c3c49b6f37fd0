//! A service's name on the pages: never its client id, which names a registration, not a
//! service a person would recognise.

use postern_tests::*;

use crate::rp;

/// The sign-in page of client `id` with `ui_locales`.
pub(crate) async fn sign_in_page(s: &TestServer, id: &str, lang: &str) -> String {
    let c = rp::client(s, id, None).await;
    let started = rp::start(&c, &[], &[("ui_locales", lang)]);
    match Browser::new().open(&s.url, started.url.as_str()).await {
        Landing::Page(200, html) => html,
        other => panic!("a sign-in page, got {other:?}"),
    }
}

#[tokio::test]
async fn a_client_without_a_name_is_not_named_by_its_id() {
    let s = spawn().await;
    let mut bare = ClientSpec::confidential("bare-rp");
    bare.first_party = false;
    s.client(bare).await;
    s.user("anna@post.test").await;
    for lang in ["en", "fi"] {
        let html = sign_in_page(&s, "bare-rp", lang).await;
        assert!(!html.contains("bare-rp"), "{html}");
    }
    let c = rp::client(&s, "bare-rp", Some(&rp::secret_of("bare-rp"))).await;
    let started = rp::start(&c, &["email"], &[]);
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, started.url.as_str()).await else {
        panic!("the sign-in page")
    };
    let mut form = form_for(&html, "/login/identify", None);
    form.set("email", "anna@post.test");
    let Landing::Page(200, html) = b.submit(&s.url, &form).await else {
        panic!("the password page")
    };
    assert!(!html.contains("bare-rp"), "{html}");
    let mut form = form_for(&html, "/login/password", None);
    form.set("password", PASSWORD);
    let Landing::Page(200, consent) = b.submit(&s.url, &form).await else {
        panic!("the consent page of a third-party client")
    };
    assert!(!consent.contains("bare-rp"), "{consent}");
    assert!(consent.contains("A service asks to:"), "{consent}");
}
