//! Scopes per area of the management API: `admin:orgs`, `admin:users` (and `admin` for
//! all). A tool that manages organisations does not look up people, and the reverse.

use super::*;

async fn tool(w: &World, id: &str, scope: &str) -> String {
    let mut spec = ClientSpec::confidential(id);
    spec.grant_types = vec!["client_credentials".into()];
    spec.redirect_uris = vec![];
    spec.scopes = vec![scope.into()];
    w.s.client(spec).await;
    token_for(&w.s, id, scope).await
}

#[tokio::test]
async fn a_token_acts_only_in_the_areas_its_scope_names() {
    let w = world().await;
    let s = &w.s;
    let orgs = tool(&w, "orgs-tool", "admin:orgs").await;
    let users = tool(&w, "users-tool", "admin:users").await;
    let new_org = || Some(json!({"name": "Epsilon AB"}));

    let (status, org) = api(s, Some(&orgs), "POST", "/organizations", new_org()).await;
    assert_eq!(status, 201, "{org}");
    let (status, p) = api(s, Some(&orgs), "GET", "/users?email=anna@post.test", None).await;
    assert_eq!(status, 403, "{p}");

    let (status, found) = api(s, Some(&users), "GET", "/users?email=anna@post.test", None).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["items"][0]["email"], "anna@post.test");
    for (method, body) in [("GET", None), ("POST", new_org())] {
        let (status, p) = api(s, Some(&users), method, "/organizations", body).await;
        assert_eq!(status, 403, "{method}: {p}");
    }

    // `admin` is every area.
    let (status, _) = api(
        s,
        Some(&w.operator),
        "GET",
        "/users?email=anna@post.test",
        None,
    )
    .await;
    assert_eq!(status, 200);
}
