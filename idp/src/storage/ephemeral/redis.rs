//! The Redis ephemeral store, shared by every node of a deployment: one server, a Redis
//! Cluster, or a primary that Redis Sentinel names.

use std::time::Duration;

use async_trait::async_trait;
use prometheus_client::metrics::counter::Counter;
use redis::{AsyncCommands, Script};

use super::EphemeralStore;
use crate::storage::{StorageError, StorageResult};

mod link;
use link::Link;

pub struct RedisStore {
    link: Link,
    /// Failed calls, exported as `postern_store_errors_total{store="redis"}`.
    errors: Counter,
    prefix: String,
    incr_script: Script,
}

fn map_err(e: redis::RedisError) -> StorageError {
    if e.is_io_error() || e.is_connection_refusal() || e.is_timeout() || e.is_connection_dropped() {
        StorageError::Unavailable(e.to_string())
    } else {
        StorageError::Internal(e.to_string())
    }
}

fn millis(ttl: Duration) -> u64 {
    (ttl.as_millis() as u64).max(1)
}

impl RedisStore {
    /// One Redis server (`redis://host:port/db`). Every key is put under `prefix`, so
    /// deployments (and tests) can share one Redis.
    pub async fn connect(url: &str, prefix: &str) -> StorageResult<RedisStore> {
        Ok(RedisStore::with_link(Link::direct(url)?, prefix))
    }

    /// A Redis Cluster, known by some of its nodes: the store learns the others and which
    /// holds which slot, and follows slots that move. Each operation touches one key, so
    /// every one of them works on a cluster as on one server.
    pub async fn connect_cluster(nodes: &[String], prefix: &str) -> StorageResult<RedisStore> {
        Ok(RedisStore::with_link(Link::cluster(nodes)?, prefix))
    }

    /// The primary that the Sentinels at `sentinels` name for `primary`, asked again when
    /// it stops answering or has become a replica (a failover). The user, password and
    /// database of the first Sentinel address are used for the primary too.
    pub async fn connect_sentinel(
        sentinels: &[String],
        primary: &str,
        prefix: &str,
    ) -> StorageResult<RedisStore> {
        Ok(RedisStore::with_link(
            Link::sentinel(sentinels, primary)?,
            prefix,
        ))
    }

    fn with_link(link: Link, prefix: &str) -> RedisStore {
        RedisStore {
            link,
            errors: Counter::default(),
            prefix: prefix.to_owned(),
            // INCR and the first EXPIRE in one server-side step: a crash between them can
            // never leave a counter without a TTL. One key, so it runs on a cluster too.
            incr_script: Script::new(
                "local v = redis.call('INCR', KEYS[1]) \
                 if v == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end \
                 return v",
            ),
        }
    }

    /// Counts failures on `counter` (see `metrics`).
    pub fn with_error_counter(mut self, counter: Counter) -> RedisStore {
        self.errors = counter;
        self
    }

    fn fail(&self, e: redis::RedisError) -> StorageError {
        self.errors.inc();
        self.link.failed(&e);
        map_err(e)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    async fn conn(&self) -> StorageResult<link::Conn> {
        self.link.conn().await.map_err(|e| self.fail(e))
    }
}

#[async_trait]
impl EphemeralStore for RedisStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<()> {
        let mut c = self.conn().await?;
        redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut c)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn put_if_absent(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<bool> {
        let mut c = self.conn().await?;
        let res: Option<String> = redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut c)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.is_some())
    }

    async fn get(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let mut c = self.conn().await?;
        c.get(self.key(key)).await.map_err(|e| self.fail(e))
    }

    async fn take(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let mut c = self.conn().await?;
        redis::cmd("GETDEL")
            .arg(self.key(key))
            .query_async(&mut c)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn delete(&self, key: &str) -> StorageResult<()> {
        let mut c = self.conn().await?;
        c.del::<_, ()>(self.key(key))
            .await
            .map_err(|e| self.fail(e))
    }

    async fn incr(&self, key: &str, ttl: Duration) -> StorageResult<u64> {
        let mut c = self.conn().await?;
        self.incr_script
            .key(self.key(key))
            .arg(millis(ttl))
            .invoke_async(&mut c)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn ping(&self) -> StorageResult<()> {
        let mut c = self.conn().await?;
        // On a cluster PING goes to one node; the slots' owners answer the calls above.
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }
}
