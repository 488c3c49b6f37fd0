//! Attacks on the device authorization grant: guessed user codes (per address and from
//! everywhere), a code answered twice, concurrent and late polls, another client's device
//! code, a client without the grant, scope beyond the client's, a device code taken for an
//! authorization code, and input that must never be a 5xx.

use postern_tests::{client_keys::post, *};

use crate::device::{
    DEVICE_GRANT, EMAIL, answer, decide, device_client, enter, poll, server, start, through_sign_in,
};

/// POSTs a made-up code to `/device` from `address` (through a trusted proxy).
async fn guess(s: &TestServer, b: &Browser, address: &str) -> reqwest::Response {
    let Landing::Page(200, html) = b.open(&s.url, &format!("{}/device", s.url)).await else {
        panic!("the verification page")
    };
    let mut form = form_for(&html, "/device", None);
    form.set("user_code", "BCDF-GHJK");
    b.http
        .post(format!("{}/device", s.url))
        .header("x-forwarded-for", address)
        .form(&form.fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn guessing_user_codes_is_limited_per_address_and_for_everyone() {
    let s = spawn_with(|c| {
        c.rate_limit.device_code_per_ip = 3;
        c.rate_limit.device_code_global = 4;
        c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let b = Browser::new();
    for _ in 0..3 {
        let r = guess(&s, &b, "203.0.113.1").await;
        assert_eq!(r.status(), 400, "a wrong code is a readable page");
        let html = r.text().await.unwrap();
        assert!(html.contains("This code is not valid"), "{html}");
    }
    let r = guess(&s, &b, "203.0.113.1").await;
    assert_eq!(r.status(), 429, "the fourth try from one address");
    assert!(r.headers().contains_key("retry-after"));
    // Every address shares the global limit: one more try, then everyone waits.
    assert_eq!(guess(&s, &b, "203.0.113.2").await.status(), 400);
    assert_eq!(guess(&s, &b, "198.51.100.7").await.status(), 429);
    // A new window lets them in again.
    s.clock.advance(61);
    assert_eq!(guess(&s, &b, "198.51.100.7").await.status(), 400);
}

#[tokio::test]
async fn a_code_answered_in_one_browser_cannot_be_answered_in_another() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    let (_, body) = start(&s, "tv", "openid").await;
    let code = body["user_code"].as_str().unwrap();
    // Both browsers reach the confirmation page, then the first confirms.
    let (first, second) = (Browser::new(), Browser::new());
    let first_page = through_sign_in(&s, &first, enter(&s, &first, code).await).await;
    let second_page = through_sign_in(&s, &second, enter(&s, &second, code).await).await;
    let Landing::Page(200, _) = answer(&s, &first, &first_page, "confirm").await else {
        panic!("confirmed")
    };
    let Landing::Page(400, html) = answer(&s, &second, &second_page, "deny").await else {
        panic!("the second answer is refused")
    };
    assert!(html.contains("not valid any more"), "{html}");
    // Nor can the first browser answer again, nor anyone enter the code.
    let Landing::Page(400, _) = answer(&s, &first, &first_page, "confirm").await else {
        panic!("one answer per code")
    };
    let Landing::Page(400, _) = enter(&s, &Browser::new(), code).await else {
        panic!("an answered code is unknown")
    };
    s.clock.advance(2);
    let (status, _) = poll(&s, "tv", body["device_code"].as_str().unwrap()).await;
    assert_eq!(status, 200, "the first answer counts");
}

/// A device whose person confirmed; its device code.
async fn confirmed(s: &TestServer, client: &str, scope: &str) -> String {
    let (_, body) = start(s, client, scope).await;
    decide(
        s,
        &Browser::new(),
        body["user_code"].as_str().unwrap(),
        "confirm",
    )
    .await;
    s.clock.advance(2);
    body["device_code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn two_polls_at_once_get_the_tokens_once() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    for _ in 0..5 {
        let device_code = confirmed(&s, "tv", "openid").await;
        let (a, b, c, d) = tokio::join!(
            poll(&s, "tv", &device_code),
            poll(&s, "tv", &device_code),
            poll(&s, "tv", &device_code),
            poll(&s, "tv", &device_code),
        );
        let answers = [a, b, c, d];
        let issued = answers.iter().filter(|(status, _)| *status == 200).count();
        assert_eq!(issued, 1, "{answers:?}");
    }
}

#[tokio::test]
async fn polling_after_the_tokens_revokes_them() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    let device_code = confirmed(&s, "tv", "openid email offline_access").await;
    let (status, tokens) = poll(&s, "tv", &device_code).await;
    assert_eq!(status, 200, "{tokens}");
    s.clock.advance(2);
    let (status, r) = poll(&s, "tv", &device_code).await;
    assert_eq!((status, r["error"].as_str()), (400, Some("invalid_grant")));
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, r) = post(
        &s,
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "tv"),
            ("refresh_token", refresh),
        ],
    )
    .await;
    assert_eq!(
        (status, r["error"].as_str()),
        (400, Some("invalid_grant")),
        "revoked"
    );
}

#[tokio::test]
async fn another_clients_device_code_is_nobodys() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    device_client(&s, "thief").await;
    let device_code = confirmed(&s, "tv", "openid").await;
    let (status, r) = poll(&s, "thief", &device_code).await;
    assert_eq!((status, r["error"].as_str()), (400, Some("invalid_grant")));
    let (status, _) = poll(&s, "tv", &device_code).await;
    assert_eq!(status, 200, "still its own client's");
}

#[tokio::test]
async fn clients_without_the_grant_or_asking_beyond_their_scope_are_refused() {
    let s = server().await;
    s.client(ClientSpec::confidential("web")).await;
    let secret = crate::rp::secret_of("web");
    let form = [("client_id", "web"), ("client_secret", secret.as_str())];
    let (status, r) = post(&s, "/device_authorization", &form).await;
    assert_eq!(
        (status, r["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let (status, r) = post(
        &s,
        "/token",
        &[
            form[0],
            form[1],
            ("grant_type", DEVICE_GRANT),
            ("device_code", "x"),
        ],
    )
    .await;
    assert_eq!(
        (status, r["error"].as_str()),
        (400, Some("unauthorized_client"))
    );

    device_client(&s, "tv").await;
    for scope in ["openid admin", "openid bad\"scope"] {
        let (status, r) = start(&s, "tv", scope).await;
        assert_eq!(
            (status, r["error"].as_str()),
            (400, Some("invalid_scope")),
            "{scope}"
        );
    }
    let (status, r) = post(&s, "/device_authorization", &[("client_id", "nobody")]).await;
    assert_eq!((status, r["error"].as_str()), (401, Some("invalid_client")));
    // A business-only client would get no organisation from a device.
    let mut biz = ClientSpec::confidential("biz");
    biz.public = true;
    biz.secret = None;
    biz.redirect_uris = vec![];
    biz.grant_types = vec![DEVICE_GRANT.into()];
    biz.org_mode = idp::storage::OrgMode::Business;
    s.client(biz).await;
    let (status, r) = start(&s, "biz", "openid org").await;
    assert_eq!((status, r["error"].as_str()), (400, Some("invalid_scope")));
}

#[tokio::test]
async fn a_device_code_is_no_authorization_code_and_the_reverse() {
    let s = server().await;
    s.user(EMAIL).await;
    let mut spec = ClientSpec::confidential("both");
    spec.grant_types = vec!["authorization_code".into(), DEVICE_GRANT.into()];
    s.client(spec).await;
    let secret = crate::rp::secret_of("both");
    let auth = [("client_id", "both"), ("client_secret", secret.as_str())];
    let (_, body) = post(
        &s,
        "/device_authorization",
        &[auth[0], auth[1], ("scope", "openid")],
    )
    .await;
    let user_code = body["user_code"].as_str().unwrap();
    decide(&s, &Browser::new(), user_code, "confirm").await;
    let device_code = body["device_code"].as_str().unwrap();
    let (status, r) = post(
        &s,
        "/token",
        &[
            auth[0],
            auth[1],
            ("grant_type", "authorization_code"),
            ("code", device_code),
            ("redirect_uri", "https://rp.test/cb"),
        ],
    )
    .await;
    assert_eq!((status, r["error"].as_str()), (400, Some("invalid_grant")));
    for fake in [user_code, "not-a-device-code", ""] {
        let (status, r) = post(
            &s,
            "/token",
            &[
                auth[0],
                auth[1],
                ("grant_type", DEVICE_GRANT),
                ("device_code", fake),
            ],
        )
        .await;
        let error = r["error"].as_str();
        assert!(
            status == 400 && matches!(error, Some("invalid_grant" | "invalid_request")),
            "{fake:?}: {status} {r}"
        );
    }
    s.clock.advance(2);
    let form = [
        auth[0],
        auth[1],
        ("grant_type", DEVICE_GRANT),
        ("device_code", device_code),
    ];
    let (status, r) = post(&s, "/token", &form).await;
    assert_eq!(status, 200, "the device code still works as one: {r}");
}

#[tokio::test]
async fn nothing_a_client_or_a_browser_sends_is_a_server_error() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    let http = reqwest::Client::new();
    let long = "A".repeat(5000);
    let bodies: Vec<(&str, String)> = vec![
        ("/device_authorization", String::new()),
        ("/device_authorization", "client_id=tv&client_id=tv".into()),
        ("/device_authorization", "client_id=tv&scope=%00%ff".into()),
        (
            "/device_authorization",
            format!("client_id=tv&acr_values={long}"),
        ),
        (
            "/device_authorization",
            "client_id=tv&client_assertion=x.y.z".into(),
        ),
        ("/token", format!("grant_type={DEVICE_GRANT}&client_id=tv")),
        (
            "/token",
            format!("grant_type={DEVICE_GRANT}&client_id=tv&device_code={long}"),
        ),
        (
            "/token",
            format!("grant_type={DEVICE_GRANT}&client_id=tv&device_code=%ff%fe"),
        ),
        ("/device", "user_code=BCDF-GHJK".into()),
        ("/device", format!("csrf=x&user_code={long}")),
        ("/device/confirm", "visit=x&decision=confirm".into()),
    ];
    for (path, body) in bodies {
        let r = http
            .post(format!("{}{path}", s.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(
            r.status().as_u16() < 500,
            "{path} {body:.60}: {}",
            r.status()
        );
    }
    let b = Browser::new();
    for query in ["visit=nothing", "", "visit=%ff", "user_code=%00"] {
        for path in ["/device/confirm", "/device"] {
            let Landing::Page(status, _) =
                b.open(&s.url, &format!("{}{path}?{query}", s.url)).await
            else {
                panic!("a page")
            };
            assert!(status < 500, "{path}?{query}: {status}");
        }
    }
    // A confirmation page whose device expired while the person signed in.
    let (_, body) = start(&s, "tv", "openid").await;
    let landing = enter(&s, &b, body["user_code"].as_str().unwrap()).await;
    let html = through_sign_in(&s, &b, landing).await;
    s.clock.advance(601);
    let Landing::Page(400, _) = answer(&s, &b, &html, "confirm").await else {
        panic!("an expired device cannot be confirmed")
    };
}
