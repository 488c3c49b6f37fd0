//! An example native app (RFC 8252): a command-line program that signs in with Postern by
//! the authorization code flow with PKCE S256 and a loopback redirect, keeps its tokens in
//! memory only, shows userinfo, refreshes on demand, and logs out by revoking its refresh
//! token (RFC 7009). It is a public client: it has no secret, since anything shipped in a
//! program can be read out of it.
//!
//! The core is [`App`], which the binary (`postern-cli`) drives from the terminal and the
//! tests drive with a scripted browser.

mod loopback;

use std::borrow::Cow;

use openidconnect::{
    AccessToken, AuthorizationCode, ClientId, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl,
    RefreshToken, Scope,
    core::{
        CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm,
        CoreProviderMetadata, CoreUserInfoClaims,
    },
};
use serde_json::Value;

pub use loopback::Callback;

type Error = Box<dyn std::error::Error + Send + Sync>;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Where the app finds its provider and how it is registered there.
pub struct Settings {
    pub issuer: String,
    pub client_id: String,
    /// Scopes besides `openid`; `offline_access` is what earns a refresh token.
    pub scopes: Vec<String>,
}

/// What the app asks for by default.
pub const DEFAULT_SCOPES: &str = "profile email offline_access";

/// The tokens of the signed-in person, in memory only: nothing is written to disk, so they
/// end with the process. (The secret types of `openidconnect` redact them in `Debug`.)
pub struct Tokens {
    pub access_token: AccessToken,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: CoreIdToken,
    /// The ID token's claims, as validated at sign-in.
    pub claims: Value,
}

pub struct App {
    client: Client,
    http: openidconnect::reqwest::Client,
    issuer: String,
    /// Revocation is a plain form POST: `openidconnect` (through `oauth2`) refuses an http
    /// endpoint even on the loopback interface, where the development server listens.
    revocation: url::Url,
    scopes: Vec<String>,
    tokens: Option<Tokens>,
}

/// A sign-in under way: the URL to open, and the loopback listener waiting for its callback.
pub struct SignIn {
    pub url: url::Url,
    listener: loopback::Listener,
    nonce: Nonce,
    verifier: openidconnect::PkceCodeVerifier,
}

fn algs() -> Vec<CoreJwsSigningAlgorithm> {
    vec![
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EdDsa,
    ]
}

impl App {
    /// Reads the provider's discovery document.
    pub async fn discover(s: Settings) -> Result<App, Error> {
        // Redirects off: the crate's advice against SSRF through discovery.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .build()?;
        let metadata =
            CoreProviderMetadata::discover_async(IssuerUrl::new(s.issuer.clone())?, &http)
                .await
                .map_err(|e| {
                    format!(
                        "discovery at {} failed (is `idp serve` running?): {e}",
                        s.issuer
                    )
                })?;
        // The core metadata type has no revocation_endpoint; read it from the raw document.
        let raw: Value = http
            .get(format!("{}/.well-known/openid-configuration", s.issuer))
            .send()
            .await?
            .json()
            .await?;
        let revocation = raw["revocation_endpoint"]
            .as_str()
            .ok_or("the provider has no revocation endpoint")?;
        let revocation = url::Url::parse(revocation)?;
        // RFC 7009 §2: https. The development server on this machine is the one exception.
        let loopback = matches!(
            revocation.host_str(),
            Some("127.0.0.1" | "[::1]" | "localhost")
        );
        if revocation.scheme() != "https" && !loopback {
            return Err(format!("the revocation endpoint {revocation} is not https").into());
        }
        let client_id = ClientId::new(s.client_id);
        let client = CoreClient::from_provider_metadata(metadata, client_id, None);
        Ok(App {
            client,
            revocation,
            http,
            issuer: s.issuer,
            scopes: s.scopes,
            tokens: None,
        })
    }

    /// Opens the loopback listener and builds the authorization URL for it.
    pub async fn begin_sign_in(&self) -> Result<SignIn, Error> {
        let state = CsrfToken::new_random();
        let listener = loopback::listen(state.secret(), &self.issuer).await?;
        let redirect = RedirectUrl::new(listener.redirect_uri.clone())?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, _, nonce) = self
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || state,
                Nonce::new_random,
            )
            .set_redirect_uri(Cow::Owned(redirect))
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        Ok(SignIn {
            url,
            listener,
            nonce,
            verifier,
        })
    }

    /// Waits for the browser to come back, redeems the code and validates the ID token.
    pub async fn finish_sign_in(&mut self, mut s: SignIn) -> Result<&Tokens, Error> {
        let code = match s.listener.wait().await? {
            Callback::Code(code) => code,
            Callback::Error(e) => return Err(format!("sign-in did not complete: {e}").into()),
        };
        let redirect = RedirectUrl::new(s.listener.redirect_uri.clone())?;
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))?
            .set_redirect_uri(Cow::Owned(redirect))
            .set_pkce_verifier(s.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| format!("the code exchange failed: {e}"))?;
        let id_token = response
            .extra_fields()
            .id_token()
            .ok_or("the provider returned no ID token")?
            .clone();
        let verifier = self.client.id_token_verifier().set_allowed_algs(algs());
        let claims = serde_json::to_value(id_token.claims(&verifier, &s.nonce)?)?;
        Ok(self.tokens.insert(Tokens {
            access_token: response.access_token().clone(),
            refresh_token: response.refresh_token().cloned(),
            id_token,
            claims,
        }))
    }

    pub fn tokens(&self) -> Option<&Tokens> {
        self.tokens.as_ref()
    }

    fn signed_in(&self) -> Result<&Tokens, Error> {
        self.tokens.as_ref().ok_or_else(|| "not signed in".into())
    }

    /// The userinfo endpoint's claims for the current access token.
    pub async fn userinfo(&self) -> Result<Value, Error> {
        let t = self.signed_in()?;
        let claims: CoreUserInfoClaims = self
            .client
            .user_info(t.access_token.clone(), None)?
            .request_async(&self.http)
            .await
            .map_err(|e| format!("userinfo failed: {e}"))?;
        Ok(serde_json::to_value(claims)?)
    }

    /// Trades the refresh token for new tokens. Postern rotates refresh tokens, so the new
    /// one replaces the old, which is spent.
    pub async fn refresh(&mut self) -> Result<&Tokens, Error> {
        let t = self.signed_in()?;
        let rt = t
            .refresh_token
            .as_ref()
            .ok_or("no refresh token (ask for offline_access)")?;
        let response = self
            .client
            .exchange_refresh_token(rt)?
            .request_async(&self.http)
            .await
            .map_err(|e| format!("refreshing failed: {e}"))?;
        let t = self.tokens.as_mut().ok_or("not signed in")?;
        t.access_token = response.access_token().clone();
        if let Some(rt) = response.refresh_token() {
            t.refresh_token = Some(rt.clone());
        }
        if let Some(id) = response.extra_fields().id_token() {
            // No nonce in a refreshed ID token (OIDC Core §12.2): everything else is checked.
            let verifier = self.client.id_token_verifier().set_allowed_algs(algs());
            t.claims = serde_json::to_value(id.claims(&verifier, |_: Option<&Nonce>| Ok(()))?)?;
            t.id_token = id.clone();
        }
        Ok(t)
    }

    /// Revokes the refresh token (RFC 7009; at Postern that ends the whole grant, with its
    /// access tokens) and forgets every token. Without a refresh token the access token is
    /// revoked instead. A public client authenticates by its `client_id` alone (§2.1).
    pub async fn log_out(&mut self) -> Result<(), Error> {
        let Some(t) = self.tokens.take() else {
            return Ok(());
        };
        let (token, hint) = match &t.refresh_token {
            Some(rt) => (rt.secret().as_str(), "refresh_token"),
            None => (t.access_token.secret().as_str(), "access_token"),
        };
        let resp = self
            .http
            .post(self.revocation.clone())
            .form(&[
                ("token", token),
                ("token_type_hint", hint),
                ("client_id", self.client.client_id().as_str()),
            ])
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(format!("revocation failed: {}", resp.status()).into());
        }
        Ok(())
    }
}
