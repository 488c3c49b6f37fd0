use std::time::Duration;

use postern_tests::*;

use crate::flow::{REDIRECT, VERIFIER, auth_url, code_of, token};
use serde_json::Value;

#[tokio::test]
async fn two_nodes_on_postgres_and_redis_behave_as_one() {
    let (a, b) = crate::flow::two_nodes().await;
    a.client(ClientSpec::confidential("shop")).await;
    let user = a.user("anna@post.test").await;
    let browser = Browser::new();

    // Sign in on A.
    let landing = browser
        .sign_in(&a.url, &auth_url(&a.url, ""), "anna@post.test", PASSWORD)
        .await;
    let first_code = code_of(landing);
    let (status, first) = token(
        &a.url,
        &[
            ("grant_type", "authorization_code"),
            ("code", &first_code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{first}");

    // Silent authorization on B sees the session made on A; B redeems its code.
    let code = code_of(
        browser
            .open(&b.url, &auth_url(&b.url, "&prompt=none"))
            .await,
    );
    let (status, tokens) = token(
        &b.url,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let id_token = tokens["id_token"].as_str().unwrap().to_owned();
    let (claims, _) = a
        .state
        .keys
        .current()
        .verify(&id_token)
        .expect("A verifies B's token: same keys");
    assert_eq!(claims["sub"], user.id.as_str());
    assert_eq!(
        claims["iss"],
        a.url.as_str(),
        "both nodes speak for one issuer"
    );

    // A code redeemed on A cannot be replayed on B, and the replay revokes what A issued.
    let (status, err) = token(
        &b.url,
        &[
            ("grant_type", "authorization_code"),
            ("code", &first_code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = token(
        &a.url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        status, 400,
        "tokens of a replayed code are revoked on every node"
    );

    // Rotate on B, replay the old refresh token on A: refused, and the family is revoked.
    let old_refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, rotated) = token(
        &b.url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", old_refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    let (status, err) = token(
        &a.url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", old_refresh),
        ],
    )
    .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = token(
        &b.url,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rotated["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        status, 400,
        "the newest token of a replayed family is dead too"
    );

    // Logout on A ends the session on B.
    let logout = format!(
        "{}/logout?id_token_hint={id_token}&post_logout_redirect_uri=https://rp.test/bye&state=bye",
        a.url
    );
    match browser.open(&a.url, &logout).await {
        Landing::Client(url) => assert_eq!(url.as_str(), "https://rp.test/bye?state=bye"),
        Landing::Page(s, html) => panic!("logout did not redirect: {s} {html}"),
    }
    match browser
        .open(&b.url, &auth_url(&b.url, "&prompt=none"))
        .await
    {
        Landing::Client(url) => assert_eq!(
            query(&url).get("error").map(String::as_str),
            Some("login_required")
        ),
        Landing::Page(s, html) => panic!("{s} {html}"),
    }
}

#[tokio::test]
async fn a_key_rotated_on_one_node_reaches_the_other_without_restart() {
    let (a, b) = crate::flow::two_nodes().await;
    let _reloader = idp::spawn_key_reloader(&b.state, Duration::from_millis(100));

    let kids = a.state.keys.rotate(a.state.now(), 3600).unwrap();
    let jwks_has = |jwks: &Value, kid: &str| {
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == kid)
    };
    let mut seen = false;
    for _ in 0..50 {
        let jwks: Value = reqwest::get(format!("{}/jwks", b.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if kids.iter().all(|k| jwks_has(&jwks, k)) {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen, "node B publishes the keys rotated on node A");
    // Published before use: B does not sign with them during the lead time.
    let signed = b
        .state
        .keys
        .current()
        .sign(
            idp::protocol::types::SigningAlg::ES256,
            "JWT",
            Default::default(),
        )
        .unwrap();
    let header = josekit::jwt::decode_header(&signed).unwrap();
    let kid = header
        .claim("kid")
        .and_then(Value::as_str)
        .unwrap()
        .to_owned();
    assert!(
        !kids.contains(&kid),
        "a next key must not sign before its activation"
    );
}

/// Grants are remembered for a moment (`storage::grant_cache`): a revocation through a node
/// stops the token there at once, and on the other node within the cache's lifetime.
#[tokio::test]
async fn a_grant_revoked_on_one_node_stops_there_at_once_and_on_the_other_within_a_second() {
    let (a, b) = crate::flow::two_nodes().await;
    a.client(ClientSpec::confidential("shop")).await;
    let anna = a.user("anna@post.test").await;
    let code = code_of(
        Browser::new()
            .sign_in(&a.url, &auth_url(&a.url, ""), "anna@post.test", PASSWORD)
            .await,
    );
    let (status, tokens) = crate::flow::redeem(&a.url, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let status_at = |node: &TestServer| {
        let url = format!("{}/userinfo", node.url);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(access)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Both nodes have looked the grant up, so both remember it.
    assert_eq!((status_at(&a).await, status_at(&b).await), (200, 200));

    a.state
        .stores
        .grants
        .revoke_user_grants(&anna.id, a.state.now())
        .await
        .unwrap();
    assert_eq!(
        status_at(&a).await,
        401,
        "the revoking node forgets at once"
    );
    let revoked = std::time::Instant::now();
    while status_at(&b).await != 401 {
        assert!(
            revoked.elapsed() < idp::storage::grant_cache::GRANT_TTL * 3,
            "the other node still answers {:?} after the revocation",
            revoked.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
