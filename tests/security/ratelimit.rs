use postern_tests::*;

use crate::{attempt, auth_url, server};

#[tokio::test]
async fn sign_in_past_the_limit_gets_429_with_retry_after() {
    let s = server(|c| c.rate_limit.sign_in_per_ip = 3).await;
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, &auth_url(&s.url)).await else {
        panic!()
    };
    let mut form = parse_form(&html).unwrap();
    form.set("email", "anna@post.test");
    for _ in 0..3 {
        assert!(matches!(
            b.submit(&s.url, &form).await,
            Landing::Page(200, _)
        ));
    }
    let url = format!("{}/login/identify", s.url);
    let r = b.http.post(url).form(&form.fields).send().await.unwrap();
    assert_eq!(r.status(), 429);
    let retry: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    s.clock.advance(61);
    assert!(
        matches!(b.submit(&s.url, &form).await, Landing::Page(200, _)),
        "a new window"
    );
}

#[tokio::test]
async fn failed_client_authentication_is_limited_per_ip() {
    let s = server(|c| c.rate_limit.client_auth_failures_per_ip = 2).await;
    let post = |secret: &'static str| {
        let url = format!("{}/token", s.url);
        async move {
            reqwest::Client::new()
                .post(url)
                .basic_auth("shop", Some(secret))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(post("wrong").await.status(), 401);
    assert_eq!(post("wrong").await.status(), 401);
    let r = post("shop-secret-0123456789abcdef").await;
    assert_eq!(
        r.status(),
        429,
        "blocked, even with the right secret, until the window ends"
    );
    assert!(r.headers().contains_key("retry-after"));
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"].is_string());
}

/// A client-credentials request for `client_id` with `secret` at `path`.
async fn client_call(base: &str, path: &str, client_id: &str, secret: &str) -> reqwest::Response {
    let mut form = vec![("grant_type", "client_credentials"), ("token", "x")];
    if path != "/token" {
        form.remove(0);
    }
    reqwest::Client::new()
        .post(format!("{base}{path}"))
        .basic_auth(client_id, Some(secret))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_correct_client_gets_its_token_after_another_client_fails_from_the_same_address() {
    let s = server(|_| {}).await;
    s.client(ClientSpec {
        grant_types: vec!["client_credentials".into()],
        ..ClientSpec::confidential("ops")
    })
    .await;
    let mut refused = 0;
    for _ in 0..50 {
        let status = client_call(&s.url, "/token", "shop", "wrong")
            .await
            .status();
        assert!(status == 401 || status == 429, "{status}");
        refused += u32::from(status == 429);
    }
    assert!(refused > 0, "the failing client itself is limited");
    let ops = "ops-secret-0123456789abcdef";
    let r = client_call(&s.url, "/token", "ops", ops).await;
    assert_eq!(
        r.status(),
        200,
        "a correct client is not refused for another's failures"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["access_token"].is_string());
    for path in ["/introspect", "/revoke"] {
        assert_eq!(
            client_call(&s.url, path, "ops", ops).await.status(),
            200,
            "{path}"
        );
    }
}

/// A server behind a trusted proxy at 127.0.0.1, so a test can speak from any address.
async fn behind_proxy(adjust: impl FnOnce(&mut idp::Config)) -> TestServer {
    server(|c| {
        c.http.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        adjust(c);
    })
    .await
}

/// The status of `request` sent as if from `from` (through the trusted proxy).
async fn status_from(request: reqwest::RequestBuilder, from: &str) -> u16 {
    let sent = request.header("x-forwarded-for", from).send().await;
    sent.unwrap().status().as_u16()
}

async fn token_from(base: &str, from: &str, secret: &str) -> u16 {
    let request = reqwest::Client::new()
        .post(format!("{base}/token"))
        .basic_auth("ops", Some(secret))
        .form(&[("grant_type", "client_credentials")]);
    status_from(request, from).await
}

#[tokio::test]
async fn a_client_id_failing_from_everywhere_is_refused_where_it_failed_but_not_where_it_did_not() {
    let s = behind_proxy(|c| {
        c.rate_limit.client_auth_failures_per_ip = 3;
        c.rate_limit.client_auth_failures_per_client = 5;
    })
    .await;
    s.client(ClientSpec {
        grant_types: vec!["client_credentials".into()],
        ..ClientSpec::confidential("ops")
    })
    .await;
    let good = "ops-secret-0123456789abcdef";
    // One address fails three times: that address is refused for this client id, even with
    // the right secret (it is the failing caller itself).
    for _ in 0..3 {
        assert_eq!(token_from(&s.url, "198.51.100.1", "wrong").await, 401);
    }
    assert_eq!(token_from(&s.url, "198.51.100.1", good).await, 429);
    // Two more addresses fail once each: the client id has failed five times in all.
    assert_eq!(token_from(&s.url, "198.51.100.2", "wrong").await, 401);
    assert_eq!(token_from(&s.url, "198.51.100.3", "wrong").await, 401);
    // An address that failed is refused now; the client's own server, which did not, is not.
    assert_eq!(token_from(&s.url, "198.51.100.2", "wrong").await, 429);
    assert_eq!(token_from(&s.url, "192.0.2.10", good).await, 200);
    // A new address gets one try, then it is refused too.
    assert_eq!(token_from(&s.url, "203.0.113.5", "wrong").await, 401);
    assert_eq!(token_from(&s.url, "203.0.113.5", "wrong").await, 429);
    s.clock.advance(61);
    assert_eq!(
        token_from(&s.url, "198.51.100.1", good).await,
        200,
        "a new window"
    );
}

/// The sign-in page's email step from `from`; returns the status.
async fn identify_from(s: &TestServer, from: &str) -> u16 {
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, &auth_url(&s.url)).await else {
        panic!("login page")
    };
    let mut form = parse_form(&html).unwrap();
    form.set("email", "anna@post.test");
    let request = b.http.post(format!("{}/login/identify", s.url));
    status_from(request.form(&form.fields), from).await
}

#[tokio::test]
async fn an_ipv6_host_is_counted_per_64_in_the_per_address_limits() {
    let s = behind_proxy(|c| c.rate_limit.sign_in_per_ip = 2).await;
    assert_eq!(identify_from(&s, "2001:db8:1:2::1").await, 200);
    assert_eq!(identify_from(&s, "2001:db8:1:2::2").await, 200);
    assert_eq!(
        identify_from(&s, "2001:db8:1:2:ffff::9").await,
        429,
        "another address of the same /64"
    );
    assert_eq!(
        identify_from(&s, "2001:db8:1:3::1").await,
        200,
        "another /64"
    );
}

/// `GET path` from `from`, without following redirects.
async fn get_from(s: &TestServer, path: &str, from: &str) -> reqwest::Response {
    Browser::new()
        .http
        .get(format!("{}{path}", s.url))
        .header("x-forwarded-for", from)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_transactions_started_from_one_address_are_limited() {
    let s = behind_proxy(|c| c.rate_limit.sign_in_starts_per_ip = 3).await;
    let authorize = auth_url(&s.url)[s.url.len()..].to_owned();
    for path in [authorize.as_str(), "/account", "/register"] {
        let r = get_from(&s, path, "198.51.100.7").await;
        assert_eq!(r.status(), 303, "{path}");
        let to = r.headers()["location"].to_str().unwrap();
        assert!(to.contains("?tx="), "{path} -> {to}");
    }
    for path in [authorize.as_str(), "/account", "/register", "/account/data"] {
        let r = get_from(&s, path, "198.51.100.7").await;
        assert_eq!(r.status(), 429, "{path}");
        assert!(r.headers().contains_key("retry-after"));
        let html = r.text().await.unwrap();
        assert!(html.contains("<html"), "a page for people: {html}");
    }
    assert_eq!(
        get_from(&s, &authorize, "198.51.100.8").await.status(),
        303,
        "another address"
    );
    s.clock.advance(61);
    assert_eq!(
        get_from(&s, &authorize, "198.51.100.7").await.status(),
        303,
        "a new window"
    );
}

#[tokio::test]
async fn a_hundred_people_behind_one_address_all_sign_in_with_the_default_limits() {
    let s = server(|_| {}).await;
    for i in 0..100 {
        let email = format!("clerk{i}@post.test");
        s.user(&email).await;
        let (status, landed) = attempt(&s.url, &email, PASSWORD).await;
        assert_eq!(status, 303, "person {i}: {landed}");
        assert!(landed.starts_with("https://rp.test/cb"), "{landed}");
    }
}
