//! `/legacy-accounts` and `/users/{id}/legacy-accounts`: a service maps its old usernames to
//! `sub`, and sees nothing else of the old account.

use postern_tests::*;
use serde_json::{Value, json};

use super::{call, tool_token};
use crate::legacy_claim::{account, import};

const ANNA: &str = "anna@post.test";

/// Anna (an account of Postern's own) had two old accounts; `nomail` has no address yet.
async fn world() -> (TestServer, String) {
    let s = spawn().await;
    let anna = s.user(ANNA).await;
    import(
        &s,
        &[
            account("parcels", "MRossi", Some(ANNA)),
            account("letters", "mario.rossi", Some("ANNA@post.test")),
            account("parcels", "nomail", None),
        ],
    )
    .await;
    (s, anna.id)
}

fn lookup_path(service: &str, username: &str) -> String {
    let q = serde_urlencoded::to_string([("service", service), ("username", username)]).unwrap();
    format!("/legacy-accounts?{q}")
}

#[tokio::test]
async fn an_old_username_leads_to_its_sub_pending_linked_or_migrated() {
    let (s, anna) = world().await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());

    // Any case, surrounding spaces aside, as people retype it.
    let found = call(
        &s,
        t,
        "GET",
        &lookup_path("parcels", " mrossi "),
        None,
        None,
    )
    .await;
    assert_eq!(found.status, 200, "{:?}", found.body);
    let body = found.body.as_object().unwrap();
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    // Never the old hash, address, names or phone.
    let shape = [
        "imported_at",
        "migrated_at",
        "service",
        "status",
        "sub",
        "username",
    ];
    assert_eq!(keys, shape);
    assert_eq!(body["service"], "parcels");
    assert_eq!(body["username"], "MRossi", "as the old service spelled it");
    assert_eq!(body["sub"], anna.as_str());
    assert_eq!(body["status"], "linked");
    assert!(body["imported_at"].as_i64().unwrap() > 0);
    assert_eq!(body["migrated_at"], Value::Null);

    let pending = call(&s, t, "GET", &lookup_path("parcels", "NoMail"), None, None).await;
    assert_eq!(pending.status, 200);
    assert_eq!(pending.body["sub"], Value::Null);
    assert_eq!(pending.body["status"], "pending");

    // Anna's first sign-in retires her old hashes (`legacy::signin`).
    let now = s.state.now();
    let retired = s
        .state
        .stores
        .legacy
        .retire_user_legacy_passwords(&anna, now);
    assert_eq!(retired.await.unwrap(), 2);
    let migrated = call(
        &s,
        t,
        "GET",
        &lookup_path("letters", "Mario.Rossi"),
        None,
        None,
    )
    .await;
    assert_eq!(migrated.body["status"], "migrated");
    assert_eq!(migrated.body["sub"], anna.as_str());
    assert_eq!(migrated.body["migrated_at"], now);

    for (service, username) in [("parcels", "nobody"), ("letters", "mrossi")] {
        let path = lookup_path(service, username);
        let unknown = call(&s, t, "GET", &path, None, None).await;
        assert_eq!(unknown.status, 404, "{path}");
    }
}

#[tokio::test]
async fn a_missing_or_invalid_parameter_is_a_bad_request() {
    let (s, _) = world().await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());
    for (path, says) in [
        ("/legacy-accounts".to_owned(), "service is required"),
        ("/legacy-accounts?service=parcels".to_owned(), "username"),
        ("/legacy-accounts?username=mrossi".to_owned(), "service"),
        (lookup_path("par cels", "mrossi"), "service:"),
        (lookup_path("", "mrossi"), "service:"),
        (lookup_path("parcels", "  "), "username:"),
        (lookup_path("parcels", "a\u{7}b"), "username:"),
        (lookup_path("parcels", &"x".repeat(257)), "username:"),
        (
            "/legacy-accounts?service=parcels&username=mrossi&user=x".to_owned(),
            "invalid query",
        ),
    ] {
        let r = call(&s, t, "GET", &path, None, None).await;
        assert_eq!(r.status, 400, "{path}: {:?}", r.body);
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{path}: {detail}");
    }
}

#[tokio::test]
async fn an_identity_lists_its_old_accounts_by_service() {
    let (s, anna) = world().await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());
    let path = format!("/users/{anna}/legacy-accounts");
    let all = call(&s, t, "GET", &path, None, None).await;
    assert_eq!(all.status, 200, "{:?}", all.body);
    assert_eq!(all.body["total"], 2);
    let pairs: Vec<(&str, &str)> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["service"].as_str().unwrap(),
                a["username"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs, [("letters", "mario.rossi"), ("parcels", "MRossi")]);
    assert!(all.body["items"][0].get("password_hash").is_none());

    let second = call(
        &s,
        t,
        "GET",
        &format!("{path}?per_page=1&page=2"),
        None,
        None,
    )
    .await;
    assert_eq!(second.body["total"], 2);
    assert_eq!(second.body["items"][0]["service"], "parcels");
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);

    let bob = s.user("bob@post.test").await;
    let none = call(
        &s,
        t,
        "GET",
        &format!("/users/{}/legacy-accounts", bob.id),
        None,
        None,
    )
    .await;
    assert_eq!((none.status, &none.body["items"]), (200, &json!([])));
    let gone = call(
        &s,
        t,
        "GET",
        "/users/no-such-id/legacy-accounts",
        None,
        None,
    )
    .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn only_the_users_area_may_look_up() {
    let (s, anna) = world().await;
    let paths = [
        lookup_path("parcels", "mrossi"),
        format!("/users/{anna}/legacy-accounts"),
    ];
    let other = tool_token(&s, "admin:clients").await;
    for path in &paths {
        let none = call(&s, None, "GET", path, None, None).await;
        assert_eq!(none.status, 401, "{path}");
        let r = call(&s, Some(&other), "GET", path, None, None).await;
        assert_eq!(r.status, 403, "{path}");
    }
    let admin = tool_token(&s, "admin").await;
    for path in &paths {
        let r = call(&s, Some(&admin), "GET", path, None, None).await;
        assert_eq!(r.status, 200, "{path}");
    }
}
