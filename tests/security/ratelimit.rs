use postern_tests::*;

use crate::{auth_url, server};

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
