//! The in-process ephemeral store of the embedded default (one node).

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use dashmap::{DashMap, mapref::entry::Entry};

use super::EphemeralStore;
use crate::{model::Clock, storage::StorageResult};

/// Entries expire by the injected clock (milliseconds), so a test that moves the clock sees
/// codes, challenges and counters expire as a deployment would.
type Millis = i64;

pub struct MemoryStore {
    entries: DashMap<String, (Vec<u8>, Millis)>,
    writes: AtomicU64,
    clock: Arc<dyn Clock>,
}

trait Expiry {
    fn after(self, ttl: Duration) -> Millis;
}

impl Expiry for Millis {
    fn after(self, ttl: Duration) -> Millis {
        self.saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX))
    }
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>) -> MemoryStore {
        MemoryStore {
            entries: DashMap::new(),
            writes: AtomicU64::new(0),
            clock,
        }
    }

    fn now(&self) -> Millis {
        self.clock.now_millis()
    }

    /// Expired entries are dropped lazily on read, and swept every few thousand writes so
    /// that keys nobody reads again do not pile up.
    fn maybe_sweep(&self) {
        if self.writes.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            let now = self.now();
            self.entries.retain(|_, (_, exp)| *exp > now);
        }
    }
}

#[async_trait]
impl EphemeralStore for MemoryStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<()> {
        self.maybe_sweep();
        self.entries
            .insert(key.to_owned(), (value, self.now().after(ttl)));
        Ok(())
    }

    async fn put_if_absent(&self, key: &str, value: Vec<u8>, ttl: Duration) -> StorageResult<bool> {
        self.maybe_sweep();
        let now = self.now();
        match self.entries.entry(key.to_owned()) {
            Entry::Occupied(mut e) if e.get().1 <= now => {
                e.insert((value, now.after(ttl)));
                Ok(true)
            }
            Entry::Occupied(_) => Ok(false),
            Entry::Vacant(e) => {
                e.insert((value, now.after(ttl)));
                Ok(true)
            }
        }
    }

    async fn get(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let now = self.now();
        Ok(self
            .entries
            .get(key)
            .filter(|e| e.1 > now)
            .map(|e| e.0.clone()))
    }

    async fn take(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        let now = self.now();
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
        let now = self.now();
        // The entry API holds the shard lock, so read-modify-write is one atomic step.
        // Counters are ASCII decimal, as Redis keeps them, so `get` reads the same on both.
        let mut entry = self
            .entries
            .entry(key.to_owned())
            .or_insert_with(|| (b"0".to_vec(), now.after(ttl)));
        if entry.1 <= now {
            *entry = (b"0".to_vec(), now.after(ttl));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OffsetClock;

    #[tokio::test]
    async fn entries_expire_by_the_injected_clock() {
        let clock = Arc::new(OffsetClock::default());
        let store = MemoryStore::new(clock.clone());
        let minute = Duration::from_secs(60);
        store.put("code", b"1".to_vec(), minute).await.unwrap();
        assert_eq!(store.incr("count", minute).await.unwrap(), 1);
        assert!(
            store
                .put_if_absent("sent", b"1".to_vec(), minute)
                .await
                .unwrap()
        );
        clock.advance(59);
        assert!(store.get("code").await.unwrap().is_some());
        assert!(
            !store
                .put_if_absent("sent", b"1".to_vec(), minute)
                .await
                .unwrap()
        );
        clock.advance(2);
        assert_eq!(store.get("code").await.unwrap(), None);
        assert_eq!(store.take("code").await.unwrap(), None);
        assert_eq!(
            store.incr("count", minute).await.unwrap(),
            1,
            "a new window"
        );
        assert!(
            store
                .put_if_absent("sent", b"1".to_vec(), minute)
                .await
                .unwrap()
        );
    }
}
