use idp::storage::AuditFilter;
use postern_tests::*;

use crate::{CHALLENGE, attempt, server};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

async fn kinds(s: &TestServer) -> Vec<(String, String)> {
    s.state
        .stores
        .audit
        .list_events(&AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.outcome))
        .collect()
}

#[tokio::test]
async fn security_events_are_recorded_without_secrets() {
    let s = server(|c| {
        c.lockout.max_failures = 2;
        c.lockout.max_temporary_locks = 1;
    })
    .await;
    let mut third = ClientSpec::confidential("thirdparty");
    third.first_party = false;
    s.client(third).await;
    s.user("bob@post.test").await;

    // sign-in failure, lock (permanent at once: one temporary lock allowed), unlock by link.
    attempt(&s.url, "anna@post.test", "wrong secret pw").await;
    attempt(&s.url, "anna@post.test", "wrong secret pw").await;
    let mail = idp::notify::jsonl::read_all(&s.dir.path().join("outbox"))
        .pop()
        .unwrap();
    let link = mail
        .body
        .split_whitespace()
        .find(|w| w.starts_with(&s.url))
        .unwrap()
        .to_owned();
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, &link).await else {
        panic!()
    };
    let mut form = parse_form(&html).unwrap();
    // Anna's mobile number is verified: the link needs its SMS code too.
    form.set("code", &last_sms_code(&s, "+41791234567"));
    form.set("password", "violet ferry timetable 9");
    form.set("password2", "violet ferry timetable 9");
    b.submit(&s.url, &form).await;

    // sign-in success + consent given, with a third-party client.
    let auth = format!(
        "{}/authorize?client_id=thirdparty&redirect_uri=https://rp.test/cb&response_type=code\
         &scope=openid%20offline_access&code_challenge={CHALLENGE}&code_challenge_method=S256",
        s.url
    );
    let Landing::Client(url) = Browser::new()
        .sign_in(&s.url, &auth, "bob@post.test", PASSWORD)
        .await
    else {
        panic!("code")
    };
    let code = query(&url)["code"].clone();
    let token = |form: Vec<(&'static str, String)>| {
        let url = format!("{}/token", s.url);
        async move {
            reqwest::Client::new()
                .post(url)
                .basic_auth("thirdparty", Some("thirdparty-secret-0123456789abcdef"))
                .form(&form)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let code_form = vec![
        ("grant_type", "authorization_code".to_string()),
        ("code", code.clone()),
        ("redirect_uri", "https://rp.test/cb".to_string()),
        ("code_verifier", VERIFIER.to_string()),
    ];
    let tokens = token(code_form.clone()).await;
    let rt = tokens["refresh_token"].as_str().unwrap().to_owned();
    token(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", rt.clone()),
    ])
    .await;
    token(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", rt.clone()),
    ])
    .await;
    token(code_form).await;

    // administrator action: unlock.
    idp::admin::users::unlock(
        &s.state,
        "bob@post.test",
        &idp::audit::Actor::CommandLine,
        None,
    )
    .await
    .unwrap();

    let seen = kinds(&s).await;
    let has = |k: &str, o: &str| seen.iter().any(|(kk, oo)| kk == k && oo == o);
    assert!(has("sign_in", "failure"), "{seen:?}");
    assert!(has("sign_in", "success"), "{seen:?}");
    assert!(has("lock", "info"), "{seen:?}");
    assert!(has("unlock", "success"), "{seen:?}");
    assert!(has("password_changed", "success"), "{seen:?}");
    assert!(has("consent_given", "success"), "{seen:?}");
    assert!(has("refresh_token_replay", "failure"), "{seen:?}");
    assert!(has("code_replay", "failure"), "{seen:?}");
    assert!(has("admin", "success"), "{seen:?}");

    let all = s
        .state
        .stores
        .audit
        .list_events(&AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let dump = format!("{all:?}");
    for secret in [
        "wrong secret pw",
        "violet ferry timetable 9",
        PASSWORD,
        &rt,
        &code,
        "thirdparty-secret",
    ] {
        assert!(
            !dump.contains(secret),
            "the audit trail must not hold {secret:?}"
        );
    }
    let failure = all
        .iter()
        .find(|e| e.kind == "sign_in" && e.outcome == "failure")
        .unwrap();
    assert_eq!(failure.email.as_deref(), Some("anna@post.test"));
    assert_eq!(failure.ip.as_deref(), Some("127.0.0.1"));
    assert!(failure.user_agent.is_none() || failure.user_agent.as_deref() != Some(""));
}
