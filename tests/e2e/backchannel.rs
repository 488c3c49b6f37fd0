//! Back-channel logout 1.0: a session that ends, however it ends, reaches every client that
//! received tokens in it, through a durable queue that survives a receiver being down and
//! the server restarting.

use std::{net::SocketAddr, time::Duration};

use openidconnect::{
    EndSessionUrl, LogoutRequest, OAuth2TokenResponse, PostLogoutRedirectUrl,
    core::{CoreJwsSigningAlgorithm, CoreTokenResponse},
};
use postern_tests::{
    backchannel::{Answer, Receiver, unused_addr, verify_logout_token, wait_for_retries},
    *,
};

use crate::rp;

const EMAIL: &str = "anna@post.test";

/// A first-party client that receives logout tokens at `uri`.
async fn client_with(s: &TestServer, id: &str, uri: String) -> rp::Client {
    let mut spec = ClientSpec::confidential(id);
    spec.backchannel_logout_uri = Some(uri);
    spec.backchannel_logout_session_required = true;
    s.client(spec).await;
    rp::client(s, id, Some(&rp::secret_of(id))).await
}

/// Signs in at `c` with the SSO session `browser` already has (no page shown).
async fn also_at(
    s: &TestServer,
    c: &rp::Client,
    browser: &Browser,
    scopes: &[&str],
) -> CoreTokenResponse {
    let started = rp::start(c, scopes, &[]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    let code = rp::code_from(s, &started, landing);
    rp::exchange(c, &code, started.verifier).await
}

fn sid_of(tokens: &CoreTokenResponse) -> String {
    let id_token = tokens.extra_fields().id_token().unwrap().to_string();
    jwt_payload(&id_token)["sid"].as_str().unwrap().to_owned()
}

/// RP-initiated logout at `s` with the ID token of `tokens`, in `browser`.
async fn log_out(s: &TestServer, browser: &Browser, tokens: &CoreTokenResponse) {
    let end = EndSessionUrl::new(format!("{}/logout", s.url)).unwrap();
    let url = LogoutRequest::from(end)
        .set_id_token_hint(tokens.extra_fields().id_token().unwrap())
        .set_post_logout_redirect_uri(
            PostLogoutRedirectUrl::new("https://rp.test/bye".into()).unwrap(),
        )
        .http_get_url();
    let Landing::Client(back) = browser.open(&s.url, url.as_str()).await else {
        panic!("a valid hint returns at once")
    };
    assert_eq!(back.path(), "/bye");
}

async fn userinfo_status(s: &TestServer, tokens: &CoreTokenResponse) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn fast(c: &mut idp::Config) {
    c.backchannel_logout.poll_interval = Duration::from_millis(100);
}

#[tokio::test]
async fn a_logout_at_one_service_reaches_both_services_of_the_session() {
    let s = spawn().await;
    s.user(EMAIL).await;
    let (shop_rx, parcels_rx) = (Receiver::start().await, Receiver::start().await);
    let shop = client_with(&s, "shop", shop_rx.uri()).await;
    let parcels = client_with(&s, "parcels", parcels_rx.uri()).await;
    let (claims, shop_tokens, browser) = rp::login(
        &s,
        &shop,
        EMAIL,
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let parcels_tokens = also_at(&s, &parcels, &browser, &[]).await;
    let sid = sid_of(&shop_tokens);
    assert_eq!(sid, sid_of(&parcels_tokens), "one browser session");

    log_out(&s, &browser, &shop_tokens).await;

    for (rx, id) in [(&shop_rx, "shop"), (&parcels_rx, "parcels")] {
        let tokens = rx.wait_for(1).await;
        let c = verify_logout_token(&s, &tokens[0], id).await;
        assert_eq!(c["sid"], sid.as_str(), "{id}");
        assert_eq!(c["sub"], claims.subject().as_str(), "{id}");
    }
    // A logout token is no ID token hint and no access token: a receiver cannot use it
    // against Postern.
    let logout_token = &shop_rx.tokens()[0];
    let hint = format!("{}/logout?id_token_hint={logout_token}", s.url);
    let Landing::Page(400, _) = Browser::new().open(&s.url, &hint).await else {
        panic!("refused as a hint")
    };
    let info = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(logout_token)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401, "refused as an access token");

    // The session's grants end with it (its access tokens stop working), except an
    // offline_access grant, whose refresh token is meant to outlive it (§2.7).
    assert_eq!(userinfo_status(&s, &parcels_tokens).await, 401);
    let refreshed = shop
        .exchange_refresh_token(shop_tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&rp::http())
        .await;
    assert!(refreshed.is_ok(), "the offline_access grant lives on");

    // Delivered once each, audited and counted. The sender writes the audit event after
    // the receiver has answered, so the second one may trail the token by a moment.
    let audited = || async {
        s.state
            .stores
            .audit
            .list_events(&idp::storage::AuditFilter {
                kind: Some("backchannel_logout".into()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut events = audited().await;
    while events.len() < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        events = audited().await;
    }
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.outcome == "success"), "{events:?}");
    let metrics = scrape_metrics(&s).await;
    assert!(
        metrics.contains("postern_backchannel_logout_attempts_total{outcome=\"delivered\"} 2"),
        "{metrics}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(shop_rx.tokens().len() + parcels_rx.tokens().len(), 2);
}

/// A session at `shop` ended while its receiver (at the address returned) is down; the first
/// attempt has failed.
async fn logged_out_while_the_receiver_is_down() -> (TestServer, SocketAddr, CoreTokenResponse) {
    let s = spawn_with(fast).await;
    s.user(EMAIL).await;
    let addr = unused_addr();
    let shop = client_with(&s, "shop", format!("http://{addr}/backchannel-logout")).await;
    let (_, tokens, browser) = rp::login(
        &s,
        &shop,
        EMAIL,
        &[],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    log_out(&s, &browser, &tokens).await;
    wait_for_attempts(&s, 1).await;
    (s, addr, tokens)
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_token_once_it_is_back() {
    let (s, addr, tokens) = logged_out_while_the_receiver_is_down().await;

    // Back, but failing for a while: another retry.
    let rx = Receiver::on(addr).await;
    rx.answer(Answer::Unavailable);
    s.clock.advance(10);
    rx.wait_for(1).await;
    wait_for_attempts(&s, 2).await;

    rx.answer(Answer::Ok);
    s.clock.advance(30);
    let got = rx.wait_for(2).await;
    let first = verify_logout_token(&s, &got[0], "shop").await;
    let last = verify_logout_token(&s, &got[1], "shop").await;
    assert_eq!(first["jti"], last["jti"], "a retry is the same logout");
    assert_eq!(last["sid"], sid_of(&tokens).as_str());
    eventually_delivered(&s).await;
}

#[tokio::test]
async fn a_restart_between_queueing_and_delivery_loses_nothing() {
    let (s, addr, tokens) = logged_out_while_the_receiver_is_down().await;

    let s = s.restart().await;
    let rx = Receiver::on(addr).await;
    s.clock.advance(10);
    let got = rx.wait_for(1).await;
    let c = verify_logout_token(&s, &got[0], "shop").await;
    assert_eq!(c["sid"], sid_of(&tokens).as_str());
    eventually_delivered(&s).await;
}

#[tokio::test]
async fn a_hung_receiver_never_holds_up_the_logout_page() {
    // A receiver that never answers, and a timeout longer than any test: were the page
    // waiting for the delivery, it would never come.
    let s = spawn_with(|c| c.backchannel_logout.timeout = Duration::from_secs(3600)).await;
    s.user(EMAIL).await;
    let rx = Receiver::start().await;
    rx.answer(Answer::Hang);
    let shop = client_with(&s, "shop", rx.uri()).await;
    let (_, tokens, browser) = rp::login(
        &s,
        &shop,
        EMAIL,
        &[],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    tokio::time::timeout(Duration::from_secs(60), log_out(&s, &browser, &tokens))
        .await
        .expect("the logout page answers while the receiver hangs");
    rx.wait_for(1).await;
}

/// Waits until the one queued delivery has been attempted `n` times (and is not finished).
async fn wait_for_attempts(s: &TestServer, n: u64) {
    wait_for_retries(&[s], n).await;
}

async fn eventually_delivered(s: &TestServer) {
    for _ in 0..500 {
        let c = s.state.stores.logouts.count_logouts().await.unwrap();
        if c.delivered == 1 && c.pending == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the delivery is recorded as delivered");
}

/// A backlog for a receiver that never answers (more deliveries than a batch) does not hold
/// back another client's token: with a timeout longer than the test, the healthy receiver
/// would never be reached if the hung ones had to finish first. (The review found that a
/// batch was awaited whole before the next was claimed.)
#[tokio::test]
async fn a_hung_receiver_does_not_hold_up_another_clients_logouts() {
    use idp::storage::LogoutDelivery;
    let s = spawn_with(|c| {
        c.backchannel_logout.timeout = Duration::from_secs(3600);
        c.backchannel_logout.poll_interval = Duration::from_millis(100);
    })
    .await;
    let hung = Receiver::start().await;
    hung.answer(Answer::Hang);
    let healthy = Receiver::start().await;
    client_with(&s, "hung", hung.uri()).await;
    client_with(&s, "shop", healthy.uri()).await;
    let now = s.state.now();
    let delivery = |i: usize, client: &str, at: i64| LogoutDelivery {
        id: format!("delivery-{client}-{i:04}-0123456789"),
        client_id: client.into(),
        sub: format!("user-{i}"),
        sid: format!("sid-{client}-{i}"),
        created_at: at,
        attempts: 0,
    };
    // A busy receiver's backlog, queued a moment before the other client's token.
    let mut queue: Vec<_> = (0..100).map(|i| delivery(i, "hung", now - 1)).collect();
    queue.push(delivery(0, "shop", now));
    s.state
        .stores
        .logouts
        .enqueue_logouts(&queue)
        .await
        .unwrap();
    s.state.logout_wake.notify_one();
    let got = healthy.wait_for(1).await;
    verify_logout_token(&s, &got[0], "shop").await;
}
