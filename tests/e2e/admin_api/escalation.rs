//! Adversarial review: a token of one area must not gain the power of another, and a
//! client switched to verified identities only must not keep serving unverified people.

use postern_tests::*;
use serde_json::json;

use super::{call, clients::cc_token, tool_token};
use crate::rp;

#[tokio::test]
async fn an_admin_clients_token_cannot_register_a_client_with_admin_scopes() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let t = tool_token(&s, "admin:clients").await;
    // The clients area registers a service that may use scope `admin` (every area)...
    let body = json!({"client_id": "backdoor", "grant_types": ["client_credentials"],
                      "scopes": ["admin"]});
    let r = call(&s, Some(&t), "POST", "/clients", Some(body), None).await;
    if r.status == 201 {
        let secret = r.body["client_secret"].as_str().unwrap().to_owned();
        let (_, tok) = cc_token(&s, "backdoor", &secret).await;
        let at = tok["access_token"].as_str().unwrap_or_default().to_owned();
        // ... and with it reads every account: admin:clients became admin:users.
        let users = call(&s, Some(&at), "GET", "/users", None, None).await;
        assert_ne!(
            users.status, 200,
            "an admin:clients tool escalated to the users area: {:?}",
            users.body
        );
    }
}

#[tokio::test]
async fn a_client_switched_to_verified_only_issues_no_more_tokens_to_an_unverified_person() {
    use openidconnect::OAuth2TokenResponse;
    let s = spawn().await;
    // Anna (identity not verified) signed in to shop before it admitted verified people only.
    let (c, _, tokens, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let rt = tokens.refresh_token().expect("a refresh token").clone();
    let t = tool_token(&s, "admin:clients").await;
    let patch = json!({"require_verified": true});
    let r = call(&s, Some(&t), "PATCH", "/clients/shop", Some(patch), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // A fresh authorization would be refused (access_denied); the refresh token must be too,
    // or the switch does not hold for anyone who signed in before it.
    let refreshed = c
        .exchange_refresh_token(&rt)
        .unwrap()
        .request_async(&rp::http())
        .await;
    assert!(
        refreshed.is_err(),
        "an unverified person keeps getting tokens from a verified-only client by refresh"
    );
}

#[tokio::test]
async fn a_disabled_clients_tokens_stay_dead_when_it_is_enabled_again() {
    let s = spawn().await;
    let admin = tool_token(&s, "admin").await;
    // A compromised audit tool's token, taken before the incident response.
    let stolen = tool_token(&s, "admin:audit").await;
    assert_eq!(
        call(&s, Some(&stolen), "GET", "/audit-events", None, None)
            .await
            .status,
        200
    );
    let r = call(
        &s,
        Some(&admin),
        "POST",
        "/clients/ops-admin-audit/disable",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        call(&s, Some(&stolen), "GET", "/audit-events", None, None)
            .await
            .status,
        401
    );
    // The operator rotates the secret twice (the old one is gone) and enables the tool again.
    for _ in 0..2 {
        let r = call(
            &s,
            Some(&admin),
            "POST",
            "/clients/ops-admin-audit/secret",
            None,
            None,
        )
        .await;
        assert_eq!(r.status, 200);
    }
    let r = call(
        &s,
        Some(&admin),
        "POST",
        "/clients/ops-admin-audit/enable",
        None,
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let again = call(&s, Some(&stolen), "GET", "/audit-events", None, None).await;
    assert_eq!(
        again.status, 401,
        "a token issued before the client was disabled works again after enable"
    );
}

#[tokio::test]
async fn a_client_scope_is_one_scope_token_without_spaces() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    // RFC 6749 §3.3: a scope token has no space. Registered as one "scope", "reports admin"
    // is issued as two: a client-credentials token without a scope parameter gets them all.
    let body = json!({"client_id": "reports", "grant_types": ["client_credentials"],
                      "scopes": ["reports admin"]});
    let r = call(&s, Some(&t), "POST", "/clients", Some(body), None).await;
    assert_eq!(
        r.status, 422,
        "a scope with a space was registered: {}",
        r.body["client"]["scopes"]
    );
    let patch = json!({"scopes": ["reports admin:users"]});
    let r = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/ops-admin-clients",
        Some(patch),
        None,
    )
    .await;
    assert_eq!(r.status, 422, "PATCH too: {}", r.body["scopes"]);
}
