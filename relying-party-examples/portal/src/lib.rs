//! An example relying party: a small portal that signs in with Postern through the
//! `openidconnect` crate (code flow + PKCE), shows the ID token's claims and userinfo, and
//! signs out with RP-initiated logout.
//!
//! Configuration, all optional (the defaults match `idp serve`'s dev-profile demo client):
//! `PORTAL_ISSUER` (http://127.0.0.1:8080), `PORTAL_CLIENT_ID` (demo-portal),
//! `PORTAL_CLIENT_SECRET` (demo-portal-secret), `PORTAL_LISTEN` (127.0.0.1:9090),
//! `PORTAL_BASE_URL` (http://127.0.0.1:9090; the redirect URI is `<base>/callback`),
//! `PORTAL_SCOPES` (scopes besides `openid`, space-separated; `profile email phone`).

mod pages;

use std::sync::Arc;

use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
};
use dashmap::DashMap;
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, RedirectUrl, Scope,
    core::{
        CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm,
        CoreProviderMetadata, CoreUserInfoClaims,
    },
};
use serde::Deserialize;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the portal remembers between the redirect out and the callback.
struct Pending {
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

/// A signed-in visitor of the portal.
struct Visit {
    id_token: CoreIdToken,
    claims: serde_json::Value,
    userinfo: serde_json::Value,
}

struct Portal {
    client: Client,
    http: openidconnect::reqwest::Client,
    end_session: Option<EndSessionUrl>,
    base_url: String,
    scopes: Vec<String>,
    /// Keyed by the `state` value of the authorization request.
    pending: DashMap<String, Pending>,
    /// Keyed by the portal's own session cookie.
    visits: DashMap<String, Visit>,
}

const COOKIE: &str = "portal_session";

/// What the portal asks for by default: the person's name, address and phone.
pub const DEFAULT_SCOPES: &str = "profile email phone";

/// Where the portal finds its provider and how it is registered there.
pub struct Settings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The portal's own URL; the redirect URI is `<base_url>/callback`.
    pub base_url: String,
    /// Scopes asked for besides `openid` (`PORTAL_SCOPES`, space-separated).
    pub scopes: Vec<String>,
}

impl Settings {
    /// From `PORTAL_*` variables, defaulting to `idp serve`'s dev-profile demo client.
    pub fn from_env() -> Settings {
        Settings {
            issuer: env("PORTAL_ISSUER", "http://127.0.0.1:8080"),
            client_id: env("PORTAL_CLIENT_ID", "demo-portal"),
            client_secret: env("PORTAL_CLIENT_SECRET", "demo-portal-secret"),
            base_url: env("PORTAL_BASE_URL", "http://127.0.0.1:9090"),
            scopes: env("PORTAL_SCOPES", DEFAULT_SCOPES)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }
}

pub fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// Discovers the provider and returns the portal's routes.
pub async fn app(s: Settings) -> Result<Router, Box<dyn std::error::Error + Send + Sync>> {
    // Redirects off: the crate's advice against SSRF through discovery.
    let http = openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()?;
    let issuer = s.issuer;
    let metadata = CoreProviderMetadata::discover_async(IssuerUrl::new(issuer.clone())?, &http)
        .await
        .map_err(|e| format!("discovery at {issuer} failed (is `idp serve` running?): {e}"))?;
    // openidconnect's core metadata type has no end_session_endpoint; read it separately.
    let raw: serde_json::Value = http
        .get(format!("{issuer}/.well-known/openid-configuration"))
        .send()
        .await?
        .json()
        .await?;
    let end_session = raw["end_session_endpoint"]
        .as_str()
        .and_then(|u| EndSessionUrl::new(u.into()).ok());
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(s.client_id),
        Some(ClientSecret::new(s.client_secret)),
    )
    .set_redirect_uri(RedirectUrl::new(format!("{}/callback", s.base_url))?);
    let portal = Arc::new(Portal {
        client,
        http,
        end_session,
        base_url: s.base_url,
        scopes: s.scopes,
        pending: DashMap::new(),
        visits: DashMap::new(),
    });
    Ok(Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/logout", get(logout))
        .with_state(portal))
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::COOKIE)?.to_str().ok()?;
    raw.split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

async fn home(State(p): State<Arc<Portal>>, headers: HeaderMap) -> Html<String> {
    let visit = session_id(&headers).and_then(|id| p.visits.get(&id));
    Html(match visit {
        Some(v) => pages::signed_in(&v.claims, &v.userinfo),
        None => pages::signed_out(),
    })
}

async fn login(State(p): State<Arc<Portal>>) -> Redirect {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = p
        .client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scopes(p.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .url();
    p.pending
        .insert(state.secret().clone(), Pending { nonce, verifier });
    Redirect::to(url.as_str())
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn problem(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Html(pages::error(&msg.into()))).into_response()
}

async fn callback(State(p): State<Arc<Portal>>, Query(cb): Query<Callback>) -> Response {
    if let Some(error) = cb.error {
        return problem(format!(
            "Sign-in did not complete: {error} {}",
            cb.error_description.unwrap_or_default()
        ));
    }
    let (Some(code), Some(state)) = (cb.code, cb.state) else {
        return problem("The callback carries neither a code nor an error.");
    };
    // Single use: the pending request is removed whether or not the rest succeeds.
    let Some((_, pending)) = p.pending.remove(&state) else {
        return problem("Unknown or already used state; start again.");
    };
    let exchange = match p.client.exchange_code(AuthorizationCode::new(code)) {
        Ok(req) => req.set_pkce_verifier(pending.verifier),
        Err(e) => return problem(format!("The provider has no token endpoint: {e}")),
    };
    let tokens = match exchange.request_async(&p.http).await {
        Ok(t) => t,
        Err(e) => return problem(format!("The code exchange failed: {e}")),
    };
    let Some(id_token) = tokens.extra_fields().id_token().cloned() else {
        return problem("The provider returned no ID token.");
    };
    let verifier = p.client.id_token_verifier().set_allowed_algs(vec![
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EdDsa,
    ]);
    let claims = match id_token.claims(&verifier, &pending.nonce) {
        Ok(c) => serde_json::to_value(c).unwrap_or_default(),
        Err(e) => return problem(format!("The ID token is not valid: {e}")),
    };
    let userinfo: serde_json::Value = match p.client.user_info(tokens.access_token().clone(), None)
    {
        Ok(req) => match req.request_async(&p.http).await {
            Ok(info) => {
                let info: CoreUserInfoClaims = info;
                serde_json::to_value(info).unwrap_or_default()
            }
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        },
        Err(_) => serde_json::Value::Null,
    };
    let sid = CsrfToken::new_random().secret().clone();
    p.visits.insert(
        sid.clone(),
        Visit {
            id_token,
            claims,
            userinfo,
        },
    );
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"))
    {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

async fn logout(State(p): State<Arc<Portal>>, headers: HeaderMap) -> Response {
    let visit = session_id(&headers).and_then(|id| p.visits.remove(&id).map(|(_, v)| v));
    let clear = HeaderValue::from_static("portal_session=; Path=/; HttpOnly; Max-Age=0");
    let target = match (visit, &p.end_session) {
        (Some(v), Some(end)) => {
            let mut req = LogoutRequest::from(end.clone()).set_id_token_hint(&v.id_token);
            if let Ok(back) = PostLogoutRedirectUrl::new(format!("{}/", p.base_url)) {
                req = req.set_post_logout_redirect_uri(back);
            }
            req.http_get_url().to_string()
        }
        _ => "/".to_owned(),
    };
    let mut r = Redirect::to(&target).into_response();
    r.headers_mut().insert(header::SET_COOKIE, clear);
    r
}
