//! Identity assurance and counter credentials, end to end: a service that admits verified
//! identities only, the counter check that admits a person, the temporary password that must
//! be replaced at the first sign-in, and its expiry. Tried as an attacker would: skipping
//! the new-password page, a second browser, the same temporary password twice.

use postern_tests::*;
use serde_json::json;

use crate::{
    admin_api::{assurance::stored, call, tool_token},
    rp,
};

const EMAIL: &str = "anna@post.test";
const NEW: &str = "violet harbour lantern 4417";

/// Client `bank`, which admits verified identities only and may ask for `assurance`.
async fn bank(s: &TestServer) -> rp::Client {
    let mut spec = ClientSpec::confidential("bank");
    spec.require_verified = true;
    spec.scopes.push("assurance".into());
    s.client(spec).await;
    rp::client(s, "bank", Some(&rp::secret_of("bank"))).await
}

/// Client `shop`, Anna, and a token of a counter tool (`admin:users`).
async fn shop_and_anna() -> (TestServer, rp::Client, idp::storage::User, String) {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let anna = s.user(EMAIL).await;
    let token = tool_token(&s, "admin:users").await;
    (s, c, anna, token)
}

fn page(landing: Landing) -> (u16, String) {
    match landing {
        Landing::Page(status, html) => (status, html),
        other => panic!("expected a page, got {other:?}"),
    }
}

/// Opens `auth_url` and enters `email` and `password`: where the password leads.
async fn password_step(s: &TestServer, b: &Browser, auth_url: &str, password: &str) -> Landing {
    let (_, html) = page(b.open(&s.url, auth_url).await);
    let mut form = form_for(&html, "/login/identify", None);
    form.set("email", EMAIL);
    let (_, html) = page(b.submit(&s.url, &form).await);
    let mut form = form_for(&html, "/login/password", None);
    form.set("password", password);
    b.submit(&s.url, &form).await
}

/// Submits the new-password page `html` with `password` twice.
async fn choose(s: &TestServer, b: &Browser, html: &str, password: &str) -> Landing {
    let mut form = form_for(html, "/login/new-password", None);
    form.set("password", password);
    form.set("password2", password);
    b.submit(&s.url, &form).await
}

async fn temporary_password(s: &TestServer, token: &str, user_id: &str) -> String {
    let p = format!("/users/{user_id}/temporary-password");
    let r = call(s, Some(token), "POST", &p, None, None).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["password"].as_str().unwrap().to_owned()
}

fn is_new_password_page(html: &str) -> bool {
    html.contains("action=\"/login/new-password\"")
        || html.contains("action=\"&#x2f;login&#x2f;new-password\"")
}

#[tokio::test]
async fn a_service_for_verified_identities_refuses_until_a_counter_check_is_recorded() {
    let s = spawn().await;
    let c = bank(&s).await;
    let anna = s.user(EMAIL).await;
    let b = Browser::new();
    let started = rp::start(&c, &["assurance"], &[]);
    let (status, html) = page(
        b.sign_in(&s.url, started.url.as_str(), EMAIL, PASSWORD)
            .await,
    );
    assert_eq!(status, 200);
    assert!(
        html.contains("only available to people whose identity has been verified"),
        "{html}"
    );
    // The way back: the client learns the refusal, with its state.
    let form = form_for(&html, "/login/verify", None);
    let Landing::Client(back) = b.submit(&s.url, &form).await else {
        panic!("back to the client")
    };
    let q = query(&back);
    assert_eq!(q["error"], "access_denied", "{back}");
    assert_eq!(&q["state"], started.state.secret());
    assert!(!q.contains_key("code"));
    // Signed in, but prompt=none cannot show the page: interaction_required.
    let silent = rp::start(&c, &[], &[("prompt", "none")]);
    let Landing::Client(back) = b.open(&s.url, silent.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "interaction_required", "{back}");

    // At the counter: an administrator records the check.
    let token = tool_token(&s, "admin:users").await;
    let body = json!({"level": "verified", "method": "counter", "reference": "office 00144"});
    let r = call(
        &s,
        Some(&token),
        "PUT",
        &format!("/users/{}/assurance", anna.id),
        Some(body),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let again = rp::start(&c, &["assurance"], &[("prompt", "none")]);
    let landing = b.open(&s.url, again.url.as_str()).await;
    let code = rp::code_from(&s, &again, landing);
    let tokens = rp::exchange(&c, &code, again.verifier).await;
    use openidconnect::OAuth2TokenResponse;
    let info = userinfo(&s, tokens.access_token().secret()).await;
    assert_eq!(info["assurance_level"], "verified");
    assert_eq!(info["assurance_method"], "counter");
    assert_eq!(info["assurance_time"], r.body["checked_at"]);
    assert!(info.get("reference").is_none() && info.get("assurance_reference").is_none());
}

#[tokio::test]
async fn the_assurance_claims_need_the_scope_and_discovery_names_them() {
    let s = spawn().await;
    let c = bank(&s).await;
    let anna = s.user(EMAIL).await;
    s.state
        .stores
        .users
        .set_identity_check(
            &anna.id,
            Some(&idp::model::IdentityCheck {
                method: idp::model::ProofMethod::Eid,
                at: 1_800_000_000,
                by_client: None,
                by_user: None,
                reference: None,
            }),
            1,
        )
        .await
        .unwrap();
    let (_, tokens, _) = rp::login(
        &s,
        &c,
        EMAIL,
        &["email"],
        vec![openidconnect::core::CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    use openidconnect::OAuth2TokenResponse;
    let info = userinfo(&s, tokens.access_token().secret()).await;
    assert!(
        info.get("assurance_level").is_none(),
        "not without the scope: {info}"
    );
    let doc = rp::metadata(&s).await;
    let scopes = doc.scopes_supported().unwrap();
    assert!(scopes.iter().any(|x| x.as_str() == "assurance"));
    let claims = doc.claims_supported().unwrap();
    let listed = |c: &str| claims.iter().any(|x| x.as_str() == c);
    for claim in ["assurance_level", "assurance_method", "assurance_time"] {
        assert!(listed(claim), "{claim}");
    }
}

#[tokio::test]
async fn a_temporary_password_must_be_replaced_before_any_code_and_is_spent_after() {
    let (s, c, anna, token) = shop_and_anna().await;
    let temporary = temporary_password(&s, &token, &anna.id).await;
    let b = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let (status, html) = page(password_step(&s, &b, started.url.as_str(), &temporary).await);
    assert_eq!(status, 200);
    assert!(is_new_password_page(&html), "{html}");
    // No session yet: the client gets nothing without the new password, whatever is tried.
    let silent = rp::start(&c, &[], &[("prompt", "none")]);
    let Landing::Client(back) = b.open(&s.url, silent.url.as_str()).await else {
        panic!("prompt=none never shows a page")
    };
    assert_eq!(query(&back)["error"], "login_required");
    let form = form_for(&html, "/login/new-password", None);
    let tx_id = form
        .fields
        .iter()
        .find(|(k, _)| k == "tx")
        .unwrap()
        .1
        .clone();
    for skip in ["/login/continue", "/consent", "/login/factor"] {
        let landing = b.open(&s.url, &format!("{}{skip}?tx={tx_id}", s.url)).await;
        assert!(
            !matches!(landing, Landing::Client(ref u) if query(u).contains_key("code")),
            "{skip}"
        );
    }
    // The policy applies, with the page again.
    let (status, html) = page(choose(&s, &b, &html, "short").await);
    assert_eq!(status, 400);
    assert!(is_new_password_page(&html));
    let (status, html) = page(choose(&s, &b, &html, &temporary).await);
    assert_eq!(status, 400, "the temporary password cannot be kept");
    assert!(
        html.contains("different from the one you were given"),
        "{html}"
    );
    let landing = choose(&s, &b, &html, NEW).await;
    let code = rp::code_from(&s, &started, landing);
    rp::exchange(&c, &code, started.verifier).await;

    // Spent: the temporary password is refused like any wrong one, the new one works.
    let other = Browser::new();
    let (status, html) =
        page(password_step(&s, &other, rp::start(&c, &[], &[]).url.as_str(), &temporary).await);
    assert_eq!(status, 401);
    assert!(
        html.contains("The email address or the password is wrong"),
        "{html}"
    );
    let next = rp::start(&c, &[], &[]);
    let landing = password_step(&s, &other, next.url.as_str(), NEW).await;
    rp::code_from(&s, &next, landing);
}

#[tokio::test]
async fn of_two_browsers_with_one_temporary_password_only_the_first_sets_the_new_one() {
    let (s, c, anna, token) = shop_and_anna().await;
    let temporary = temporary_password(&s, &token, &anna.id).await;
    let (a, b) = (Browser::new(), Browser::new());
    let (sa, sb) = (rp::start(&c, &[], &[]), rp::start(&c, &[], &[]));
    let (_, page_a) = page(password_step(&s, &a, sa.url.as_str(), &temporary).await);
    let (_, page_b) = page(password_step(&s, &b, sb.url.as_str(), &temporary).await);
    assert!(is_new_password_page(&page_a) && is_new_password_page(&page_b));
    let landing = choose(&s, &a, &page_a, NEW).await;
    rp::code_from(&s, &sa, landing);
    // The second browser proved a password that is no longer the account's.
    let (_, html) = page(choose(&s, &b, &page_b, "another pass phrase 9031").await);
    assert!(!is_new_password_page(&html), "back to sign-in: {html}");
    let user = stored(&s, &anna.id).await;
    let ok = s
        .state
        .passwords
        .verify(
            &idp::crypto::Secret::new(NEW),
            user.password_hash.as_deref(),
        )
        .await
        .unwrap();
    assert!(ok.valid, "the first browser's password stays");
}

#[tokio::test]
async fn an_expired_temporary_password_is_refused_with_a_page_that_says_so_only_to_its_holder() {
    let (s, c, anna, token) = shop_and_anna().await;
    let temporary = temporary_password(&s, &token, &anna.id).await;
    let ttl = s.state.config.accounts.temporary_password_ttl.as_secs() as i64;
    s.clock.advance(ttl - 60);
    let b = Browser::new();
    let (_, html) =
        page(password_step(&s, &b, rp::start(&c, &[], &[]).url.as_str(), &temporary).await);
    assert!(
        is_new_password_page(&html),
        "still valid a minute before: {html}"
    );
    s.clock.advance(61);
    let b = Browser::new();
    let (status, html) =
        page(password_step(&s, &b, rp::start(&c, &[], &[]).url.as_str(), &temporary).await);
    assert_eq!(status, 401);
    assert!(html.contains("temporary password has expired"), "{html}");
    assert!(html.contains("/recover/password") || html.contains("&#x2f;recover&#x2f;password"));
    // Someone without the password learns nothing of it.
    let (status, html) = page(
        password_step(
            &s,
            &b,
            rp::start(&c, &[], &[]).url.as_str(),
            "guess-1234-abcd-efgh",
        )
        .await,
    );
    assert_eq!(status, 401);
    assert!(!html.contains("expired"), "{html}");
    assert!(html.contains("The email address or the password is wrong"));
}

#[tokio::test]
async fn a_required_change_asks_for_a_new_password_after_the_current_one() {
    let (s, c, anna, token) = shop_and_anna().await;
    let p = format!("/users/{}/password-change", anna.id);
    assert_eq!(
        call(&s, Some(&token), "POST", &p, None, None).await.status,
        204
    );
    let b = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let (_, html) = page(password_step(&s, &b, started.url.as_str(), PASSWORD).await);
    assert!(is_new_password_page(&html), "{html}");
    let landing = choose(&s, &b, &html, NEW).await;
    rp::code_from(&s, &started, landing);
    let after = stored(&s, &anna.id).await;
    assert!(!after.password_change_required);
    let b = Browser::new();
    let (status, _) =
        page(password_step(&s, &b, rp::start(&c, &[], &[]).url.as_str(), PASSWORD).await);
    assert_eq!(status, 401, "the old password is gone");
}

#[tokio::test]
async fn a_third_party_asking_for_assurance_names_it_on_the_consent_page() {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("partner");
    spec.first_party = false;
    spec.scopes.push("assurance".into());
    s.client(spec).await;
    s.user(EMAIL).await;
    let c = rp::client(&s, "partner", Some(&rp::secret_of("partner"))).await;
    let started = rp::start(&c, &["assurance"], &[]);
    let (status, html) =
        page(password_step(&s, &Browser::new(), started.url.as_str(), PASSWORD).await);
    assert_eq!(status, 200);
    assert!(
        html.contains("action=\"/consent\"") || html.contains("&#x2f;consent"),
        "{html}"
    );
    assert!(
        html.contains("see whether your identity was verified"),
        "{html}"
    );
}

#[tokio::test]
async fn the_lockout_holds_for_a_temporary_password_too() {
    let s = spawn_with(|c| c.lockout.max_failures = 3).await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let anna = s.user(EMAIL).await;
    let token = tool_token(&s, "admin:users").await;
    let temporary = temporary_password(&s, &token, &anna.id).await;
    let b = Browser::new();
    for _ in 0..3 {
        let landing = password_step(
            &s,
            &b,
            rp::start(&c, &[], &[]).url.as_str(),
            "wrong-guess-0000",
        )
        .await;
        assert!(matches!(landing, Landing::Page(401 | 403, _)));
    }
    let (status, html) =
        page(password_step(&s, &b, rp::start(&c, &[], &[]).url.as_str(), &temporary).await);
    assert_eq!(status, 403, "locked, whatever the password");
    assert!(!is_new_password_page(&html), "{html}");
    // A new handover at the counter lifts the lock.
    let again = temporary_password(&s, &token, &anna.id).await;
    let (_, html) = page(password_step(&s, &b, rp::start(&c, &[], &[]).url.as_str(), &again).await);
    assert!(is_new_password_page(&html), "{html}");
}

#[tokio::test]
async fn the_verification_page_shows_the_configured_link_and_text_of_the_language() {
    let s = spawn_with(|c| {
        c.assurance.verification_url = "https://post.example/verify".into();
        let text = "Bring your identity card to any post office.";
        c.assurance
            .verification_text
            .insert("en".into(), text.into());
    })
    .await;
    let c = bank(&s).await;
    s.user(EMAIL).await;
    let started = rp::start(&c, &[], &[]);
    let (_, html) = page(password_step(&s, &Browser::new(), started.url.as_str(), PASSWORD).await);
    assert!(
        html.contains("Bring your identity card to any post office."),
        "{html}"
    );
    assert!(
        html.contains("https:&#x2f;&#x2f;post.example&#x2f;verify")
            || html.contains("https://post.example/verify")
    );
    // Another language without a text of its own gets the catalogue's.
    let started = rp::start(&c, &[], &[("ui_locales", "it")]);
    let (_, html) = page(password_step(&s, &Browser::new(), started.url.as_str(), PASSWORD).await);
    assert!(!html.contains("Bring your identity card"), "{html}");
    assert!(html.contains("sportello"), "{html}");
}
