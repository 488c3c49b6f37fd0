//! Everything a request needs, built once at start: configuration, clock, stores, keys and
//! hashers. No globals, so tests build as many independent servers as they like.

use std::sync::Arc;

use crate::{
    config::Config,
    crypto::{
        keys::{KeyError, KeyManager},
        password::PasswordHasher,
        secret::SecretHasher,
    },
    metrics::Metrics,
    notify::{Notifier, NotifyError},
    protocol::discovery,
    storage::{
        StorageError, Stores,
        ephemeral::{Ephemeral, memory::MemoryStore, redis::RedisStore},
        sql::SqlStore,
    },
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
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("database {0}")]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error("keys directory: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Password(#[from] crate::crypto::password::PasswordError),
    #[error("notifications: {0}")]
    Notify(#[from] NotifyError),
    #[error("pages: {0}")]
    Web(String),
}

impl AppState {
    /// Connects the stores (creating or upgrading the schema) and loads or creates the keys.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
        config.validate()?;
        let metrics = Arc::new(Metrics::new());
        let sql = SqlStore::connect(&config.database_url)
            .await?
            .with_error_counter(metrics.store_error_counter("database"));
        sql.migrate().await?;
        let ephemeral: Ephemeral = if config.redis_url.is_empty() {
            Arc::new(MemoryStore::new(clock.clone()))
        } else {
            Arc::new(
                RedisStore::connect(&config.redis_url, &config.redis_prefix)
                    .await?
                    .with_error_counter(metrics.store_error_counter("redis")),
            )
        };
        let keys = KeyManager::load_or_generate(
            &config.keys_dir,
            clock.now(),
            config.key_retention_secs(),
        )?;
        let secrets = SecretHasher::load_or_create(&config.keys_dir)?;
        let passwords = PasswordHasher::new(&config.password)?;
        let discovery = bytes::Bytes::from(discovery::document(&config));
        let notifier = Notifier::from_config(&config)?;
        let webauthn = crate::authn::passkey::relying_party(&config).map(Arc::new);
        let web = Arc::new(crate::web::render::Web::load().map_err(StartError::Web)?);
        Ok(AppState(Arc::new(AppStateInner {
            config: Arc::new(config),
            clock,
            stores: Stores::from_sql(sql.clone()),
            sql,
            ephemeral,
            keys: Arc::new(keys),
            secrets,
            passwords,
            discovery,
            metrics,
            notifier,
            webauthn,
            web,
        })))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// An absolute URL under the issuer.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.issuer, path)
    }
}
