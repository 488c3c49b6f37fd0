//! An example relying party: a small portal that signs in with Postern through the
//! `openidconnect` crate (code flow + PKCE), shows the ID token's claims and userinfo, steps
//! up to two factors, switches the organisation it acts for, signs out with RP-initiated
//! logout, and is signed out by Postern through back-channel logout.
//!
//! Configuration, all optional (the defaults match `idp serve`'s dev-profile demo client):
//! `PORTAL_ISSUER` (http://127.0.0.1:8080), `PORTAL_CLIENT_ID` (demo-portal),
//! `PORTAL_CLIENT_SECRET` (demo-portal-secret), `PORTAL_LISTEN` (127.0.0.1:9090),
//! `PORTAL_BASE_URL` (http://127.0.0.1:9090; the redirect URI is `<base>/callback`),
//! `PORTAL_SCOPES` (scopes besides `openid`, space-separated; `profile email phone`).

pub mod backchannel;
mod pages;
mod signin;

use std::sync::Arc;

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use dashmap::DashMap;
use openidconnect::{
    ClientId, ClientSecret, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, LogoutRequest, Nonce, PkceCodeVerifier, PostLogoutRedirectUrl, RedirectUrl,
    core::{CoreClient, CoreIdToken, CoreProviderMetadata},
};
use provider_keys::ProviderKeys;

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
    /// The `acr` asked for, which the ID token must then show.
    acr: Option<&'static str>,
}

/// A signed-in visitor of the portal.
struct Visit {
    id_token: CoreIdToken,
    /// The ID token's claims, all of them (`sid`, `org_*` included).
    claims: serde_json::Value,
    userinfo: serde_json::Value,
    /// Postern's session (`sid`) and the person (`sub`): what a logout token names.
    sid: Option<String>,
    sub: String,
}

struct Portal {
    client: Client,
    http: openidconnect::reqwest::Client,
    end_session: Option<EndSessionUrl>,
    base_url: String,
    scopes: Vec<String>,
    /// The provider's `acr` values, weakest first (Postern lists them so in discovery).
    acr_order: Vec<String>,
    backchannel: backchannel::Receiver,
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
    let acr_order = raw["acr_values_supported"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let jwks_uri = raw["jwks_uri"]
        .as_str()
        .ok_or("discovery has no jwks_uri")?
        .to_owned();
    let keys_http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let end_session = raw["end_session_endpoint"]
        .as_str()
        .and_then(|u| EndSessionUrl::new(u.into()).ok());
    let backchannel = backchannel::Receiver {
        keys: ProviderKeys::new(jwks_uri, keys_http),
        issuer: issuer.clone(),
        client_id: s.client_id.clone(),
    };
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
        acr_order,
        backchannel,
        pending: DashMap::new(),
        visits: DashMap::new(),
    });
    Ok(Router::new()
        .route("/", get(home))
        .route("/login", get(signin::login))
        .route("/step-up", get(signin::step_up))
        .route("/switch-organisation", get(signin::switch_organisation))
        .route("/callback", get(signin::callback))
        .route("/logout", get(logout))
        .route("/backchannel-logout", post(backchannel::receive))
        .with_state(portal))
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::COOKIE)?.to_str().ok()?;
    raw.split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

impl Portal {
    /// Whether `acr` is `wanted` or stronger, by the provider's order. An unknown value is
    /// not strong enough.
    fn acr_at_least(&self, acr: &str, wanted: &str) -> bool {
        let rank = |a: &str| self.acr_order.iter().position(|x| x == a);
        matches!((rank(acr), rank(wanted)), (Some(got), Some(want)) if got >= want)
    }
}

/// Seconds since the epoch: the clock logout tokens' `exp` is compared with.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

async fn home(State(p): State<Arc<Portal>>, headers: HeaderMap) -> Html<String> {
    let visit = session_id(&headers).and_then(|id| p.visits.get(&id));
    Html(match visit {
        Some(v) => {
            let acr = v.claims["acr"].as_str().unwrap_or_default();
            let strong = p.acr_at_least(acr, signin::TWO_FACTORS);
            pages::signed_in(&v.claims, &v.userinfo, strong)
        }
        None => pages::signed_out(),
    })
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
