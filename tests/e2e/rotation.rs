//! Refresh tokens that name their grant (`<grant id>.<secret>`, so a rotation stores its
//! successor in the same round trip as the consumption): the whole string is checked, the
//! tokens of the form before still rotate (the long way, as the metrics show; the usual
//! case goes the prepared way), and two renewals at once rotate one token once.

use openidconnect::{
    OAuth2TokenResponse, RefreshToken, RequestTokenError,
    core::{CoreErrorResponseType, CoreJwsSigningAlgorithm},
};
use postern_tests::*;

use crate::rp::{self, http};

async fn renew(c: &rp::Client, rt: &str) -> Result<String, CoreErrorResponseType> {
    match c
        .exchange_refresh_token(&RefreshToken::new(rt.to_owned()))
        .unwrap()
        .request_async(&http())
        .await
    {
        Ok(t) => Ok(t.refresh_token().expect("rotated").secret().clone()),
        Err(RequestTokenError::ServerResponse(e)) => Err(e.error().clone()),
        Err(e) => panic!("{e:?}"),
    }
}

/// Signs `email` in to shop with `offline_access`; the refresh token.
async fn signed_in(s: &TestServer, c: &rp::Client, email: &str) -> String {
    let (_, tokens, _) = rp::login(
        s,
        c,
        email,
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    tokens
        .refresh_token()
        .expect("offline_access")
        .secret()
        .clone()
}

/// A server with the confidential client shop and anna; the client.
async fn shop() -> (TestServer, rp::Client) {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    (s, c)
}

/// Refresh tokens rotated so far the prepared way and the long way, from the metrics.
async fn rotations(s: &TestServer) -> (u64, u64) {
    let text = scrape_metrics(s).await;
    let count = |way: &str| {
        let line = format!("postern_refresh_rotations_total{{way=\"{way}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&line))
            .map_or(0, |n| n.parse().expect("a count"))
    };
    (count("prepared"), count("long"))
}

fn grant_of(token: &str) -> &str {
    token.rsplit_once('.').expect("<grant id>.<secret>").0
}

#[tokio::test]
async fn a_refresh_token_names_its_grant_and_is_checked_whole() {
    let (s, c) = shop().await;
    s.user("ben@post.test").await;
    let first = signed_in(&s, &c, "anna@post.test").await;
    let grant = s.state.stores.grants.find_grant(grant_of(&first)).await;
    let grant = grant.unwrap().expect("the token names its grant");
    let anna = s
        .state
        .stores
        .users
        .find_user_by_email("anna@post.test")
        .await;
    assert_eq!(grant.user_id, anna.unwrap().map(|u| u.id));
    assert_eq!(grant.client_id, "shop");

    // Another grant's id before this secret, this grant's id before another secret, the
    // secret alone: unknown tokens, and the real one is not burned by them.
    let ben = signed_in(&s, &c, "ben@post.test").await;
    let secret = first.rsplit_once('.').unwrap().1;
    for forged in [
        format!("{}.{secret}", grant_of(&ben)),
        format!("{}.{}", grant.id, ben.rsplit_once('.').unwrap().1),
        secret.to_owned(),
        format!("{first}.x"),
    ] {
        let r = renew(&c, &forged).await;
        assert_eq!(r, Err(CoreErrorResponseType::InvalidGrant), "{forged}");
    }
    let second = renew(&c, &first)
        .await
        .expect("the real token still renews");
    assert_eq!(grant_of(&second), grant.id, "the successor names the grant");
    renew(&c, &ben).await.expect("ben's family is untouched");
    // Both went the prepared way: the successor stored with the consumption.
    assert_eq!(rotations(&s).await, (2, 0));
}

#[tokio::test]
async fn a_refresh_token_of_the_form_before_still_rotates() {
    let (s, c) = shop().await;
    let issued = signed_in(&s, &c, "anna@post.test").await;
    let grant = s.state.stores.grants.find_grant(grant_of(&issued)).await;
    let grant = grant.unwrap().unwrap();
    // A token as they were issued before: a bare secret, no grant id in front.
    let old = "an-old-refresh-token-without-its-grant";
    let now = s.state.now();
    let record = idp::storage::RefreshToken {
        token_hash: idp::crypto::token_hash(old),
        grant_id: grant.id.clone(),
        client_id: "shop".into(),
        scope: grant.scope.clone(),
        created_at: now,
        expires_at: now + 3600,
        used_at: None,
        jkt: None,
    };
    s.state
        .stores
        .grants
        .insert_refresh_token(&record)
        .await
        .unwrap();
    let next = renew(&c, old).await.expect("the old form rotates");
    assert_eq!(grant_of(&next), grant.id, "into the new form");
    assert_eq!(rotations(&s).await, (0, 1), "the long way: no grant named");
    // And it is single-use as ever: back again, it revokes the family.
    assert_eq!(
        renew(&c, old).await,
        Err(CoreErrorResponseType::InvalidGrant)
    );
    assert_eq!(
        renew(&c, &next).await,
        Err(CoreErrorResponseType::InvalidGrant),
        "the family is revoked"
    );
}

#[tokio::test]
async fn two_renewals_of_one_token_at_once_rotate_it_once() {
    let (s, c) = shop().await;
    let first = signed_in(&s, &c, "anna@post.test").await;
    // Sent together; whether the server takes them at once or one after the other, one
    // gets a successor (the storage suite races ten rotations inside one store).
    let (a, b) = tokio::join!(renew(&c, &first), renew(&c, &first));
    let won: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
    assert_eq!(won.len(), 1, "exactly one renewal gets a successor");
    // The other presented a used token: a replay, which revokes the family, the winner's
    // successor included (RFC 9700 §4.14.2).
    assert_eq!(
        renew(&c, &won[0]).await,
        Err(CoreErrorResponseType::InvalidGrant)
    );
}
