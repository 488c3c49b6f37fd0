//! What a deployment exposes: metrics only to whom may read them, and HSTS when the issuer
//! is https.

use std::sync::Arc;

use postern_tests::*;

async fn get(url: String) -> reqwest::Response {
    Browser::new().http.get(url).send().await.unwrap()
}

#[tokio::test]
async fn metrics_are_not_public_by_default() {
    let s = spawn().await;
    let r = get(format!("{}/metrics", s.url)).await;
    assert_eq!(r.status(), 404);
    assert!(
        !r.text()
            .await
            .unwrap()
            .contains("postern_http_requests_total")
    );
}

#[tokio::test]
async fn hsts_on_every_response_when_the_issuer_is_https() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let config = test_config(&dir).await;
    let s = spawn_node(config, dir, Some("https://idp.example")).await;
    for path in ["/jwks", "/no/such/page", "/login", "/language?set=de"] {
        let r = get(format!("{}{path}", s.url)).await;
        let hsts = r
            .headers()
            .get("strict-transport-security")
            .unwrap_or_else(|| panic!("{path}: no HSTS"))
            .to_str()
            .unwrap()
            .to_owned();
        assert!(hsts.starts_with("max-age="), "{path}: {hsts}");
        let age: u64 = hsts["max-age=".len()..]
            .split(';')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(age >= 31_536_000, "{hsts}");
    }
}

#[tokio::test]
async fn no_hsts_when_the_issuer_is_http() {
    let s = spawn().await;
    let r = get(format!("{}/jwks", s.url)).await;
    assert!(r.headers().get("strict-transport-security").is_none());
}

const METRICS_TOKEN: &str = "metrics-token-0123456789abcdef-0123456789";

#[tokio::test]
async fn metrics_on_the_main_listener_need_the_bearer_token() {
    let s = spawn_with(|c| c.metrics.token = METRICS_TOKEN.into()).await;
    let url = format!("{}/metrics", s.url);
    let http = reqwest::Client::new();
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    let wrong = http
        .get(&url)
        .bearer_auth("metrics-token-0123456789abcdef-0123456780");
    assert_eq!(wrong.send().await.unwrap().status(), 401);
    let r = http
        .get(&url)
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_is_exposition(r).await;
}

#[tokio::test]
async fn metrics_on_their_own_listener_are_not_on_the_main_one() {
    let s = spawn_with(|c| c.metrics.listen = "127.0.0.1:0".into()).await;
    assert_eq!(get(format!("{}/metrics", s.url)).await.status(), 404);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = idp::http::metrics_app(s.state.clone());
    let task = tokio::spawn(async move { idp::http::serve(listener, app).await });
    let r = get(format!("http://{addr}/metrics")).await;
    assert_is_exposition(r).await;
    assert_eq!(get(format!("http://{addr}/jwks")).await.status(), 404);
    task.abort();
}

#[tokio::test]
async fn the_demo_client_and_user_are_seeded_only_for_a_loopback_issuer() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let config = test_config(&dir).await;
    let s = spawn_node(config, dir, Some("https://idp.example")).await;
    let err = idp::admin::seed::seed_demo(&s.state).await.unwrap_err();
    assert!(err.contains("prod"), "{err}");
    assert!(!demo_user_exists(&s).await, "nothing was seeded");

    let s = spawn().await;
    idp::admin::seed::seed_demo(&s.state).await.unwrap();
    assert!(demo_user_exists(&s).await);
    // Each example of relying-party-examples/ has its client, and seeding again is harmless.
    idp::admin::seed::seed_demo(&s.state).await.unwrap();
    let clients = &s.state.stores.clients;
    for id in [
        "demo-portal",
        "demo-cli",
        "demo-service",
        "demo-service-opaque",
    ] {
        assert!(clients.find_client(id).await.unwrap().is_some(), "{id}");
    }
    let cli = clients.find_client("demo-cli").await.unwrap().unwrap();
    assert!(cli.public);
    let demo = s
        .state
        .stores
        .users
        .find_user_by_email(idp::admin::seed::DEMO_EMAIL);
    let demo = demo.await.unwrap().unwrap();
    let orgs = s.state.stores.orgs.memberships_of(&demo.id).await.unwrap();
    assert_eq!(orgs.len(), 1, "one organisation, seeded once");
}

async fn demo_user_exists(s: &TestServer) -> bool {
    let users = &s.state.stores.users;
    let demo = users.find_user_by_email(idp::admin::seed::DEMO_EMAIL);
    demo.await.unwrap().is_some()
}

/// A 200 with Prometheus' text exposition of Postern's counters.
async fn assert_is_exposition(r: reqwest::Response) {
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(text.contains("postern_http_requests_total"), "{text}");
}
