//! `/keys`: list, rotate, and retire a compromised key, which then vouches for nothing.

use openidconnect::OAuth2TokenResponse;
use postern_tests::*;
use serde_json::{Value, json};

use super::{call, tool_token};
use crate::rp;

async fn keys(s: &TestServer, token: &str) -> Vec<Value> {
    let r = call(s, Some(token), "GET", "/keys?per_page=100", None, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

async fn retire(s: &TestServer, token: &str, kid: &str) -> super::Reply {
    call(
        s,
        Some(token),
        "POST",
        &format!("/keys/{kid}/retire"),
        None,
        None,
    )
    .await
}

async fn rotate(s: &TestServer, token: &str, body: Option<Value>) -> super::Reply {
    call(s, Some(token), "POST", "/keys/rotate", body, None).await
}

fn state_of<'a>(keys: &'a [Value], kid: &str) -> &'a str {
    let key = keys.iter().find(|k| k["kid"] == kid).expect("listed");
    key["state"].as_str().unwrap()
}

async fn jwks(s: &TestServer) -> String {
    let r = reqwest::get(format!("{}/jwks", s.url)).await.unwrap();
    r.text().await.unwrap()
}

async fn introspect(s: &TestServer, token: &str) -> Value {
    crate::tokens::introspect_as(s, "rs", token).await
}

async fn userinfo_status(s: &TestServer, token: &str) -> u16 {
    let r = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

#[tokio::test]
async fn a_compromised_key_is_replaced_then_retired_and_vouches_for_nothing() {
    let s = spawn().await;
    s.client(crate::tokens::resource_server("rs")).await;
    let (_, _, tokens, _) = rp::anna_at_shop(&s, &[]).await;
    let access = tokens.access_token().secret().clone();
    let leaked = jwt_header(&access)["kid"].as_str().unwrap().to_owned();
    let ops = tool_token(&s, "admin:keys").await;

    let listed = keys(&s, &ops).await;
    assert_eq!(state_of(&listed, &leaked), "active");
    let text = serde_json::to_string(&listed).unwrap();
    assert!(
        !text.contains("PRIVATE") && !text.contains("pem") && !text.contains("\"d\""),
        "never key material: {text}"
    );

    // The leaked key cannot go while it is the one that signs.
    let refused = retire(&s, &ops, &leaked).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body["detail"].as_str().unwrap().contains("rotate"));

    // New keys sign at once; the old one still vouches for what it signed.
    let r = rotate(&s, &ops, Some(json!({"now": true}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let new = r.body["keys"].as_array().unwrap();
    assert_eq!(new.len(), 3, "one per algorithm");
    assert!(new.iter().all(|k| k["state"] == "active"), "{new:?}");
    assert_eq!(state_of(&keys(&s, &ops).await, &leaked), "retiring");
    assert_eq!(userinfo_status(&s, &access).await, 200);
    assert_eq!(introspect(&s, &access).await["active"], true);

    let r = retire(&s, &ops, &leaked).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["state"], "revoked");
    assert!(r.body["revoked_at"].is_i64());
    assert!(!jwks(&s).await.contains(&leaked), "unpublished");
    assert_eq!(
        userinfo_status(&s, &access).await,
        401,
        "refused at userinfo"
    );
    assert_eq!(introspect(&s, &access).await["active"], false);
    // The tool's own token was signed by the leaked key too: it asks for a new one.
    let ops = super::token_for(&s, "ops-admin-keys", "admin:keys").await;
    assert_eq!(state_of(&keys(&s, &ops).await, &leaked), "revoked");
    let again = retire(&s, &ops, &leaked).await;
    assert_eq!(again.status, 409);

    // Signing goes on with the new keys.
    // (A relying party fetches the JWKS anew, as it does for a kid it does not know.)
    let shop = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let rs256 = vec![openidconnect::core::CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256];
    let (_, fresh, _) = rp::login(&s, &shop, "anna@post.test", &[], rs256).await;
    let fresh = fresh.access_token().secret().clone();
    assert_ne!(jwt_header(&fresh)["kid"], leaked.as_str());
    assert_eq!(userinfo_status(&s, &fresh).await, 200);

    // Both acts are in the trail, naming the tool that did them.
    let audit = tool_token(&s, "admin:audit").await;
    let r = call(
        &s,
        Some(&audit),
        "GET",
        "/audit-events?kind=admin",
        None,
        None,
    )
    .await;
    let items = r.body["items"].as_array().unwrap();
    let retired = items
        .iter()
        .find(|e| e["detail"] == format!("retire key {leaked}"))
        .expect("the retirement is audited");
    assert_eq!(retired["actor_client_id"], "ops-admin-keys");
    assert!(items.iter().any(
        |e| e["detail"].as_str().unwrap().starts_with("rotate keys now")
            && e["actor_client_id"] == "ops-admin-keys"
    ));
}

#[tokio::test]
async fn a_rotation_with_the_lead_time_publishes_keys_that_do_not_sign_yet() {
    let s = spawn().await;
    let ops = tool_token(&s, "admin").await;
    // No body at all, or an empty object: the lead time applies.
    for body in [None, Some(json!({})), Some(Value::Null)] {
        let r = rotate(&s, &ops, body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        for key in r.body["keys"].as_array().unwrap() {
            assert_eq!(key["state"], "next");
            assert!(jwks(&s).await.contains(key["kid"].as_str().unwrap()));
        }
    }
    // Retiring every key that may go leaves each algorithm its signing key.
    for key in keys(&s, &ops).await {
        let kid = key["kid"].as_str().unwrap();
        let r = retire(&s, &ops, kid).await;
        let expected = if key["state"] == "active" { 409 } else { 200 };
        assert_eq!(r.status, expected, "{key}: {}", r.body);
    }
    let (_, _, tokens, _) = rp::anna_at_shop(&s, &[]).await;
    assert_eq!(
        userinfo_status(&s, tokens.access_token().secret()).await,
        200
    );
}

#[tokio::test]
async fn the_same_retirement_twice_at_once_succeeds_once() {
    let s = spawn().await;
    let ops = tool_token(&s, "admin:keys").await;
    let r = rotate(&s, &ops, Some(json!({"now": true}))).await;
    assert_eq!(r.status, 200);
    let listed = keys(&s, &ops).await;
    let old = listed.iter().find(|k| k["state"] == "retiring").unwrap();
    let path = format!("/keys/{}/retire", old["kid"].as_str().unwrap());
    let (a, b) = tokio::join!(
        call(&s, Some(&ops), "POST", &path, None, None),
        call(&s, Some(&ops), "POST", &path, None, None)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
}

#[tokio::test]
async fn keys_refuse_strangers_other_areas_unknown_kids_and_bad_bodies() {
    let s = spawn().await;
    let users = tool_token(&s, "admin:users").await;
    let ops = tool_token(&s, "admin:keys").await;
    let kid = keys(&s, &ops).await[0]["kid"].as_str().unwrap().to_owned();
    let retire_path = format!("/keys/{kid}/retire");
    for (method, path) in [
        ("GET", "/keys"),
        ("POST", "/keys/rotate"),
        ("POST", &retire_path),
    ] {
        assert_eq!(call(&s, None, method, path, None, None).await.status, 401);
        let r = call(&s, Some(&users), method, path, None, None).await;
        assert_eq!(r.status, 403, "{method} {path}");
        assert!(r.body["detail"].as_str().unwrap().contains("admin:keys"));
    }
    // Nothing a caller names becomes a path on the server.
    for unknown in ["nope", "..%2Fclient-secret", "%2E%2E", "client-secret"] {
        let r = retire(&s, &ops, unknown).await;
        assert_eq!(r.status, 404, "{unknown}: {}", r.body);
    }
    for bad in [json!({"now": "yes"}), json!({"later": true}), json!([true])] {
        let r = rotate(&s, &ops, Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    // A body is an object: serde would read a struct from an array of its fields in order,
    // so `[true]` rotated and `["Alpha", null]` created an organisation.
    let admin = tool_token(&s, "admin").await;
    let r = call(
        &s,
        Some(&admin),
        "POST",
        "/organizations",
        Some(json!(["Alpha", null])),
        None,
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = call(&s, Some(&ops), "GET", "/keys?per_page=0", None, None).await;
    assert_eq!(r.status, 400);
    // None of it changed the keys.
    assert_eq!(keys(&s, &ops).await.len(), 3);
}
