use std::{path::Path, process::Child, sync::Arc, time::Duration};

use postern_tests::*;

/// A Redis of this test's own, so stopping it disturbs no other test.
struct OwnRedis {
    port: u16,
    child: Child,
}

impl OwnRedis {
    fn start(port: u16) -> OwnRedis {
        let child = servers::redis_server(Path::new("redis-server"), port)
            .spawn()
            .expect("redis-server must be installed for this test");
        OwnRedis { port, child }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn status(url: &str) -> u16 {
    reqwest::get(url)
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn wait_for_status(url: &str, want: u16) {
    for _ in 0..100 {
        if status(url).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} never answered {want}");
}

#[tokio::test]
async fn redis_outage_gives_503_and_heals() {
    let port = servers::free_port();
    let mut redis = OwnRedis::start(port);
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    config.redis_url = format!("redis://127.0.0.1:{port}");
    let s = spawn_config(config, dir).await;
    let ready = format!("{}/health/ready", s.url);
    wait_for_status(&ready, 200).await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let auth = format!(
        "{}/authorize?client_id=shop&redirect_uri=https://rp.test/cb&response_type=code&scope=openid\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        s.url
    );
    let browser = Browser::new();
    assert!(matches!(
        browser
            .sign_in(&s.url, &auth, "anna@post.test", PASSWORD)
            .await,
        Landing::Client(_)
    ));

    redis.stop();
    // People get a page, clients get JSON; both 503.
    let page = browser.http.get(&auth).send().await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("temporarily unavailable")
    );
    let token = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("shop", Some("shop-secret-0123456789abcdef"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", "x"),
            ("redirect_uri", "https://rp.test/cb"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 503);
    let body: serde_json::Value = token.json().await.unwrap();
    assert_eq!(body["error"], "temporarily_unavailable");
    assert_eq!(status(&ready).await, 503);
    assert_eq!(status(&format!("{}/health/live", s.url)).await, 200);
    let metrics = scrape_metrics(&s).await;
    assert!(
        metrics.contains("postern_store_errors_total{store=\"redis\"}"),
        "{metrics}"
    );

    // Redis comes back (empty: it keeps nothing on disk); the node serves again, no restart.
    let _redis = OwnRedis::start(redis.port);
    wait_for_status(&ready, 200).await;
    let fresh = Browser::new();
    assert!(matches!(
        fresh
            .sign_in(&s.url, &auth, "anna@post.test", PASSWORD)
            .await,
        Landing::Client(_)
    ));
}

#[tokio::test]
async fn database_outage_gives_503() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let config = test_config(&dir).await;
    let s = spawn_config(config, dir).await;
    s.client(ClientSpec::confidential("shop")).await;
    // Closing the pool is what an unreachable database looks like to the handlers.
    s.state.sql.connection().clone().close().await.unwrap();
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("shop", Some("shop-secret-0123456789abcdef"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(status(&format!("{}/health/ready", s.url)).await, 503);
    assert_eq!(status(&format!("{}/health/live", s.url)).await, 200);
}
