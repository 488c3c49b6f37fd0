//! `/clients` over a client's life: a rotated secret and its grace, disabled and enabled
//! again, and the tokens of a disabled or deleted client.

use postern_tests::*;
use serde_json::{Value, json};

use super::{
    call,
    clients::{assert_token_refused, cc_token, service},
    token_for, tool_token,
};
use crate::rp;

#[tokio::test]
async fn a_rotated_secret_works_at_once_and_the_old_one_during_the_grace_only() {
    let s = spawn().await;
    let t = tool_token(&s, "admin").await;
    let old = service(&s, &t, "batch").await;
    let before = s.state.now();
    let r = call(&s, Some(&t), "POST", "/clients/batch/secret", None, None).await;
    let after = s.state.now();
    assert_eq!(r.status, 200, "{r:?}");
    let new = r.body["client_secret"].as_str().unwrap().to_owned();
    let until = r.body["previous_secret_valid_until"].as_i64().unwrap();
    let grace = s.state.config.clients.secret_rotation_grace.as_secs() as i64;
    // The rotation happened at some second between the two readings of the clock.
    assert!(
        (before + grace..=after + grace).contains(&until),
        "{until} not within {before}..={after} + {grace}"
    );
    assert_eq!(
        cc_token(&s, "batch", &new).await.0,
        200,
        "the new one at once"
    );
    assert_eq!(
        cc_token(&s, "batch", &old).await.0,
        200,
        "the old one in grace"
    );
    let read = call(&s, Some(&t), "GET", "/clients/batch", None, None).await;
    assert_eq!(read.body["previous_secret_valid_until"], until);
    assert_eq!(read.etag, r.etag);

    s.clock.advance(grace);
    assert_token_refused(&s, "batch", &old, "the old one after its grace").await;
    assert_eq!(cc_token(&s, "batch", &new).await.0, 200);

    // A second rotation ends the first one's grace at once (a new admin token: a day passed).
    let t = token_for(&s, "ops-admin", "admin").await;
    let third = call(&s, Some(&t), "POST", "/clients/batch/secret", None, None).await;
    let third = third.body["client_secret"].as_str().unwrap().to_owned();
    let fourth = call(&s, Some(&t), "POST", "/clients/batch/secret", None, None).await;
    let fourth = fourth.body["client_secret"].as_str().unwrap().to_owned();
    assert_token_refused(&s, "batch", &new, "two rotations ago").await;
    assert_eq!(
        cc_token(&s, "batch", &third).await.0,
        200,
        "the previous one"
    );
    assert_eq!(cc_token(&s, "batch", &fourth).await.0, 200);

    // A public client has no secret to rotate.
    let public = json!({"client_id": "app", "public": true,
        "redirect_uris": ["com.example.app:/cb"]});
    assert_eq!(
        call(&s, Some(&t), "POST", "/clients", Some(public), None)
            .await
            .status,
        201
    );
    let r = call(&s, Some(&t), "POST", "/clients/app/secret", None, None).await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn with_zero_grace_the_old_secret_stops_at_once() {
    let s = spawn_with(|c| c.clients.secret_rotation_grace = std::time::Duration::ZERO).await;
    let t = tool_token(&s, "admin:clients").await;
    let old = service(&s, &t, "batch").await;
    let r = call(&s, Some(&t), "POST", "/clients/batch/secret", None, None).await;
    assert_eq!(r.body["previous_secret_valid_until"], Value::Null);
    assert_token_refused(&s, "batch", &old, "no grace").await;
    let new = r.body["client_secret"].as_str().unwrap();
    assert_eq!(cc_token(&s, "batch", new).await.0, 200);
}

#[tokio::test]
async fn a_disabled_client_is_refused_everywhere_until_enabled() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let (c, _, tokens, browser) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let secret = rp::secret_of("shop");
    let r = call(&s, Some(&t), "POST", "/clients/shop/disable", None, None).await;
    assert_eq!(
        (r.status, &r.body["disabled"]),
        (200, &json!(true)),
        "{r:?}"
    );
    rp::assert_tokens_refused(&s, &c, &tokens).await;
    // The token endpoint, introspection and revocation all refuse it.
    for (path, form) in [
        (
            "/token",
            vec![("grant_type", "refresh_token"), ("refresh_token", "x")],
        ),
        ("/introspect", vec![("token", "x")]),
        ("/revoke", vec![("token", "x")]),
    ] {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", s.url))
            .basic_auth("shop", Some(&secret))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "invalid_client", "{path}");
    }
    // A readable page at /authorize, never a redirect to the client.
    let started = rp::start(&c, &[], &[]);
    match browser.open(&s.url, started.url.as_str()).await {
        Landing::Page(status, html) => {
            assert_eq!(status, 400);
            assert!(html.contains("disabled"), "{html}");
        }
        other => panic!("redirected: {other:?}"),
    }

    let r = call(&s, Some(&t), "POST", "/clients/shop/enable", None, None).await;
    assert_eq!((r.status, &r.body["disabled"]), (200, &json!(false)));
    let started = rp::start(&c, &[], &[]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    let code = rp::code_from(&s, &started, landing);
    rp::exchange(&c, &code, started.verifier).await;
}

#[tokio::test]
async fn a_disabled_or_deleted_tools_token_stops_at_once() {
    let s = spawn().await;
    // The tool holds an admin scope: only a caller in every area may administer it.
    let admin = tool_token(&s, "admin").await;
    let tool = tool_token(&s, "admin:users").await;
    let users = |t: &str| {
        let t = t.to_owned();
        let s = &s;
        async move {
            let path = "/users?email=nobody@post.test";
            call(s, Some(&t), "GET", path, None, None).await.status
        }
    };
    assert_eq!(users(&tool).await, 200);
    let path = "/clients/ops-admin-users";
    assert_eq!(
        call(
            &s,
            Some(&admin),
            "POST",
            &format!("{path}/disable"),
            None,
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        users(&tool).await,
        401,
        "a client-credentials token has no grant to revoke"
    );
    call(
        &s,
        Some(&admin),
        "POST",
        &format!("{path}/enable"),
        None,
        None,
    )
    .await;
    // Tokens issued up to the second of the disable stay refused (their `iat` cannot tell
    // before from after within it): a new one, a second later, works.
    s.clock.advance(1);
    let tool = token_for(&s, "ops-admin-users", "admin:users").await;
    assert_eq!(users(&tool).await, 200);
    assert_eq!(
        call(&s, Some(&admin), "DELETE", path, None, None)
            .await
            .status,
        204
    );
    assert_eq!(users(&tool).await, 401);
}

#[tokio::test]
async fn two_rotations_at_once_leave_exactly_their_two_secrets_working() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let original = service(&s, &t, "batch").await;
    let rotate = || call(&s, Some(&t), "POST", "/clients/batch/secret", None, None);
    let (one, two) = tokio::join!(rotate(), rotate());
    assert_eq!((one.status, two.status), (200, 200));
    assert_ne!(one.etag, two.etag, "each its own revision");
    for r in [&one, &two] {
        let secret = r.body["client_secret"].as_str().unwrap();
        assert_eq!(cc_token(&s, "batch", secret).await.0, 200);
    }
    assert_token_refused(&s, "batch", &original, "replaced twice").await;
}
