//! The Redis ephemeral store, shared by every node of a deployment.

use std::time::Duration;

use async_trait::async_trait;
use prometheus_client::metrics::counter::Counter;
use redis::{AsyncCommands, Script, aio::ConnectionManager};

use super::EphemeralStore;
use crate::storage::{StorageError, StorageResult};

pub struct RedisStore {
    conn: ConnectionManager,
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
    /// Every key is put under `prefix`, so deployments (and tests) can share one Redis.
    pub async fn connect(url: &str, prefix: &str) -> StorageResult<RedisStore> {
        let client = redis::Client::open(url).map_err(map_err)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        let conn = ConnectionManager::new_lazy_with_config(client, config).map_err(map_err)?;
        Ok(RedisStore {
            conn,
            errors: Counter::default(),
            prefix: prefix.to_owned(),
            // INCR and the first EXPIRE in one server-side step: a crash between them can
            // never leave a counter without a TTL.
            incr_script: Script::new(
                "local v = redis.call('INCR', KEYS[1]) \
                 if v == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end \
                 return v",
            ),
        })
    }

    /// Counts failures on `counter` (see `metrics`).
    pub fn with_error_counter(mut self, counter: Counter) -> RedisStore {
        self.errors = counter;
        self
    }

    fn fail(&self, e: redis::RedisError) -> StorageError {
        self.errors.inc();
        map_err(e)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }
}

#[async_trait]
impl EphemeralStore for RedisStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<()> {
        let mut c = self.conn.clone();
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
        let mut c = self.conn.clone();
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
        let mut c = self.conn.clone();
        c.get(self.key(key)).await.map_err(|e| self.fail(e))
    }

    async fn take(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let mut c = self.conn.clone();
        redis::cmd("GETDEL")
            .arg(self.key(key))
            .query_async(&mut c)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn delete(&self, key: &str) -> StorageResult<()> {
        let mut c = self.conn.clone();
        c.del::<_, ()>(self.key(key))
            .await
            .map_err(|e| self.fail(e))
    }

    async fn incr(&self, key: &str, ttl: Duration) -> StorageResult<u64> {
        let mut c = self.conn.clone();
        self.incr_script
            .key(self.key(key))
            .arg(millis(ttl))
            .invoke_async(&mut c)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn ping(&self) -> StorageResult<()> {
        let mut c = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }
}
