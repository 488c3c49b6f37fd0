//! `/users`: accounts through the management API, area `admin:users`.

use postern_tests::*;
use serde_json::{Value, json};

use super::{Reply, call, tool_token};

/// A tool with `admin:users` and the id of a fresh account made through the API.
async fn with_account(s: &TestServer) -> (String, String) {
    let token = tool_token(s, "admin:users").await;
    let made = call(
        s,
        Some(&token),
        "POST",
        "/users",
        Some(json!({"email": "eva@post.test", "password": PASSWORD, "given_name": "Eva"})),
        None,
    )
    .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let id = made.body["id"].as_str().unwrap().to_owned();
    (token, id)
}

fn assert_problem(r: &Reply, status: u16, field: &str) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(r.body["status"], status);
    let detail = r.body["detail"].as_str().unwrap();
    assert!(detail.starts_with(field), "{field} named first: {detail}");
}

#[tokio::test]
async fn an_account_is_created_read_changed_disabled_enabled_and_deleted() {
    let s = spawn().await;
    let token = tool_token(&s, "admin:users").await;
    let t = Some(token.as_str());
    let body = json!({"email": "Eva@Post.test", "password": PASSWORD, "phone": "+41791112233"});
    let made = call(&s, t, "POST", "/users", Some(body.clone()), None).await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let id = made.body["id"].as_str().unwrap().to_owned();
    assert_eq!(made.body["email"], "eva@post.test", "normalised");
    assert_eq!(made.body["status"], "active");
    assert_eq!(made.body["phone_verified"], true);
    assert_eq!(made.body["factors"]["totp"], 0);
    assert!(made.body.get("password_hash").is_none() && made.body.get("password").is_none());
    let again = call(&s, t, "POST", "/users", Some(body), None).await;
    assert_problem(&again, 409, "an account");

    let read = call(&s, t, "GET", &format!("/users/{id}"), None, None).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["locked"], "none");
    let tag = read.etag.clone().expect("an ETag");
    let path = format!("/users/{id}");
    let patch = json!({"family_name": "Keller", "locale": "de", "country": "ch", "birthdate": "1990-04-01"});
    let changed = call(&s, t, "PATCH", &path, Some(patch), Some(&tag)).await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["family_name"], "Keller");
    assert_eq!(changed.body["country"], "CH", "the console's rules");
    assert_eq!(
        changed.body["phone"], "+41791112233",
        "an absent field is kept"
    );
    assert_ne!(changed.etag, Some(tag.clone()), "a new revision");
    let stale = json!({"given_name": "Late"});
    let late = call(&s, t, "PATCH", &path, Some(stale), Some(&tag)).await;
    assert_eq!(late.status, 412, "{:?}", late.body);
    let cleared = call(&s, t, "PATCH", &path, Some(json!({"phone": null})), None).await;
    assert_eq!(cleared.status, 200, "no If-Match: a blind update");
    assert_eq!(cleared.body["phone"], Value::Null);
    assert_eq!(cleared.body["phone_verified"], false);

    let off = call(&s, t, "POST", &format!("/users/{id}/disable"), None, None).await;
    assert_eq!((off.status, &off.body["status"]), (200, &json!("disabled")));
    let on = call(&s, t, "POST", &format!("/users/{id}/enable"), None, None).await;
    assert_eq!((on.status, &on.body["status"]), (200, &json!("active")));
    let unlocked = call(&s, t, "POST", &format!("/users/{id}/unlock"), None, None).await;
    assert_eq!(unlocked.status, 200);

    let gone = call(&s, t, "DELETE", &path, None, None).await;
    assert_eq!(gone.status, 202, "{:?}", gone.body);
    assert_eq!(gone.body["status"], "pending_deletion");
    assert!(gone.body["deletion_requested_at"].is_i64());
    let twice = call(&s, t, "DELETE", &path, None, None).await;
    assert_eq!(
        twice.body["deletion_requested_at"],
        gone.body["deletion_requested_at"]
    );
    let enable = call(&s, t, "POST", &format!("/users/{id}/enable"), None, None).await;
    assert_eq!(
        enable.status, 409,
        "the owner's deletion is not undone behind their back"
    );

    // Every write names the tool that acted and the account.
    let events = s
        .state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            user_id: Some(id.clone()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for what in [
        "create user",
        "update profile",
        "disable user",
        "enable user",
        "unlock",
    ] {
        let e = events
            .iter()
            .find(|e| e.detail.as_deref() == Some(what))
            .unwrap_or_else(|| panic!("{what}: {events:?}"));
        assert_eq!(
            e.actor_client_id.as_deref(),
            Some("ops-admin-users"),
            "{what}"
        );
        assert_eq!(e.email.as_deref(), Some("eva@post.test"), "{what}");
    }
    assert!(events.iter().any(|e| e.kind == "account_deletion_requested"
        && e.actor_client_id.as_deref() == Some("ops-admin-users")));
}

#[tokio::test]
async fn refusals_are_problem_documents_naming_the_field() {
    let s = spawn().await;
    let (token, id) = with_account(&s).await;
    let t = Some(token.as_str());
    let path = format!("/users/{id}");
    assert_eq!(call(&s, None, "GET", &path, None, None).await.status, 401);
    let clients = tool_token(&s, "admin:clients").await;
    for (method, p) in [
        ("GET", path.clone()),
        ("PATCH", path.clone()),
        ("DELETE", path.clone()),
        ("POST", format!("{path}/disable")),
        ("GET", format!("{path}/sessions")),
        ("DELETE", format!("{path}/grants")),
        ("GET", "/users".to_owned()),
    ] {
        let body = (method == "PATCH").then(|| json!({}));
        let r = call(&s, Some(&clients), method, &p, body, None).await;
        assert_eq!(r.status, 403, "{method} {p}");
    }
    for (method, p) in [
        ("GET", "/users/nobody".to_owned()),
        ("POST", "/users/nobody/reset-factors".to_owned()),
        ("DELETE", "/users/nobody".to_owned()),
        ("DELETE", format!("{path}/sessions/no-such-session")),
        ("DELETE", format!("{path}/grants/no-such-grant")),
    ] {
        assert_eq!(
            call(&s, t, method, &p, None, None).await.status,
            404,
            "{method} {p}"
        );
    }
    for (patch, field) in [
        (json!({"phone": "079 123 45 67"}), "phone"),
        (json!({"birthdate": "1990-02-30"}), "birthdate"),
        (json!({"country": "XX"}), "country"),
        (json!({"locale": "tlh"}), "locale"),
        (json!({"given_name": "a\u{7}b"}), "given_name"),
    ] {
        let r = call(&s, t, "PATCH", &path, Some(patch.clone()), None).await;
        assert_problem(&r, 422, field);
    }
    let r = call(&s, t, "PATCH", &path, Some(json!({"nickname": "x"})), None).await;
    assert_eq!(r.status, 400, "unknown fields are refused");
    assert!(r.body["detail"].as_str().unwrap().contains("nickname"));
    let r = call(&s, t, "PATCH", &path, Some(json!({"phone": 41})), None).await;
    assert_problem(&r, 400, "invalid JSON body: phone");
    let weak = json!({"email": "weak@post.test", "password": "password1"});
    assert_problem(
        &call(&s, t, "POST", "/users", Some(weak), None).await,
        422,
        "password",
    );
    let bad = json!({"email": "not-an-address", "password": PASSWORD});
    assert_problem(
        &call(&s, t, "POST", "/users", Some(bad), None).await,
        422,
        "email",
    );
    let phone = json!({"email": "p@post.test", "password": PASSWORD, "phone": "0791234567"});
    assert_problem(
        &call(&s, t, "POST", "/users", Some(phone), None).await,
        422,
        "phone",
    );
    let q = call(&s, t, "GET", "/users?status=gone", None, None).await;
    assert_eq!(q.status, 400);
    let q = call(&s, t, "GET", "/users?per_page=101", None, None).await;
    assert_eq!(q.status, 400);
}

#[tokio::test]
async fn of_two_patches_with_one_etag_exactly_one_wins() {
    let s = spawn().await;
    let (token, id) = with_account(&s).await;
    let path = format!("/users/{id}");
    let tag = call(&s, Some(&token), "GET", &path, None, None)
        .await
        .etag
        .unwrap();
    for round in 0..5 {
        let tag = if round == 0 {
            tag.clone()
        } else {
            call(&s, Some(&token), "GET", &path, None, None)
                .await
                .etag
                .unwrap()
        };
        let (a, b) = tokio::join!(
            call(
                &s,
                Some(&token),
                "PATCH",
                &path,
                Some(json!({"given_name": format!("A{round}")})),
                Some(&tag)
            ),
            call(
                &s,
                Some(&token),
                "PATCH",
                &path,
                Some(json!({"given_name": format!("B{round}")})),
                Some(&tag)
            ),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}");
        let winner = if a.status == 200 { a } else { b };
        let now = call(&s, Some(&token), "GET", &path, None, None).await;
        assert_eq!(now.body["given_name"], winner.body["given_name"]);
        assert_eq!(now.etag, winner.etag);
    }
}

#[tokio::test]
async fn a_hundred_accounts_page_through_each_once() {
    let s = spawn().await;
    let token = tool_token(&s, "admin:users").await;
    let users = &s.state.stores.users;
    for n in 0..100 {
        let user = idp::storage::User {
            id: format!("bulk-{n:03}"),
            email: format!("member{n:03}@bulk_50%.test"),
            given_name: Some(format!("Bulk{n}")),
            // Many share a creation time: the id keeps the order stable.
            created_at: 1_700_000_000 + n / 7,
            ..Default::default()
        };
        users.create_user(&user).await.unwrap();
    }
    // Others that a wildcard would catch: `_` and `%` must match themselves.
    s.user("member999@bulkx50x.test").await;
    let mut seen = Vec::new();
    for page in 1..=4 {
        let p = format!("/users?email=%40BULK_50%25.test&per_page=30&page={page}");
        let r = call(&s, Some(&token), "GET", &p, None, None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["total"], 100);
        let items = r.body["items"].as_array().unwrap();
        assert_eq!(items.len(), if page == 4 { 10 } else { 30 });
        seen.extend(items.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 100, "each once");
    assert_eq!(seen, sorted, "oldest first, then by id");

    let q = |p: &'static str| call(&s, Some(&token), "GET", p, None, None);
    let one = q("/users?email=member007@bulk_50%25.test").await;
    assert_eq!(one.body["total"], 1, "a whole address finds that account");
    let named = q("/users?name=bulk42&email=bulk_50").await;
    assert_eq!(named.body["items"][0]["id"], "bulk-042");
    let active = q("/users?status=active&email=bulk_50&per_page=1").await;
    assert_eq!(active.body["total"], 100);
    let off = q("/users?status=disabled&email=bulk_50").await;
    assert_eq!(off.body["total"], 0);
}

#[tokio::test]
async fn the_last_admin_of_an_organisation_is_not_deleted() {
    let s = spawn().await;
    let (token, id) = with_account(&s).await;
    let operator = tool_token(&s, "admin").await;
    let op = Some(operator.as_str());
    let org = call(
        &s,
        op,
        "POST",
        "/organizations",
        Some(json!({"name": "Acme AG"})),
        None,
    )
    .await;
    let members = format!(
        "/organizations/{}/members",
        org.body["id"].as_str().unwrap()
    );
    let admin = json!({"email": "eva@post.test", "roles": ["admin"]});
    assert_eq!(
        call(&s, op, "POST", &members, Some(admin), None)
            .await
            .status,
        201
    );

    let refused = call(
        &s,
        Some(&token),
        "DELETE",
        &format!("/users/{id}"),
        None,
        None,
    )
    .await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    assert_eq!(refused.body["type"], "urn:postern:problem:last-admin");
    assert!(refused.body["detail"].as_str().unwrap().contains("Acme AG"));
    let read = call(&s, Some(&token), "GET", &format!("/users/{id}"), None, None).await;
    assert_eq!(read.body["status"], "active", "nothing happened");
}
