//! The organisation management API: its guard rails and its OpenAPI document.

use super::*;

#[tokio::test]
async fn the_last_admin_stays_and_bad_requests_get_problem_details() {
    let w = world().await;
    let s = &w.s;
    let [a, ..] = &w.orgs;
    let op = Some(w.operator.as_str());
    let anna = {
        let (_, users) = api(s, op, "GET", "/users?email=anna@post.test", None).await;
        users["items"][0]["id"].as_str().unwrap().to_owned()
    };
    let path = format!("/organizations/{a}/members/{anna}");
    let (status, p) = api(s, op, "DELETE", &path, None).await;
    assert_eq!(status, 409);
    assert_eq!(p["type"], "urn:postern:problem:last-admin");
    assert_eq!(p["status"], 409);
    assert_eq!(
        api(s, op, "PATCH", &path, Some(json!({"roles": ["clerk"]})))
            .await
            .0,
        409
    );

    // With a second admin the first may go.
    let (status, _) = api(
        s,
        op,
        "POST",
        &format!("/organizations/{a}/members"),
        Some(json!({"email": "bert@post.test", "roles": ["admin"], "services": []})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(api(s, op, "DELETE", &path, None).await.0, 204);
    let (_, members) = api(
        s,
        op,
        "GET",
        &format!("/organizations/{a}/members?per_page=1"),
        None,
    )
    .await;
    assert_eq!(members["total"], 1);
    assert_eq!(members["items"][0]["email"], "bert@post.test");

    for (method, p, body, status) in [
        (
            "POST",
            "/organizations".to_owned(),
            Some(json!({"nom": "x"})),
            400,
        ),
        (
            "POST",
            "/organizations".to_owned(),
            Some(json!({"name": ""})),
            422,
        ),
        ("GET", "/organizations?page=0".to_owned(), None, 400),
        ("GET", "/organizations?per_page=abc".to_owned(), None, 400),
        ("GET", "/organizations/nope".to_owned(), None, 404),
        (
            "POST",
            format!("/organizations/{a}/members"),
            Some(json!({"email": "ghost@post.test"})),
            422,
        ),
        (
            "POST",
            format!("/organizations/{a}/members"),
            Some(json!({"email": "bert@post.test"})),
            409,
        ),
        (
            "POST",
            format!("/organizations/{a}/members"),
            Some(json!({"email": "anna@post.test", "roles": ["bad role"]})),
            422,
        ),
        (
            "POST",
            format!("/organizations/{a}/invitations"),
            Some(json!({"email": "x@post.test", "services": ["no-such-client"]})),
            422,
        ),
        (
            "PATCH",
            format!("/organizations/{a}"),
            Some(json!({"status": "gone"})),
            422,
        ),
        ("GET", "/users".to_owned(), None, 400),
        ("GET", "/no/such/thing".to_owned(), None, 404),
    ] {
        let (got, problem) = api(s, op, method, &p, body).await;
        assert_eq!(got, status, "{method} {p}: {problem}");
        assert_eq!(problem["status"], status);
        assert!(problem["title"].is_string() && problem["detail"].is_string());
    }
    let (status, _) = api(s, None, "GET", "/organizations", None).await;
    assert_eq!(status, 401, "no token");
    let (status, _) = api(s, Some("not-a-token"), "GET", "/organizations", None).await;
    assert_eq!(status, 401);
    let plain = token_for(s, "ops", "").await;
    assert_eq!(
        api(s, Some(&plain), "GET", "/organizations", None).await.0,
        403,
        "no admin scope"
    );
}

#[tokio::test]
async fn the_openapi_document_parses_and_lists_every_endpoint() {
    let s = spawn().await;
    let doc: Value = reqwest::get(format!("{}/admin/api/openapi.json", s.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let parsed: openapiv3::OpenAPI =
        serde_json::from_value(doc.clone()).expect("a valid OpenAPI 3 document");
    assert!(parsed.openapi.starts_with("3.0"));
    for (method, path) in idp::http::admin_api::ENDPOINTS {
        if path == "/openapi.json" {
            continue;
        }
        let item = parsed
            .paths
            .paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} documented"));
        let item = item.as_item().unwrap();
        let op = match method {
            "get" => &item.get,
            "post" => &item.post,
            "patch" => &item.patch,
            "delete" => &item.delete,
            other => panic!("{other}"),
        };
        assert!(op.is_some(), "{method} {path} documented");
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "schema {name}"
        );
    }
}
