//! `/users/{id}/sessions`, `/users/{id}/grants` and `/users/{id}/reset-factors`: what an
//! administrator takes away stops working at once.

use openidconnect::{OAuth2TokenResponse, core::CoreJwsSigningAlgorithm};
use postern_tests::*;
use serde_json::{Value, json};

use super::{call, tool_token};
use crate::rp;

const ANNA: &str = "anna@post.test";

/// Whether `browser`'s session still signs it in at `c` without a password.
async fn still_signed_in(s: &TestServer, c: &rp::Client, browser: &Browser) -> bool {
    let started = rp::start(c, &[], &[]);
    matches!(
        browser.open(&s.url, started.url.as_str()).await,
        Landing::Client(_)
    )
}

async fn refreshes(c: &rp::Client, tokens: &openidconnect::core::CoreTokenResponse) -> bool {
    c.exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&rp::http())
        .await
        .is_ok()
}

async fn anna_id(s: &TestServer, token: &str) -> String {
    let found = call(
        s,
        Some(token),
        "GET",
        "/users?email=anna@post.test",
        None,
        None,
    )
    .await;
    found.body["items"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn sessions_end_one_or_all_and_their_cookies_sign_nobody_in() {
    let s = spawn().await;
    let (c, _, _, first) = rp::anna_at_shop(&s, &[]).await;
    let rs256 = vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256];
    let (_, second_tokens, second) = rp::login(&s, &c, ANNA, &[], rs256).await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());
    let id = anna_id(&s, &token).await;
    let path = format!("/users/{id}/sessions");

    let listed = call(&s, t, "GET", &path, None, None).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["total"], 2);
    let sids: Vec<String> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect();
    let page = call(
        &s,
        t,
        "GET",
        &format!("{path}?per_page=1&page=2"),
        None,
        None,
    )
    .await;
    assert_eq!(
        page.body["items"][0]["id"],
        sids[1].as_str(),
        "newest first, paged"
    );

    let sid = jwt_payload(second_tokens.access_token().secret())["sid"]
        .as_str()
        .expect("the access token names its session")
        .to_owned();
    assert!(sids.contains(&sid));
    let one = format!("{path}/{sid}");
    assert_eq!(call(&s, t, "DELETE", &one, None, None).await.status, 204);
    assert!(
        !still_signed_in(&s, &c, &second).await,
        "its cookie is dead"
    );
    assert!(still_signed_in(&s, &c, &first).await, "the other one lives");
    assert_eq!(
        call(&s, t, "DELETE", &one, None, None).await.status,
        404,
        "gone"
    );

    // Another account's session is not this account's to end.
    let bert = s.user("bert@post.test").await;
    let first_sid = sids.iter().find(|x| **x != sid).unwrap();
    let other = format!("/users/{}/sessions/{first_sid}", bert.id);
    assert_eq!(call(&s, t, "DELETE", &other, None, None).await.status, 404);
    assert!(still_signed_in(&s, &c, &first).await);

    assert_eq!(call(&s, t, "DELETE", &path, None, None).await.status, 204);
    assert!(!still_signed_in(&s, &c, &first).await);
    let after = call(&s, t, "GET", &path, None, None).await;
    assert_eq!(after.body["total"], 0);
}

#[tokio::test]
async fn revoked_grants_lose_their_tokens() {
    let s = spawn().await;
    let (c, _, first, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let rs256 = vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256];
    let (_, second, _) = rp::login(&s, &c, ANNA, &["offline_access"], rs256).await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());
    let id = anna_id(&s, &token).await;
    let path = format!("/users/{id}/grants");

    let listed = call(&s, t, "GET", &path, None, None).await;
    assert_eq!(listed.body["total"], 2, "{:?}", listed.body);
    let grant = &listed.body["items"][0];
    assert_eq!(grant["client_id"], "shop");
    assert!(
        grant["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!("openid"))
    );
    assert!(grant["created_at"].is_i64());

    let gid = jwt_payload(second.access_token().secret())["gid"]
        .as_str()
        .expect("the access token names its grant")
        .to_owned();
    let one = format!("{path}/{gid}");
    assert_eq!(call(&s, t, "DELETE", &one, None, None).await.status, 204);
    rp::assert_tokens_refused(&s, &c, &second).await;
    assert!(refreshes(&c, &first).await, "the other grant lives");
    assert_eq!(
        call(&s, t, "DELETE", &one, None, None).await.status,
        404,
        "once"
    );
    let left = call(&s, t, "GET", &path, None, None).await;
    assert_eq!(left.body["total"], 1);

    // A grant of another account is not found through this one.
    let bert = s.user("bert@post.test").await;
    let left_gid = left.body["items"][0]["id"].as_str().unwrap();
    let other = format!("/users/{}/grants/{left_gid}", bert.id);
    assert_eq!(call(&s, t, "DELETE", &other, None, None).await.status, 404);

    assert_eq!(call(&s, t, "DELETE", &path, None, None).await.status, 204);
    let after = call(&s, t, "GET", &path, None, None).await;
    assert_eq!(after.body["total"], 0);
}

#[tokio::test]
async fn resetting_factors_removes_them_ends_everything_and_tells_the_owner() {
    let s = spawn().await;
    let (c, _, tokens, browser) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());
    let id = anna_id(&s, &token).await;
    for (n, kind) in [
        idp::storage::CREDENTIAL_TOTP,
        idp::storage::CREDENTIAL_PASSKEY,
        idp::storage::CREDENTIAL_RECOVERY_CODE,
        idp::storage::CREDENTIAL_RECOVERY_CODE,
    ]
    .into_iter()
    .enumerate()
    {
        let credential = idp::storage::Credential {
            id: format!("f{n}"),
            user_id: id.clone(),
            kind,
            name: format!("factor {n}"),
            data: Value::Null,
            lookup: Some(format!("lookup-{n}")),
            counter: 0,
            created_at: 1,
            used_at: None,
        };
        s.state
            .stores
            .credentials
            .add_credential(&credential)
            .await
            .unwrap();
    }
    let path = format!("/users/{id}");
    let before = call(&s, t, "GET", &path, None, None).await;
    let expected = json!({"totp": 1, "passkeys": 1, "recovery_codes": 2});
    assert_eq!(before.body["factors"], expected);
    let mails = outbox(&s).len();

    let reset = call(&s, t, "POST", &format!("{path}/reset-factors"), None, None).await;
    assert_eq!(reset.status, 200, "{:?}", reset.body);
    let none = json!({"totp": 0, "passkeys": 0, "recovery_codes": 0});
    assert_eq!(reset.body["factors"], none);
    assert!(
        s.state
            .stores
            .credentials
            .list_credentials(&id)
            .await
            .unwrap()
            .is_empty()
    );
    rp::assert_tokens_refused(&s, &c, &tokens).await;
    assert!(!still_signed_in(&s, &c, &browser).await);
    let sent = outbox(&s);
    assert!(
        sent[mails..].iter().any(|m| m.to == ANNA),
        "the owner is told: {sent:?}"
    );
}
