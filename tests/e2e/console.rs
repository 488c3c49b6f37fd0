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

async fn userinfo(s: &TestServer, access_token: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
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
