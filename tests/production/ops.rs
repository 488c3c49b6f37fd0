use postern_tests::*;

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let s = spawn().await;
    let r = reqwest::get(format!("{}/health/live", s.url))
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a generated UUID: {id}");
    let r = reqwest::Client::new()
        .get(format!("{}/jwks", s.url))
        .header("x-request-id", "lb-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["x-request-id"],
        "lb-7f3a",
        "an incoming id is kept"
    );
}

#[tokio::test]
async fn metrics_count_routes_grants_and_sign_ins() {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("svc");
    spec.grant_types = vec!["client_credentials".into()];
    s.client(spec).await;
    for _ in 0..3 {
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.url))
            .basic_auth("svc", Some("svc-secret-0123456789abcdef"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let auth = format!(
        "{}/authorize?client_id=shop&redirect_uri=https://rp.test/cb&response_type=code&scope=openid\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        s.url
    );
    // One wrong password, submitted by hand (sign_in would keep retrying the form).
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, &auth).await else {
        panic!("login page")
    };
    let mut form = parse_form(&html).unwrap();
    form.set("email", "anna@post.test");
    let Landing::Page(200, html) = b.submit(&s.url, &form).await else {
        panic!("password page")
    };
    let mut form = parse_form(&html).unwrap();
    form.set("password", "wrong password");
    assert!(matches!(
        b.submit(&s.url, &form).await,
        Landing::Page(401, _)
    ));
    assert!(matches!(
        Browser::new()
            .sign_in(&s.url, &auth, "anna@post.test", PASSWORD)
            .await,
        Landing::Client(_)
    ));

    let m = scrape_metrics(&s).await;
    let has = |line: &str| m.lines().any(|l| l == line);
    assert!(
        has("postern_tokens_issued_total{grant=\"client_credentials\"} 3"),
        "{m}"
    );
    assert!(has("postern_sign_ins_total{outcome=\"success\"} 1"), "{m}");
    assert!(has("postern_sign_ins_total{outcome=\"failure\"} 1"), "{m}");
    assert!(
        has("postern_http_requests_total{method=\"POST\",route=\"/token\",status=\"200\"} 3"),
        "{m}"
    );
    assert!(
        m.contains("postern_http_request_duration_seconds_bucket{"),
        "{m}"
    );
}

#[tokio::test]
async fn malformed_addresses_get_readable_pages() {
    let s = spawn().await;
    for (path, status) in [
        ("/login?tx=%ZZ&tx=1", 400),
        ("/recover/reset?token=%", 400),
        ("/logout?state=a&state=b", 400),
        ("/no/such/page", 404),
    ] {
        let r = reqwest::get(format!("{}{path}", s.url)).await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(r.text().await.unwrap().contains("<h1>"), "{path}");
    }
}

/// Graceful shutdown: a request already being received when the signal comes is answered,
/// and the server then stops accepting.
#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    config.issuer = format!("http://{addr}");
    let state = idp::AppState::build(
        config,
        std::sync::Arc::new(idp::state::OffsetClock::default()),
    )
    .await
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(idp::http::serve_until(listener, idp::app(state), async {
        let _ = stopped.await;
    }));

    // Headers now, the body only after the shutdown signal.
    let body = "token=unknown";
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /introspect HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    conn.write_all(body.as_bytes()).await.unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the in-flight request is answered (no client authentication: 401): {answer}"
    );
    tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("the server stops once the request is done")
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer accepting"
    );
}
