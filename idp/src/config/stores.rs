//! Where state lives. The database: `database_url`, with an optional replica for reads that
//! may lag (`database.read_url`) and the pool size. The ephemeral store: in process, on one
//! Redis server, on a Redis Cluster, or on the primary that Redis Sentinel names (one of the
//! three Redis keys at most).

use serde::{Deserialize, Serialize};

use super::{Config, ConfigError};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Database {
    /// A PostgreSQL replica of `database_url`, for the reads that tolerate its lag: what
    /// userinfo shows of a person and the catalogue of services. Empty: everything reads
    /// the primary.
    pub read_url: String,
    /// Connections each node keeps at most, to the primary and to the replica each
    /// (PostgreSQL; SQLite has one writer and a few readers).
    pub max_connections: u32,
}

impl Default for Database {
    fn default() -> Self {
        Database {
            read_url: String::new(),
            max_connections: crate::storage::sql::DEFAULT_POOL,
        }
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Database {
    /// Checks `database_url` (the primary) and this section together.
    pub(super) fn validate(&self, primary: &str) -> Result<(), ConfigError> {
        if !(primary.starts_with("sqlite:") || is_postgres(primary)) {
            return Err(ConfigError(format!(
                "database_url: expected sqlite://… or postgres://…, got {primary:?}"
            )));
        }
        let replica_ok =
            self.read_url.is_empty() || (is_postgres(&self.read_url) && is_postgres(primary));
        if !replica_ok {
            return Err(ConfigError(
                "database.read_url: a replica is a postgres://… URL, beside a PostgreSQL \
                 database_url"
                    .into(),
            ));
        }
        if !(1..=1000).contains(&self.max_connections) {
            return Err(ConfigError(
                "database.max_connections: expected 1 to 1000".into(),
            ));
        }
        Ok(())
    }
}

/// The ephemeral store's place, from `redis_url`, `redis_cluster_urls` or
/// `redis_sentinel_urls` with `redis_sentinel_master`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EphemeralAt {
    /// Nothing configured: state lives in this process (one node only).
    InProcess,
    Server(String),
    /// Some of the cluster's nodes; the others are learnt from them.
    Cluster(Vec<String>),
    Sentinel {
        sentinels: Vec<String>,
        primary: String,
    },
}

impl Config {
    /// The ephemeral store's place; an error names the key that is wrong.
    pub fn ephemeral_at(&self) -> Result<EphemeralAt, ConfigError> {
        let cluster = urls("redis_cluster_urls", &self.redis_cluster_urls)?;
        let sentinels = urls("redis_sentinel_urls", &self.redis_sentinel_urls)?;
        let primary = self.redis_sentinel_master.trim();
        let given = [
            !self.redis_url.is_empty(),
            !cluster.is_empty(),
            !sentinels.is_empty(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(ConfigError(
                "redis_url, redis_cluster_urls, redis_sentinel_urls: set one of them, not several"
                    .into(),
            ));
        }
        if sentinels.is_empty() != primary.is_empty() {
            return Err(ConfigError(
                "redis_sentinel_master: the primary's name goes with redis_sentinel_urls, \
                 and neither without the other"
                    .into(),
            ));
        }
        if !self.redis_url.is_empty() {
            check_url("redis_url", &self.redis_url)?;
            return Ok(EphemeralAt::Server(self.redis_url.clone()));
        }
        Ok(if !cluster.is_empty() {
            EphemeralAt::Cluster(cluster)
        } else if !sentinels.is_empty() {
            EphemeralAt::Sentinel {
                sentinels,
                primary: primary.to_owned(),
            }
        } else {
            EphemeralAt::InProcess
        })
    }
}

/// A comma-separated list of Redis URLs (one environment variable can hold it).
fn urls(key: &str, list: &str) -> Result<Vec<String>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(|url| check_url(key, url).map(|()| url.to_owned()))
        .collect()
}

fn check_url(key: &str, url: &str) -> Result<(), ConfigError> {
    if url.starts_with("redis://") || url.starts_with("rediss://") {
        Ok(())
    } else {
        Err(ConfigError(format!(
            "{key}: expected redis://… or rediss://…, got {url:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(adjust: impl FnOnce(&mut Config)) -> Result<EphemeralAt, ConfigError> {
        let mut config = Config::default();
        adjust(&mut config);
        config.ephemeral_at()
    }

    #[test]
    fn each_kind_of_deployment_is_read_from_its_keys() {
        assert_eq!(with(|_| {}).unwrap(), EphemeralAt::InProcess);
        assert_eq!(
            with(|c| c.redis_url = "redis://r:6379/2".into()).unwrap(),
            EphemeralAt::Server("redis://r:6379/2".into())
        );
        assert_eq!(
            with(|c| c.redis_cluster_urls = "redis://a:7000, redis://b:7001,".into()).unwrap(),
            EphemeralAt::Cluster(vec!["redis://a:7000".into(), "redis://b:7001".into()])
        );
        assert_eq!(
            with(|c| {
                c.redis_sentinel_urls = "redis://s1:26379,redis://s2:26379".into();
                c.redis_sentinel_master = "postern".into();
            })
            .unwrap(),
            EphemeralAt::Sentinel {
                sentinels: vec!["redis://s1:26379".into(), "redis://s2:26379".into()],
                primary: "postern".into()
            }
        );
    }

    #[test]
    fn mixed_or_incomplete_redis_keys_are_refused_by_name() {
        let both = with(|c| {
            c.redis_url = "redis://r".into();
            c.redis_cluster_urls = "redis://a:7000".into();
        });
        assert!(both.unwrap_err().0.contains("not several"));
        let no_primary = with(|c| c.redis_sentinel_urls = "redis://s:26379".into());
        assert!(
            no_primary
                .unwrap_err()
                .0
                .starts_with("redis_sentinel_master")
        );
        let no_sentinels = with(|c| c.redis_sentinel_master = "postern".into());
        assert!(
            no_sentinels
                .unwrap_err()
                .0
                .starts_with("redis_sentinel_master")
        );
        let bad = with(|c| c.redis_cluster_urls = "redis://a:7000,http://b".into());
        assert_eq!(
            bad.unwrap_err().0,
            r#"redis_cluster_urls: expected redis://… or rediss://…, got "http://b""#
        );
        let bad = with(|c| c.redis_url = "localhost:6379".into());
        assert!(
            bad.unwrap_err()
                .0
                .starts_with("redis_url: expected redis://")
        );
    }
}
