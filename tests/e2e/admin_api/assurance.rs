//! `PUT /users/{id}/assurance`, `POST /users/{id}/temporary-password` and
//! `POST /users/{id}/password-change`: area `admin:users`, problems for every refusal, and
//! the acting tool named in the audit trail.

use postern_tests::*;
use serde_json::json;

use super::{call, tool_token};

const EMAIL: &str = "anna@post.test";

/// A counter check to record again.
fn body_again() -> serde_json::Value {
    json!({"level": "verified", "method": "counter"})
}

/// `PUT` of an assurance body with `token`.
async fn put(s: &TestServer, token: &str, p: &str, body: serde_json::Value) -> super::Reply {
    call(s, Some(token), "PUT", p, Some(body), None).await
}

fn path(id: &str, what: &str) -> String {
    format!("/users/{id}/{what}")
}

/// The account `id` as stored now.
pub async fn stored(s: &TestServer, id: &str) -> idp::storage::User {
    let user = s.state.stores.users.find_user(id).await.unwrap();
    user.expect("the account")
}

async fn admin_events(s: &TestServer, user_id: &str) -> Vec<idp::storage::AuditEvent> {
    s.state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            user_id: Some(user_id.into()),
            kind: Some("admin".into()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn only_the_users_area_may_touch_assurance_and_passwords() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    let verified = json!({"level": "verified", "method": "counter"});
    let ops = [
        ("PUT", path(&anna.id, "assurance"), Some(verified.clone())),
        ("POST", path(&anna.id, "temporary-password"), None),
        ("POST", path(&anna.id, "password-change"), None),
    ];
    let orgs = tool_token(&s, "admin:orgs").await;
    let users = tool_token(&s, "admin:users").await;
    for (method, p, body) in &ops {
        let r = call(&s, None, method, p, body.clone(), None).await;
        assert_eq!(r.status, 401, "{method} {p}");
        let r = call(&s, Some(&orgs), method, p, body.clone(), None).await;
        assert_eq!(r.status, 403, "{method} {p}");
        assert!(r.body["detail"].as_str().unwrap().contains("admin:users"));
        let unknown = p.replace(&anna.id, "no-such-user");
        let r = call(&s, Some(&users), method, &unknown, body.clone(), None).await;
        assert_eq!(r.status, 404, "{method} {unknown}");
    }
    let untouched = s.state.stores.users.find_user(&anna.id).await.unwrap();
    assert_eq!(untouched, Some(anna), "no refused call changed the account");
}

#[tokio::test]
async fn a_counter_check_is_recorded_with_its_evidence_and_withdrawn_to_the_contact_state() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    let token = tool_token(&s, "admin:users").await;
    let p = path(&anna.id, "assurance");
    let body = json!({"level": "verified", "method": "counter", "reference": "office 00144"});
    let before = s.state.now();
    let r = put(&s, &token, &p, body).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["level"], "verified");
    assert_eq!(r.body["method"], "counter");
    assert_eq!(r.body["reference"], "office 00144");
    assert_eq!(r.body["recorded_by_client"], "ops-admin-users");
    assert_eq!(r.body["recorded_by_user"], serde_json::Value::Null);
    let at = r.body["checked_at"].as_i64().unwrap();
    assert!((before..=s.state.now()).contains(&at), "{at}");
    let account = stored(&s, &anna.id).await;
    assert_eq!(account.assurance(), idp::model::Assurance::Verified);
    let events = admin_events(&s, &anna.id).await;
    let e = events
        .iter()
        .find(|e| e.detail.as_deref() == Some("identity verified: counter"))
        .expect("the check is audited");
    assert_eq!(e.actor_client_id.as_deref(), Some("ops-admin-users"));

    // The users area shows it and finds by it.
    let view = call(
        &s,
        Some(&token),
        "GET",
        &format!("/users/{}", anna.id),
        None,
        None,
    )
    .await;
    assert_eq!(view.body["assurance"]["level"], "verified");
    assert_eq!(view.body["assurance"]["method"], "counter");
    s.user("bert@post.test").await;
    for (level, expected) in [("verified", vec![EMAIL]), ("basic", vec!["bert@post.test"])] {
        let found = call(
            &s,
            Some(&token),
            "GET",
            &format!("/users?assurance={level}"),
            None,
            None,
        )
        .await;
        let emails: Vec<&str> = found.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["email"].as_str())
            .collect();
        assert_eq!(emails, expected, "{level}");
    }
    let bad = call(&s, Some(&token), "GET", "/users?assurance=gold", None, None).await;
    assert_eq!(bad.status, 400);
    // The ETag read before the check is stale after it.
    let stale = view.etag.clone().expect("an ETag");
    let withdraw = json!({"level": "basic"});
    let r = call(
        &s,
        Some(&token),
        "PUT",
        &p,
        Some(withdraw.clone()),
        Some(&stale),
    )
    .await;
    assert_eq!(
        r.status, 200,
        "the view was read after the check: {:?}",
        r.body
    );
    let r = call(
        &s,
        Some(&token),
        "PUT",
        &p,
        Some(body_again()),
        Some(&stale),
    )
    .await;
    assert_eq!(r.status, 412, "the withdrawal moved the revision on");
    assert_eq!(
        stored(&s, &anna.id).await.assurance(),
        idp::model::Assurance::Basic
    );
    let r = put(&s, &token, &p, body_again()).await;
    assert_eq!(r.status, 200);

    // Anna confirmed both contacts: without the check she is basic, not unverified.
    let r = put(&s, &token, &p, json!({"level": "unverified"})).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["detail"].as_str().unwrap().contains("level"),
        "{:?}",
        r.body
    );
    let still = stored(&s, &anna.id).await;
    assert!(
        still.identity_check.is_some(),
        "a refused call changes nothing"
    );
    let r = put(&s, &token, &p, json!({"level": "basic"})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["level"], "basic");
    assert_eq!(r.body["method"], serde_json::Value::Null);
    let events = admin_events(&s, &anna.id).await;
    assert!(
        events
            .iter()
            .any(|e| e.detail.as_deref() == Some("identity check withdrawn: basic"))
    );
}

#[tokio::test]
async fn bad_assurance_bodies_are_problems_naming_the_field() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    let token = tool_token(&s, "admin").await;
    let p = path(&anna.id, "assurance");
    let long = "x".repeat(101);
    for (body, status, field) in [
        (json!({"level": "verified"}), 422, "method"),
        (json!({"level": "basic", "method": "eid"}), 422, "method"),
        (
            json!({"level": "basic", "reference": "r"}),
            422,
            "reference",
        ),
        (
            json!({"level": "verified", "method": "eid", "reference": long}),
            422,
            "reference",
        ),
        (
            json!({"level": "verified", "method": "eid", "reference": "a\u{7}b"}),
            422,
            "reference",
        ),
        (
            json!({"level": "verified", "method": "eid", "reference": "  "}),
            422,
            "reference",
        ),
        (json!({"level": "gold"}), 400, "level"),
        (json!({"level": "verified", "method": "fax"}), 400, "method"),
        (
            json!({"level": "basic", "document_number": "X1"}),
            400,
            "document_number",
        ),
        (json!({}), 400, "level"),
    ] {
        let r = put(&s, &token, &p, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {:?}", r.body);
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.contains(field), "{body}: {detail}");
    }
    let after = s.state.stores.users.find_user(&anna.id).await.unwrap();
    assert_eq!(after, Some(anna));
}

#[tokio::test]
async fn a_temporary_password_is_answered_once_with_its_expiry_and_ends_the_old_one() {
    let s = spawn().await;
    let anna = s.user(EMAIL).await;
    let token = tool_token(&s, "admin:users").await;
    let p = path(&anna.id, "temporary-password");
    let r = call(
        &s,
        Some(&token),
        "POST",
        &p,
        Some(json!({"extra": 1})),
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body["detail"].as_str().unwrap().contains("extra"));

    let before = s.state.now();
    let resp = reqwest::Client::new()
        .post(format!("{}/admin/api/v1{p}", s.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body: serde_json::Value = resp.json().await.unwrap();
    let password = body["password"].as_str().unwrap().to_owned();
    assert_eq!(body["user_id"], anna.id.as_str());
    let ttl = s.state.config.accounts.temporary_password_ttl.as_secs() as i64;
    let expires_at = body["expires_at"].as_i64().unwrap();
    assert!((before + ttl..=s.state.now() + ttl).contains(&expires_at));
    assert!(password.len() >= 16, "{password}");

    let account = stored(&s, &anna.id).await;
    assert!(account.password_change_required);
    assert_eq!(account.password_expires_at, Some(expires_at));
    let verify = |pw: &str, hash: Option<String>| {
        let s = &s;
        let pw = idp::crypto::Secret::new(pw);
        async move {
            s.state
                .passwords
                .verify(&pw, hash.as_deref())
                .await
                .unwrap()
                .valid
        }
    };
    assert!(verify(&password, account.password_hash.clone()).await);
    assert!(
        !verify(PASSWORD, account.password_hash.clone()).await,
        "the old password is gone"
    );
    // A second handover replaces the first temporary password.
    let again = call(&s, Some(&token), "POST", &p, Some(json!({})), None).await;
    assert_eq!(again.status, 201);
    assert_ne!(again.body["password"], password.as_str());
    let account = stored(&s, &anna.id).await;
    assert!(!verify(&password, account.password_hash.clone()).await);
    let events = admin_events(&s, &anna.id).await;
    let issued: Vec<_> = events
        .iter()
        .filter(|e| e.detail.as_deref() == Some("temporary password"))
        .collect();
    assert_eq!(issued.len(), 2);
    assert!(
        issued
            .iter()
            .all(|e| e.actor_client_id.as_deref() == Some("ops-admin-users"))
    );
    assert!(
        events
            .iter()
            .all(|e| !e.detail.as_deref().unwrap_or("").contains(&password)),
        "the password is never in the audit trail"
    );

    let r = call(
        &s,
        Some(&token),
        "POST",
        &path(&anna.id, "password-change"),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, 204);
}
