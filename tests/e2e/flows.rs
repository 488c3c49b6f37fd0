//! Code + PKCE, ID tokens per algorithm, userinfo, refresh rotation and code replay, all
//! through the `openidconnect` crate.

use openidconnect::{
    AccessToken, OAuth2TokenResponse, RefreshToken, RequestTokenError,
    core::{CoreErrorResponseType, CoreJwsSigningAlgorithm, CoreUserInfoClaims},
};
use postern_tests::*;

use crate::rp::{self, http};

#[tokio::test]
async fn code_pkce_login_gives_a_valid_id_token_and_userinfo() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let user = s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (claims, tokens, _) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &["email", "profile"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    assert_eq!(claims.subject().as_str(), user.id);
    assert_eq!(claims.issuer().as_str(), s.url);
    assert!(claims.auth_time().is_some(), "auth_time is always present");
    assert_eq!(claims.email().map(|e| e.as_str()), Some("anna@post.test"));
    assert!(tokens.refresh_token().is_none(), "no offline_access asked");

    let info: CoreUserInfoClaims = c
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http())
        .await
        .expect("userinfo");
    assert_eq!(info.email().map(|e| e.as_str()), Some("anna@post.test"));
    let given = info
        .given_name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str());
    assert_eq!(given, Some("Anna"));
}

#[tokio::test]
async fn id_tokens_verify_with_es256_and_eddsa_clients() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    for (id, alg, core) in [
        (
            "es",
            idp::protocol::types::SigningAlg::ES256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        ),
        (
            "ed",
            idp::protocol::types::SigningAlg::EdDSA,
            CoreJwsSigningAlgorithm::EdDsa,
        ),
    ] {
        let mut spec = ClientSpec::confidential(id);
        spec.id_token_alg = Some(alg);
        s.client(spec).await;
        let c = rp::client(&s, id, Some(&rp::secret_of(id))).await;
        let (claims, _, _) = rp::login(&s, &c, "anna@post.test", &[], vec![core.clone()]).await;
        assert_eq!(claims.audiences()[0].as_str(), id);
        // The same token must not pass a verifier that only allows RS256.
        let browser = Browser::new();
        let started = rp::start(&c, &[], &[]);
        let landing = browser
            .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
            .await;
        let code = rp::code_from(&s, &started, landing);
        let tokens = rp::exchange(&c, &code, started.verifier).await;
        let strict = c
            .id_token_verifier()
            .set_allowed_algs(vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]);
        assert!(
            tokens
                .extra_fields()
                .id_token()
                .unwrap()
                .claims(&strict, &started.nonce)
                .is_err(),
            "{id}: the algorithm is really {core:?}"
        );
    }
}

type TokenResult = Result<
    openidconnect::core::CoreTokenResponse,
    RequestTokenError<
        openidconnect::HttpClientError<openidconnect::reqwest::Error>,
        openidconnect::StandardErrorResponse<CoreErrorResponseType>,
    >,
>;

/// The refresh token grant, as the service `c` sends it.
async fn renew(c: &rp::Client, rt: &RefreshToken) -> TokenResult {
    c.exchange_refresh_token(rt)
        .unwrap()
        .request_async(&http())
        .await
}

fn is_invalid_grant<E: std::error::Error>(
    r: &Result<
        openidconnect::core::CoreTokenResponse,
        RequestTokenError<E, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
    >,
) -> bool {
    matches!(r, Err(RequestTokenError::ServerResponse(e)) if *e.error() == CoreErrorResponseType::InvalidGrant)
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replay_revokes_the_family() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (_, tokens, _) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let first: RefreshToken = tokens.refresh_token().expect("offline_access").clone();
    let refreshed = renew(&c, &first).await.expect("refresh");
    let second = refreshed.refresh_token().expect("rotated").clone();
    assert_ne!(
        second.secret(),
        first.secret(),
        "a new refresh token each use"
    );
    assert_ne!(
        refreshed.access_token().secret(),
        tokens.access_token().secret()
    );

    // The first token comes back: it is refused and the whole family dies with it.
    let replay = renew(&c, &first).await;
    assert!(is_invalid_grant(&replay), "{replay:?}");
    let after = renew(&c, &second).await;
    assert!(is_invalid_grant(&after), "the family is revoked: {after:?}");
}

async fn userinfo_status(s: &TestServer, token: &AccessToken) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(token.secret())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_its_tokens() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let browser = Browser::new();
    let started = rp::start(&c, &["offline_access"], &[]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    let verifier = started.verifier.secret().clone();
    let tokens = rp::exchange(
        &c,
        &code,
        openidconnect::PkceCodeVerifier::new(verifier.clone()),
    )
    .await;
    assert_eq!(
        userinfo_status(&s, tokens.access_token()).await.status(),
        200
    );

    let replay = c
        .exchange_code(openidconnect::AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(openidconnect::PkceCodeVerifier::new(verifier))
        .request_async(&http())
        .await;
    assert!(is_invalid_grant(&replay), "{replay:?}");

    let r = userinfo_status(&s, tokens.access_token()).await;
    assert_eq!(
        r.status(),
        401,
        "the access token of the replayed code is revoked"
    );
    let challenge = r.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains("invalid_token"), "{challenge}");
    let refresh = renew(&c, tokens.refresh_token().unwrap()).await;
    assert!(is_invalid_grant(&refresh), "so is its refresh token");
}

#[tokio::test]
async fn a_wrong_pkce_verifier_is_invalid_grant() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let browser = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    let wrong = openidconnect::PkceCodeVerifier::new("x".repeat(64));
    let r = c
        .exchange_code(openidconnect::AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(wrong)
        .request_async(&http())
        .await;
    assert!(is_invalid_grant(&r), "{r:?}");
}

#[tokio::test]
async fn a_public_client_signs_in_with_pkce_and_no_secret() {
    let s = spawn().await;
    let mut spec = ClientSpec::confidential("app");
    spec.public = true;
    spec.secret = None;
    s.client(spec).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "app", None).await;
    let (claims, tokens, _) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    assert_eq!(claims.audiences()[0].as_str(), "app");
    let rt = tokens.refresh_token().expect("public clients may refresh");
    renew(&c, rt).await.expect("refresh without a secret");

    // Without PKCE a public client gets no code at all.
    let url = format!(
        "{}/authorize?client_id=app&redirect_uri=https://rp.test/cb&response_type=code&scope=openid&state=s1",
        s.url
    );
    let Landing::Client(back) = Browser::new().open(&s.url, &url).await else {
        panic!("an error redirect to the registered URI")
    };
    let q = query(&back);
    assert_eq!(q["error"], "invalid_request", "{back}");
    assert_eq!(q["state"], "s1");
}

/// A third-party client that got hold of a service's refresh token neither gets tokens
/// with it nor burns it: the owner still renews, and its family is not revoked.
#[tokio::test]
async fn another_clients_refresh_token_is_refused_and_left_to_its_owner() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.client(ClientSpec::confidential("thief")).await;
    s.user("anna@post.test").await;
    let owner = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let thief = rp::client(&s, "thief", Some(&rp::secret_of("thief"))).await;
    let (_, tokens, _) = rp::login(
        &s,
        &owner,
        "anna@post.test",
        &["offline_access"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let rt: RefreshToken = tokens.refresh_token().expect("offline_access").clone();
    let stolen = renew(&thief, &rt).await;
    assert!(is_invalid_grant(&stolen), "{stolen:?}");
    let renewed = renew(&owner, &rt)
        .await
        .expect("the owner's token was not burnt");
    let next = renewed.refresh_token().expect("rotated").clone();
    renew(&owner, &next)
        .await
        .expect("the family was not revoked");
}
