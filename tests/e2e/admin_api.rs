//! The management API under `/admin/api/v1`, resource by resource: the happy path, and the
//! refusals every resource shares (no token, a token of another area, unknown ids, stale
//! `If-Match`, invalid values as problem documents).

mod audit;
mod keys;
mod legacy;

use postern_tests::*;
use serde_json::Value;

use crate::rp;

pub mod assurance;
mod client_lifecycle;
mod clients;
mod escalation;

/// A client-credentials tool `ops-<n>` that may use `scope` (for example `admin:users`),
/// and a token of it with that scope.
pub async fn tool_token(s: &TestServer, scope: &str) -> String {
    let id = format!("ops-{}", scope.replace(':', "-"));
    let mut tool = ClientSpec::confidential(&id);
    tool.grant_types = vec!["client_credentials".into()];
    tool.redirect_uris = vec![];
    tool.scopes = vec![scope.into()];
    s.client(tool).await;
    token_for(s, &id, scope).await
}

/// A client-credentials token of the registered client `client` (secret `rp::secret_of`).
pub async fn token_for(s: &TestServer, client: &str, scope: &str) -> String {
    let r: Value = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth(client, Some(rp::secret_of(client)))
        .form(&[("grant_type", "client_credentials"), ("scope", scope)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access_token"].as_str().expect("a token").to_owned()
}

/// One answer of the management API.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub body: Value,
}

/// A call: `token` as bearer, `body` as JSON, `if_match` as the `If-Match` header. Every
/// error must be a problem document, and no answer may be kept by a cache (client secrets,
/// temporary passwords, personal data): both are checked here for every test.
pub async fn call(
    s: &TestServer,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> Reply {
    let url = format!("{}/admin/api/v1{path}", s.url);
    let mut req = reqwest::Client::new().request(method.parse().unwrap(), url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    if status >= 400 {
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{method} {path}"
        );
    }
    assert!(status < 500, "{method} {path} answered {status}");
    assert_eq!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store"),
        "{method} {path}"
    );
    let etag = r
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = r.text().await.unwrap();
    Reply {
        status,
        etag,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

#[tokio::test]
async fn each_area_opens_to_its_own_scope_and_admin_only() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let path = "/users?email=anna@post.test";
    let none = call(&s, None, "GET", path, None, None).await;
    assert_eq!(none.status, 401);
    assert!(none.etag.is_none());
    for scope in ["admin:keys", "admin:orgs", "admin:clients", "admin:audit"] {
        let other = tool_token(&s, scope).await;
        let r = call(&s, Some(&other), "GET", path, None, None).await;
        assert_eq!(r.status, 403, "{scope}");
        assert!(r.body["detail"].as_str().unwrap().contains("admin:users"));
    }
    for scope in ["admin:users", "admin"] {
        let own = tool_token(&s, scope).await;
        let r = call(&s, Some(&own), "GET", path, None, None).await;
        assert_eq!(r.status, 200, "{scope}");
        assert_eq!(r.body["items"][0]["email"], "anna@post.test");
    }
}

mod user_access;
mod users;
