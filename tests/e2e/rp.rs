//! A relying party built on the `openidconnect` crate, as a real service would use it.

use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    core::{
        CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreJwsSigningAlgorithm,
        CoreProviderMetadata, CoreTokenResponse,
    },
};
use postern_tests::*;

/// The HTTP client the crate uses; redirects off, as its documentation asks (SSRF).
pub fn http() -> openidconnect::reqwest::Client {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

pub type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

pub async fn metadata(s: &TestServer) -> CoreProviderMetadata {
    CoreProviderMetadata::discover_async(IssuerUrl::new(s.url.clone()).unwrap(), &http())
        .await
        .expect("discovery")
}

/// A client of `spec`'s id and secret, configured from discovery alone.
pub async fn client(s: &TestServer, id: &str, secret: Option<&str>) -> Client {
    CoreClient::from_provider_metadata(
        metadata(s).await,
        ClientId::new(id.into()),
        secret.map(|x| ClientSecret::new(x.into())),
    )
    .set_redirect_uri(RedirectUrl::new("https://rp.test/cb".into()).unwrap())
}

pub fn secret_of(id: &str) -> String {
    format!("{id}-secret-0123456789abcdef")
}

/// One started authorization request: what the RP keeps in its session.
pub struct Started {
    pub url: url::Url,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

pub fn start(c: &Client, scopes: &[&str], extra: &[(&str, &str)]) -> Started {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut req = c
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for sc in scopes {
        req = req.add_scope(Scope::new((*sc).into()));
    }
    for (k, v) in extra {
        req = req.add_extra_param(*k, *v);
    }
    let (url, state, nonce) = req.url();
    Started {
        url,
        state,
        nonce,
        verifier,
    }
}

/// The code of a redirect back to the RP, after checking `state` and `iss`.
pub fn code_from(s: &TestServer, started: &Started, landing: Landing) -> String {
    let Landing::Client(url) = landing else {
        panic!("expected a redirect to the client, got {landing:?}")
    };
    let q = query(&url);
    assert_eq!(q.get("state"), Some(started.state.secret()), "{url}");
    assert_eq!(q.get("iss"), Some(&s.url), "RFC 9207 iss: {url}");
    q.get("code")
        .unwrap_or_else(|| panic!("no code in {url}"))
        .clone()
}

pub async fn exchange(c: &Client, code: &str, verifier: PkceCodeVerifier) -> CoreTokenResponse {
    c.exchange_code(AuthorizationCode::new(code.into()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .expect("code exchange")
}

/// Signs `email` in through a fresh browser and returns the validated ID token claims and
/// the token response.
pub async fn login(
    s: &TestServer,
    c: &Client,
    email: &str,
    scopes: &[&str],
    algs: Vec<CoreJwsSigningAlgorithm>,
) -> (CoreIdTokenClaims, CoreTokenResponse, Browser) {
    let browser = Browser::new();
    let started = start(c, scopes, &[]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), email, PASSWORD)
        .await;
    let code = code_from(s, &started, landing);
    let tokens = exchange(c, &code, started.verifier).await;
    let verifier = c.id_token_verifier().set_allowed_algs(algs);
    let claims = tokens
        .extra_fields()
        .id_token()
        .expect("an ID token")
        .claims(&verifier, &started.nonce)
        .expect("a valid ID token")
        .clone();
    let _ = tokens.access_token();
    (claims, tokens, browser)
}

/// The usual start: client `shop` and user `anna@post.test` signed in (RS256 ID token) with
/// `scopes`.
pub async fn anna_at_shop(
    s: &TestServer,
    scopes: &[&str],
) -> (Client, CoreIdTokenClaims, CoreTokenResponse, Browser) {
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    let c = client(s, "shop", Some(&secret_of("shop"))).await;
    let (claims, tokens, browser) = login(
        s,
        &c,
        "anna@post.test",
        scopes,
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    (c, claims, tokens, browser)
}

/// Asserts that neither token of `tokens` works any more: the refresh token is refused at
/// `/token` and the access token at `/userinfo` (401).
pub async fn assert_tokens_refused(s: &TestServer, c: &Client, tokens: &CoreTokenResponse) {
    let refreshed = c
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&http())
        .await;
    assert!(refreshed.is_err(), "the refresh token is refused");
    let info = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401, "the access token too");
}
