//! An example service: a confidential client that authenticates with `private_key_jwt`
//! (a key pair of its own, no shared secret) to get a token by the client credentials grant,
//! and a small API — a resource server — that accepts Postern's access tokens: JWTs it
//! validates locally with Postern's published keys, and opaque tokens it asks Postern about
//! (token introspection, RFC 7662, authenticated the same way).
//!
//! Configuration (`cargo run -p service`), all optional: `SERVICE_ISSUER`
//! (http://127.0.0.1:8080), `SERVICE_CLIENT_ID` (demo-service), `SERVICE_JWKS_LISTEN`
//! (127.0.0.1:9191, where the dev profile's demo clients expect `/jwks`),
//! `SERVICE_API_LISTEN` (127.0.0.1:9192).

pub mod api;
pub mod key;

use std::sync::Arc;

use serde_json::Value;

pub use key::ServiceKey;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The provider's endpoints the service and its API use, from discovery.
#[derive(Clone, Debug)]
pub struct Provider {
    pub issuer: String,
    pub token_endpoint: String,
    pub introspection_endpoint: String,
    pub jwks_uri: String,
}

impl Provider {
    pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Provider, Error> {
        let doc: Value = http
            .get(format!("{issuer}/.well-known/openid-configuration"))
            .send()
            .await
            .map_err(|e| format!("discovery at {issuer} failed (is `idp serve` running?): {e}"))?
            .error_for_status()?
            .json()
            .await?;
        let field = |name: &str| {
            doc[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("discovery has no {name}"))
        };
        let provider = Provider {
            issuer: field("issuer")?,
            token_endpoint: field("token_endpoint")?,
            introspection_endpoint: field("introspection_endpoint")?,
            jwks_uri: field("jwks_uri")?,
        };
        // OIDC Discovery §4.3: the document must be the issuer's own.
        if provider.issuer != issuer {
            return Err(format!("discovery names issuer {}, not {issuer}", provider.issuer).into());
        }
        Ok(provider)
    }
}

/// The client side: who the service is at Postern and how it proves it.
pub struct Service {
    pub client_id: String,
    pub key: Arc<ServiceKey>,
    pub provider: Provider,
    pub http: reqwest::Client,
}

/// A token response of the client credentials grant.
#[derive(Debug)]
pub struct Token {
    pub access_token: String,
    pub expires_in: Option<i64>,
    pub scope: Option<String>,
}

impl Service {
    /// A token for the service itself (RFC 6749 §4.4), authenticated by a signed assertion.
    pub async fn token(&self, scope: Option<&str>) -> Result<Token, Error> {
        let assertion = self
            .key
            .assertion(&self.client_id, &self.provider.token_endpoint)?;
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_assertion_type", key::ASSERTION_TYPE),
            ("client_assertion", assertion.as_str()),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        let resp = self
            .http
            .post(&self.provider.token_endpoint)
            .form(&form)
            .send()
            .await?;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        let Some(access_token) = body["access_token"].as_str() else {
            return Err(format!("the token request failed ({status}): {body}").into());
        };
        Ok(Token {
            access_token: access_token.to_owned(),
            expires_in: body["expires_in"].as_i64(),
            scope: body["scope"].as_str().map(str::to_owned),
        })
    }
}

/// An HTTP client that follows no redirects: the endpoints are the provider's own.
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
}
