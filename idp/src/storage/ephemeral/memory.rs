//! The in-process ephemeral store of the embedded default (one node).

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use async_trait::async_trait;
use dashmap::{DashMap, mapref::entry::Entry};
use tokio::time::Instant;

use super::EphemeralStore;
use crate::storage::StorageResult;

#[derive(Default)]
pub struct MemoryStore {
    entries: DashMap<String, (Vec<u8>, Instant)>,
    writes: AtomicU64,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Expired entries are dropped lazily on read, and swept every few thousand writes so
    /// that keys nobody reads again do not pile up.
    fn maybe_sweep(&self) {
        if self.writes.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            let now = Instant::now();
            self.entries.retain(|_, (_, exp)| *exp > now);
        }
    }
}

#[async_trait]
impl EphemeralStore for MemoryStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<()> {
        self.maybe_sweep();
        self.entries
            .insert(key.to_owned(), (value, Instant::now() + ttl));
        Ok(())
    }

    async fn put_if_absent(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<bool> {
        self.maybe_sweep();
        let now = Instant::now();
        match self.entries.entry(key.to_owned()) {
            Entry::Occupied(mut e) if e.get().1 <= now => {
                e.insert((value, now + ttl));
                Ok(true)
            }
            Entry::Occupied(_) => Ok(false),
            Entry::Vacant(e) => {
                e.insert((value, now + ttl));
                Ok(true)
            }
        }
    }

    async fn get(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let now = Instant::now();
        Ok(self
            .entries
            .get(key)
            .filter(|e| e.1 > now)
            .map(|e| e.0.clone()))
    }

    async fn take(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let now = Instant::now();
        Ok(self
            .entries
            .remove(key)
            .filter(|(_, (_, exp))| *exp > now)
            .map(|(_, (v, _))| v))
    }

    async fn delete(&self, key: &str) -> StorageResult<()> {
        self.entries.remove(key);
        Ok(())
    }

    async fn incr(&self, key: &str, ttl: Duration) -> StorageResult<u64> {
        self.maybe_sweep();
        let now = Instant::now();
        // The entry API holds the shard lock, so read-modify-write is one atomic step.
        // Counters are ASCII decimal, as Redis keeps them, so `get` reads the same on both.
        let mut entry = self
            .entries
            .entry(key.to_owned())
            .or_insert_with(|| (b"0".to_vec(), now + ttl));
        if entry.1 <= now {
            *entry = (b"0".to_vec(), now + ttl);
        }
        let current: u64 = std::str::from_utf8(&entry.0)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let next = current + 1;
        entry.0 = next.to_string().into_bytes();
        Ok(next)
    }

    async fn ping(&self) -> StorageResult<()> {
        Ok(())
    }
}
