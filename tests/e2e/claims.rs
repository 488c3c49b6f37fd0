//! Personal data by consent: a `claims` request (OIDC Core §5.5) is consent for each item it
//! names, and offline access of a third-party client is consent too.

use openidconnect::OAuth2TokenResponse;
use postern_tests::*;
use serde_json::json;

use crate::rp;

const EMAIL: &str = "anna@post.test";

async fn setup() -> (TestServer, rp::Client, String) {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("partner");
    spec.first_party = false;
    s.client(spec).await;
    let mut anna = s.user(EMAIL).await;
    anna.birthdate = Some("1990-04-01".into());
    anna.street_address = Some("Rue du Marché 3".into());
    anna.postal_code = Some("1204".into());
    anna.locality = Some("Genève".into());
    s.state.stores.users.update_user(&anna).await.unwrap();
    let c = rp::client(&s, "partner", Some(&rp::secret_of("partner"))).await;
    (s, c, anna.id)
}

/// Signs in up to (not through) the consent page; the page's HTML.
async fn consent_page(s: &TestServer, b: &Browser, started: &rp::Started) -> String {
    let mut landing = b.open(&s.url, started.url.as_str()).await;
    for (name, value) in [("email", EMAIL), ("password", PASSWORD)] {
        let Landing::Page(200, html) = &landing else {
            return page_of(landing);
        };
        if !html.contains(&format!("name=\"{name}\"")) {
            break;
        }
        let mut form = parse_form(html).unwrap();
        form.set(name, value);
        landing = b.submit(&s.url, &form).await;
    }
    page_of(landing)
}

fn page_of(landing: Landing) -> String {
    match landing {
        Landing::Page(200, html) => html,
        other => panic!("a page expected, got {other:?}"),
    }
}

async fn allow(s: &TestServer, b: &Browser, html: &str, started: &rp::Started) -> String {
    let mut form = parse_form(html).unwrap();
    assert_eq!(form.action, "/consent", "{html}");
    form.set("decision", "allow");
    rp::code_from(s, started, b.submit(&s.url, &form).await)
}

#[tokio::test]
async fn a_consent_to_openid_does_not_cover_a_claims_request() {
    let (s, c, _) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let html = consent_page(&s, &b, &started).await;
    allow(&s, &b, &html, &started).await;

    // The consent given was "know who you are"; silently asking for the data item by item
    // must not get it.
    let claims = json!({"userinfo": {"email": null, "phone_number": null, "family_name": null},
                        "id_token": {"birthdate": null, "address": null}})
    .to_string();
    let started = rp::start(&c, &[], &[("prompt", "none"), ("claims", &claims)]);
    let Landing::Client(back) = b.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "consent_required", "{back}");
}

#[tokio::test]
async fn the_consent_page_names_each_item_a_claims_request_asks_for() {
    let (s, c, anna) = setup().await;
    let b = Browser::new();
    let claims = json!({"userinfo": {"email": null, "phone_number": null, "family_name": null},
                        "id_token": {"birthdate": null, "address": null}})
    .to_string();
    let started = rp::start(&c, &[], &[("claims", &claims)]);
    let html = consent_page(&s, &b, &started).await;
    for item in [
        "know who you are",
        "see your email address",
        "see your mobile number",
        "see your name",
        "see your date of birth",
        "see your postal address",
    ] {
        assert!(html.contains(item), "{item:?} named on the page: {html}");
    }
    let code = allow(&s, &b, &html, &started).await;
    let tokens = rp::exchange(&c, &code, started.verifier).await;
    let id = jwt_payload(&tokens.extra_fields().id_token().unwrap().to_string());
    assert_eq!(id["birthdate"], "1990-04-01");
    assert_eq!(id["address"]["locality"], "Genève");
    assert!(
        id.get("email").is_none(),
        "asked for in userinfo only: {id}"
    );
    let info = userinfo(&s, tokens.access_token().secret()).await;
    assert_eq!(info["email"], EMAIL);
    assert_eq!(info["phone_number"], "+41791234567");
    assert_eq!(info["family_name"], "Muster");
    assert!(
        info.get("given_name").is_none(),
        "only what was named: {info}"
    );

    // What was granted is stored: the same request again needs no page.
    let started = rp::start(&c, &[], &[("prompt", "none"), ("claims", &claims)]);
    rp::code_from(&s, &started, b.open(&s.url, started.url.as_str()).await);
    let consent = s
        .state
        .stores
        .consents
        .find_consent(&anna, "partner")
        .await
        .unwrap()
        .unwrap();
    assert!(consent.claims.contains("birthdate"), "{consent:?}");
    assert!(!consent.claims.contains("given_name"), "{consent:?}");
}

#[tokio::test]
async fn a_denied_claims_request_releases_nothing() {
    let (s, c, _) = setup().await;
    let b = Browser::new();
    let claims = json!({"userinfo": {"email": null}}).to_string();
    let started = rp::start(&c, &[], &[("claims", &claims)]);
    let html = consent_page(&s, &b, &started).await;
    let mut form = parse_form(&html).unwrap();
    form.set("decision", "deny");
    let Landing::Client(back) = b.submit(&s.url, &form).await else {
        panic!("denial goes back to the client")
    };
    assert_eq!(query(&back)["error"], "access_denied");
}

#[tokio::test]
async fn a_third_party_client_gets_offline_access_only_with_consent() {
    let (s, c, _) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &["email"], &[]);
    let html = consent_page(&s, &b, &started).await;
    assert!(!html.contains("stay connected"), "{html}");
    allow(&s, &b, &html, &started).await;

    // Consent to email is not consent to a refresh token.
    let started = rp::start(&c, &["email", "offline_access"], &[("prompt", "none")]);
    let Landing::Client(back) = b.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "consent_required", "{back}");

    let started = rp::start(&c, &["email", "offline_access"], &[]);
    let html = page_of(b.open(&s.url, started.url.as_str()).await);
    assert!(html.contains("stay connected"), "the item is named: {html}");
    let code = allow(&s, &b, &html, &started).await;
    let tokens = rp::exchange(&c, &code, started.verifier).await;
    assert!(tokens.refresh_token().is_some(), "consented offline access");
}
