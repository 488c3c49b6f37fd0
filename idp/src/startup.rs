//! Building the application state from the configuration: the one place that knows every
//! part (stores, keys, hashers, notifiers, WebAuthn, pages), so that no part has to know the
//! state that holds it.

use std::sync::Arc;

use crate::{
    config::{Config, EphemeralAt},
    crypto::{
        client_jwks::ClientJwks,
        keys::{KeyError, KeyManager},
        password::PasswordHasher,
        secret::SecretHasher,
    },
    metrics::Metrics,
    notify::{Notifier, NotifyError},
    protocol::discovery,
    state::{AppState, AppStateInner, Clock},
    storage::{
        StorageError, Stores,
        ephemeral::{Ephemeral, memory::MemoryStore, redis::RedisStore},
        sql::SqlStore,
    },
};

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
    #[error("HTTP client: {0}")]
    Http(String),
}

impl AppState {
    /// Connects the stores (creating or upgrading the schema) and loads or creates the keys.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
        config.validate()?;
        let metrics = Arc::new(Metrics::new());
        let pool = config.database.max_connections;
        let sql = SqlStore::connect_with(&config.database_url, pool)
            .await?
            .with_error_counter(metrics.store_error_counter("database"));
        sql.migrate().await?;
        let replica = match config.database.read_url.as_str() {
            "" => None,
            url => Some(
                SqlStore::connect_replica(url, pool)
                    .await?
                    .with_error_counter(metrics.store_error_counter("replica")),
            ),
        };
        let prefix = &config.redis_prefix;
        let redis = match config.ephemeral_at()? {
            EphemeralAt::InProcess => None,
            EphemeralAt::Server(url) => Some(RedisStore::connect(&url, prefix).await?),
            EphemeralAt::Cluster(nodes) => Some(RedisStore::connect_cluster(&nodes, prefix).await?),
            EphemeralAt::Sentinel { sentinels, primary } => {
                Some(RedisStore::connect_sentinel(&sentinels, &primary, prefix).await?)
            }
        };
        let ephemeral: Ephemeral = match redis {
            Some(redis) => Arc::new(redis.with_error_counter(metrics.store_error_counter("redis"))),
            None => Arc::new(MemoryStore::new(clock.clone())),
        };
        let keys =
            KeyManager::load_or_generate(&config.keys_dir, clock.now(), config.key_retention())?;
        let secrets = SecretHasher::load_or_create(&config.keys_dir)?;
        let passwords = PasswordHasher::new(&config.password)?;
        let discovery = bytes::Bytes::from(discovery::document(&config));
        let notifier = Notifier::from_config(&config)?;
        let webauthn = crate::authn::passkey::relying_party(&config).map(Arc::new);
        let web =
            Arc::new(crate::web::render::Web::load_with(&config.ui).map_err(StartError::Web)?);
        let client_jwks = Arc::new(ClientJwks::new().map_err(StartError::Http)?);
        let logo_fetcher = Arc::new(
            crate::admin::clients::LogoFetcher::new(config.clients.logo_uri_loopback)
                .map_err(StartError::Http)?,
        );
        Ok(AppState::new(AppStateInner {
            config: Arc::new(config),
            clock,
            stores: Stores::with_replica(sql.clone(), replica),
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
            client_jwks,
            logo_fetcher,
            logout_wake: Arc::default(),
        }))
    }
}
