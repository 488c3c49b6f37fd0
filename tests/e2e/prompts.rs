//! The SSO session and the prompts that override it; bad clients and redirect URIs.

use openidconnect::core::CoreJwsSigningAlgorithm;
use postern_tests::*;

use crate::rp;

const RS256: CoreJwsSigningAlgorithm = CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256;

async fn setup() -> (TestServer, rp::Client) {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    (s, c)
}

fn is_login_page(landing: &Landing) -> bool {
    matches!(landing, Landing::Page(200, html) if html.contains("name=\"email\"") || html.contains("name=\"password\""))
}

#[tokio::test]
async fn prompt_none_without_a_session_is_login_required() {
    let (s, c) = setup().await;
    let started = rp::start(&c, &[], &[("prompt", "none")]);
    let Landing::Client(back) = Browser::new().open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    let q = query(&back);
    assert_eq!(q["error"], "login_required", "{back}");
    assert_eq!(&q["state"], started.state.secret());
    assert_eq!(q["iss"], s.url);
    assert!(!q.contains_key("code"));
}

#[tokio::test]
async fn the_sso_session_signs_in_again_without_a_page() {
    let (s, c) = setup().await;
    let (first, _, browser) = rp::login(&s, &c, "anna@post.test", &[], vec![RS256]).await;
    let started = rp::start(&c, &[], &[("prompt", "none")]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    let code = rp::code_from(&s, &started, landing);
    let tokens = rp::exchange(&c, &code, started.verifier).await;
    let claims = tokens
        .extra_fields()
        .id_token()
        .unwrap()
        .claims(&c.id_token_verifier(), &started.nonce)
        .unwrap();
    assert_eq!(claims.subject(), first.subject());
    assert_eq!(
        claims.auth_time(),
        first.auth_time(),
        "the same authentication event"
    );
}

#[tokio::test]
async fn prompt_login_asks_again_and_renews_auth_time() {
    let (s, c) = setup().await;
    let (first, _, browser) = rp::login(&s, &c, "anna@post.test", &[], vec![RS256]).await;
    s.clock.advance(120);
    let started = rp::start(&c, &[], &[("prompt", "login")]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    assert!(is_login_page(&landing), "{landing:?}");
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    let tokens = rp::exchange(&c, &code, started.verifier).await;
    let claims = tokens
        .extra_fields()
        .id_token()
        .unwrap()
        .claims(&c.id_token_verifier(), &started.nonce)
        .unwrap()
        .clone();
    assert!(claims.auth_time().unwrap() > first.auth_time().unwrap());
}

#[tokio::test]
async fn max_age_forces_a_fresh_sign_in_only_when_exceeded() {
    let (s, c) = setup().await;
    let (_, _, browser) = rp::login(&s, &c, "anna@post.test", &[], vec![RS256]).await;

    // Younger than max_age: straight back with a code.
    let started = rp::start(&c, &[], &[("max_age", "300")]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    rp::code_from(&s, &started, landing);

    // Older: the password is asked again, and prompt=none with it is login_required.
    s.clock.advance(600);
    let started = rp::start(&c, &[], &[("max_age", "300")]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    assert!(is_login_page(&landing), "{landing:?}");
    let started = rp::start(&c, &[], &[("max_age", "300"), ("prompt", "none")]);
    let Landing::Client(back) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "login_required");
}

#[tokio::test]
async fn unregistered_redirect_uris_and_unknown_clients_get_a_page_not_a_redirect() {
    let (s, _) = setup().await;
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    for (client, redirect) in [
        ("shop", "https://evil.test/cb"),
        ("shop", "https://rp.test/cb/extra"),
        ("shop", "https://rp.test/cb?x=1"),
        ("shop", "https://RP.test/cb"),
        ("nobody", "https://rp.test/cb"),
    ] {
        let url = format!(
            "{}/authorize?client_id={client}&redirect_uri={}&response_type=code&scope=openid\
             &code_challenge={challenge}&code_challenge_method=S256&state=x",
            s.url,
            url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
        );
        let resp = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(&url)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{client} {redirect}");
        assert!(resp.headers().get("location").is_none());
        let csp = resp.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"));
        let html = resp.text().await.unwrap();
        assert!(html.contains("<html"), "a readable page: {html}");
    }
}

#[tokio::test]
async fn a_third_party_client_asks_for_consent_once() {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("partner");
    spec.first_party = false;
    s.client(spec).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "partner", Some(&rp::secret_of("partner"))).await;
    let browser = Browser::new();
    let started = rp::start(&c, &["email"], &[]);
    let mut landing = browser.open(&s.url, started.url.as_str()).await;
    // email, password, then the consent page itself.
    for value in ["anna@post.test", PASSWORD] {
        let Landing::Page(200, html) = &landing else {
            panic!("{landing:?}")
        };
        let mut form = parse_form(html).unwrap();
        let name = if value == PASSWORD {
            "password"
        } else {
            "email"
        };
        form.set(name, value);
        landing = browser.submit(&s.url, &form).await;
    }
    let Landing::Page(200, html) = &landing else {
        panic!("consent page expected: {landing:?}")
    };
    assert!(html.contains("email"), "the page names what is shared");
    let mut form = parse_form(html).unwrap();
    assert_eq!(form.action, "/consent");
    form.set("decision", "deny");
    let Landing::Client(back) = browser.submit(&s.url, &form).await else {
        panic!("denial goes back to the client")
    };
    assert_eq!(query(&back)["error"], "access_denied");

    // Allowing it once is remembered for the same scopes.
    let started = rp::start(&c, &["email"], &[]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    let Landing::Page(200, html) = &landing else {
        panic!("{landing:?}")
    };
    let mut form = parse_form(html).unwrap();
    form.set("decision", "allow");
    let landing = browser.submit(&s.url, &form).await;
    rp::code_from(&s, &started, landing);
    let started = rp::start(&c, &["email"], &[("prompt", "none")]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    rp::code_from(&s, &started, landing);
    // A new scope is new consent; prompt=none cannot ask for it.
    let started = rp::start(&c, &["email", "phone"], &[("prompt", "none")]);
    let Landing::Client(back) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "consent_required");
}

#[tokio::test]
async fn form_post_returns_the_code_in_an_auto_submitted_form() {
    let (s, c) = setup().await;
    let (_, _, browser) = rp::login(&s, &c, "anna@post.test", &[], vec![RS256]).await;
    let started = rp::start(&c, &[], &[("response_mode", "form_post")]);
    let Landing::Page(200, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("form_post answers with a page")
    };
    let form = parse_form(&html).expect("a form");
    assert_eq!(form.action, "https://rp.test/cb");
    let fields: std::collections::HashMap<_, _> = form.fields.into_iter().collect();
    assert_eq!(&fields["state"], started.state.secret());
    assert_eq!(fields["iss"], s.url);
    let tokens = rp::exchange(&c, &fields["code"], started.verifier).await;
    assert!(tokens.extra_fields().id_token().is_some());
    assert!(
        html.contains("<script src=\"/assets/autosubmit.js\"") && !html.contains("<script>"),
        "no inline script: {html}"
    );
}

#[tokio::test]
async fn a_forged_login_form_is_refused_by_its_csrf_token() {
    let (s, c) = setup().await;
    let browser = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let Landing::Page(200, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("login page")
    };
    let mut form = parse_form(&html).unwrap();
    assert!(form.fields.iter().any(|(k, _)| k == "csrf"), "{form:?}");
    form.set("csrf", "forged");
    form.set("email", "anna@post.test");
    let Landing::Page(status, _) = browser.submit(&s.url, &form).await else {
        panic!("a page")
    };
    assert_eq!(status, 403);
}
