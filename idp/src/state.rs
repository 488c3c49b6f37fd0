//! Everything a request needs, built once at start: configuration, clock, stores, keys and
//! hashers. No globals, so tests build as many independent servers as they like.

use std::sync::Arc;

use crate::{
    config::Config,
    crypto::{keys::KeyManager, password::PasswordHasher, secret::SecretHasher},
    metrics::Metrics,
    notify::Notifier,
    storage::{Stores, ephemeral::Ephemeral, sql::SqlStore},
};

pub use crate::model::{Clock, OffsetClock, SystemClock};

/// What every handler gets: one pointer, so the clones axum makes per request (extractors,
/// middleware) cost a reference count instead of copying a dozen handles.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

pub struct AppStateInner {
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub stores: Stores,
    pub sql: SqlStore,
    pub ephemeral: Ephemeral,
    pub keys: Arc<KeyManager>,
    pub secrets: SecretHasher,
    pub passwords: PasswordHasher,
    /// The discovery document, serialised once; cloning shares it.
    pub discovery: bytes::Bytes,
    pub metrics: Arc<Metrics>,
    pub notifier: Notifier,
    /// The WebAuthn relying party; `None` when the issuer is not on a domain name.
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// Templates and the message catalogue.
    pub web: Arc<crate::web::render::Web>,
    /// The JWK Sets of `private_key_jwt` clients that register a `jwks_uri`, fetched and
    /// cached.
    pub client_jwks: Arc<crate::crypto::client_jwks::ClientJwks>,
    /// Fetches a client's logo, once, when its `logo_uri` is set.
    pub logo_fetcher: Arc<crate::admin::clients::LogoFetcher>,
    /// Wakes this node's back-channel logout sender when a session ending here queued
    /// logout tokens, so they leave at once rather than at its next poll.
    pub logout_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// The state around its parts (`startup` builds them).
    pub(crate) fn new(inner: AppStateInner) -> AppState {
        AppState(Arc::new(inner))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// An absolute URL under the issuer.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.issuer, path)
    }
}
