//! `/clients`: register, read, list, change, delete; and what a caller may not do (no token,
//! another area's token, its own client, a stale `If-Match`, an invalid redirect URI). The
//! secret's rotation and disabling are in `client_lifecycle.rs`.

use postern_tests::*;
use serde_json::{Value, json};

use super::{Reply, call, tool_token};

/// A client-credentials request of `id` with `secret`: the HTTP status and the body.
pub(super) async fn cc_token(s: &TestServer, id: &str, secret: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

pub(super) async fn assert_token_refused(s: &TestServer, id: &str, secret: &str, why: &str) {
    let (status, body) = cc_token(s, id, secret).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{why}"
    );
}

/// A confidential client-credentials service `id`, created through the API; its secret.
pub(super) async fn service(s: &TestServer, token: &str, id: &str) -> String {
    let body =
        json!({"client_id": id, "grant_types": ["client_credentials"], "client_name": "Batch"});
    let r = call(s, Some(token), "POST", "/clients", Some(body), None).await;
    assert_eq!(r.status, 201, "{r:?}");
    r.body["client_secret"].as_str().unwrap().to_owned()
}

fn detail(r: &Reply) -> &str {
    r.body["detail"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_client_is_created_read_listed_changed_and_deleted() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let new = json!({
        "client_id": "parcels",
        "client_name": "Parcels",
        "redirect_uris": ["https://parcels.test/cb"],
        "scopes": ["parcels:read"],
        "min_acr": "urn:postern:acr:2fa",
    });
    let created = call(&s, Some(&t), "POST", "/clients", Some(new.clone()), None).await;
    assert_eq!(created.status, 201, "{created:?}");
    let secret = created.body["client_secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 32);
    assert_eq!(created.body["client"]["client_id"], "parcels");
    assert!(
        created.body["client"]["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!("openid"))
    );

    let read = call(&s, Some(&t), "GET", "/clients/parcels", None, None).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.etag, created.etag);
    assert_eq!(read.body, created.body["client"]);
    let text = read.body.to_string();
    assert!(
        !text.contains(&secret) && !text.contains("hmac"),
        "no secret, no hash: {text}"
    );
    assert!(read.body.get("secret_hash").is_none());

    let page = call(&s, Some(&t), "GET", "/clients?per_page=100", None, None).await;
    assert_eq!(page.status, 200);
    let ids: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "by client id");
    assert!(ids.contains(&"parcels"));
    assert_eq!(page.body["total"], ids.len());

    let patch = json!({
        "client_name": "Parcel tracking",
        "redirect_uris": ["https://parcels.test/cb2"],
        "first_party": true,
        "min_acr": null,
        "access_token_format": "opaque",
        "id_token_alg": "ES256",
        "org_mode": "consumer",
        "description": "Where is my parcel?",
        "launch_url": "https://parcels.test/",
    });
    let tag = read.etag.as_deref();
    let changed = call(&s, Some(&t), "PATCH", "/clients/parcels", Some(patch), tag).await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_ne!(changed.etag, read.etag);
    let c = &changed.body;
    assert_eq!(c["client_name"], "Parcel tracking");
    assert_eq!(c["redirect_uris"], json!(["https://parcels.test/cb2"]));
    assert_eq!(c["min_acr"], Value::Null);
    assert_eq!(
        (
            &c["access_token_format"],
            &c["id_token_alg"],
            &c["org_mode"]
        ),
        (&json!("opaque"), &json!("ES256"), &json!("consumer"))
    );
    assert_eq!(c["scopes"], read.body["scopes"], "untouched fields stay");
    let again = call(&s, Some(&t), "GET", "/clients/parcels", None, None).await;
    assert_eq!(again.body, changed.body);
    assert_eq!(again.etag, changed.etag);

    let gone = call(&s, Some(&t), "DELETE", "/clients/parcels", None, None).await;
    assert_eq!(gone.status, 204);
    let read = call(&s, Some(&t), "GET", "/clients/parcels", None, None).await;
    assert_eq!(read.status, 404);
    // The audit trail names the acting tool and the client acted on.
    let events = s
        .state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for what in ["create", "update", "delete"] {
        let e = events
            .iter()
            .find(|e| e.detail.as_deref() == Some(&format!("{what} client parcels")))
            .unwrap_or_else(|| panic!("{what} audited"));
        assert_eq!(e.client_id.as_deref(), Some("parcels"));
        assert_eq!(e.actor_client_id.as_deref(), Some("ops-admin-clients"));
    }
}

#[tokio::test]
async fn refusals_are_problem_documents_with_the_right_status() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    service(&s, &t, "batch").await;
    assert_eq!(
        call(&s, None, "GET", "/clients", None, None).await.status,
        401
    );
    let other = tool_token(&s, "admin:users").await;
    for (method, path) in [
        ("GET", "/clients"),
        ("GET", "/clients/batch"),
        ("PATCH", "/clients/batch"),
        ("POST", "/clients/batch/secret"),
        ("POST", "/clients/batch/disable"),
        ("DELETE", "/clients/batch"),
    ] {
        let body = (method == "PATCH").then(|| json!({}));
        let r = call(&s, Some(&other), method, path, body, None).await;
        assert_eq!(r.status, 403, "{method} {path}");
        assert!(detail(&r).contains("admin:clients"));
    }
    for (method, path) in [
        ("GET", "/clients/nope"),
        ("DELETE", "/clients/nope"),
        ("POST", "/clients/nope/secret"),
        ("POST", "/clients/nope/enable"),
    ] {
        assert_eq!(
            call(&s, Some(&t), method, path, None, None).await.status,
            404,
            "{path}"
        );
    }
    let r = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/nope",
        Some(json!({})),
        Some("\"0\""),
    )
    .await;
    assert_eq!(r.status, 404);
    // A duplicate id, and the caller's own client.
    let dup = json!({"client_id": "batch", "grant_types": ["client_credentials"]});
    let r = call(&s, Some(&t), "POST", "/clients", Some(dup), None).await;
    assert_eq!(r.status, 409);
    for (method, path) in [
        ("DELETE", "/clients/ops-admin-clients"),
        ("POST", "/clients/ops-admin-clients/disable"),
    ] {
        let r = call(&s, Some(&t), method, path, None, None).await;
        assert_eq!(r.status, 409, "{method} {path}");
        assert_eq!(r.body["type"], "urn:postern:problem:own-client");
    }
    assert_eq!(
        call(
            &s,
            Some(&t),
            "GET",
            "/clients/ops-admin-clients",
            None,
            None
        )
        .await
        .status,
        200
    );
    // Unknown fields and wrong types are malformed (400) and named.
    let r = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/batch",
        Some(json!({"secret": "x"})),
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(detail(&r).contains("secret"), "{r:?}");
    let r = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/batch",
        Some(json!({"first_party": "yes"})),
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(detail(&r).contains("first_party"), "{r:?}");
}

#[tokio::test]
async fn a_stale_if_match_is_refused_and_of_two_racing_changes_one_wins() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    service(&s, &t, "batch").await;
    let read = call(&s, Some(&t), "GET", "/clients/batch", None, None).await;
    let tag = read.etag.clone().unwrap();
    let first = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/batch",
        Some(json!({"client_name": "A"})),
        Some(&tag),
    )
    .await;
    assert_eq!(first.status, 200);
    let stale = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/batch",
        Some(json!({"client_name": "B"})),
        Some(&tag),
    )
    .await;
    assert_eq!(stale.status, 412);
    assert_eq!(stale.body["type"], "urn:postern:problem:stale");
    assert_eq!(
        call(&s, Some(&t), "GET", "/clients/batch", None, None)
            .await
            .body["client_name"],
        "A"
    );

    for round in 0..4 {
        let tag = call(&s, Some(&t), "GET", "/clients/batch", None, None)
            .await
            .etag
            .unwrap();
        let patch = |name: &str| {
            call(
                &s,
                Some(&t),
                "PATCH",
                "/clients/batch",
                Some(json!({"client_name": name})),
                Some(&tag),
            )
        };
        let (one, two) = tokio::join!(patch("one"), patch("two"));
        let mut statuses = [one.status, two.status];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}");
        let winner = if one.status == 200 { "one" } else { "two" };
        let now = call(&s, Some(&t), "GET", "/clients/batch", None, None).await;
        assert_eq!(now.body["client_name"], winner);
    }
}

#[tokio::test]
async fn invalid_redirect_uris_are_refused_on_create_and_update() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let web = |uri: &str| json!({"client_id": "web", "redirect_uris": [uri]});
    for uri in [
        "https://web.test/cb#frag",
        "http://web.test/cb",
        "https://*.web.test/cb",
        "com.example.app:/cb",
        "javascript:alert(1)",
    ] {
        let r = call(&s, Some(&t), "POST", "/clients", Some(web(uri)), None).await;
        assert_eq!(r.status, 422, "{uri}: {r:?}");
        assert!(detail(&r).starts_with("redirect_uris:"), "{r:?}");
    }
    for ok in ["https://web.test/cb", "http://127.0.0.1:8080/cb"] {
        let mut body = web(ok);
        body["client_id"] = json!(format!("web-{}", ok.len()));
        assert_eq!(
            call(&s, Some(&t), "POST", "/clients", Some(body), None)
                .await
                .status,
            201
        );
    }
    let native = json!({"client_id": "native", "public": true,
        "redirect_uris": ["com.example.app:/cb", "http://[::1]/cb"]});
    assert_eq!(
        call(&s, Some(&t), "POST", "/clients", Some(native), None)
            .await
            .status,
        201
    );

    // An update is held to the same rules, and a refused one changes nothing.
    let before = call(&s, Some(&t), "GET", "/clients/web-19", None, None).await;
    for (field, value) in [
        ("redirect_uris", json!(["https://web.test/cb#x"])),
        ("redirect_uris", json!(["http://web.test/cb"])),
        (
            "post_logout_redirect_uris",
            json!(["https://web.test/bye#x"]),
        ),
        ("grant_types", json!(["implicit"])),
        ("min_acr", json!("urn:other")),
        ("launch_url", json!("javascript:alert(1)")),
        ("client_name", json!(" ")),
        ("client_name#fr", json!("x".repeat(201))),
        ("client_name", json!("Parcels\nPay here")),
        ("logo_uri", json!("http://logo.test/logo.png")),
    ] {
        let r = call(
            &s,
            Some(&t),
            "PATCH",
            "/clients/web-19",
            Some(json!({field: value})),
            None,
        )
        .await;
        assert_eq!(r.status, 422, "{field}: {r:?}");
        assert!(detail(&r).starts_with(&format!("{field}:")), "{r:?}");
    }
    let after = call(&s, Some(&t), "GET", "/clients/web-19", None, None).await;
    assert_eq!(after.body, before.body);
    assert_eq!(after.etag, before.etag);
}
