//! Short-lived state with a time to live: SSO sessions, authorization codes, sign-in
//! transactions, revoked access token ids, counters.
//!
//! Keys are built by the callers from hashes of secrets, never from the secrets themselves.
//! `take` is the atomic get-and-delete that makes codes and challenges single use.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use serde::{Serialize, de::DeserializeOwned};

use super::{StorageError, StorageResult};

pub mod memory;
pub mod redis;

#[async_trait]
pub trait EphemeralStore: Send + Sync {
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<()>;
    /// Stores only when the key is absent; true when this call stored it.
    async fn put_if_absent(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<bool>;
    async fn get(&self, key: &str) -> StorageResult<Option<Vec<u8>>>;
    /// Returns and removes the value in one atomic step.
    async fn take(&self, key: &str) -> StorageResult<Option<Vec<u8>>>;
    async fn delete(&self, key: &str) -> StorageResult<()>;
    /// Adds one and returns the new count; the TTL starts with the first increment.
    async fn incr(&self, key: &str, ttl: Duration) -> StorageResult<u64>;
    async fn ping(&self) -> StorageResult<()>;
}

pub type Ephemeral = Arc<dyn EphemeralStore>;

fn encode<T: Serialize>(v: &T) -> StorageResult<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| StorageError::Internal(format!("encode: {e}")))
}

fn decode<T: DeserializeOwned>(raw: Option<Vec<u8>>) -> StorageResult<Option<T>> {
    raw.map(|b| serde_json::from_slice(&b))
        .transpose()
        .map_err(|e| StorageError::Internal(format!("decode: {e}")))
}

/// Typed access on top of the byte store.
pub async fn put_json<T: Serialize + Sync>(
    store: &dyn EphemeralStore,
    key: &str,
    value: &T,
    ttl: Duration,
) -> StorageResult<()> {
    store.put(key, encode(value)?, ttl).await
}

pub async fn get_json<T: DeserializeOwned>(
    store: &dyn EphemeralStore,
    key: &str,
) -> StorageResult<Option<T>> {
    decode(store.get(key).await?)
}

pub async fn take_json<T: DeserializeOwned>(
    store: &dyn EphemeralStore,
    key: &str,
) -> StorageResult<Option<T>> {
    decode(store.take(key).await?)
}
