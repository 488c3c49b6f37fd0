//! A count of writes through this node, and what a cache remembers against it
//! ([`Remembered`], for [`super::grant_cache`] and [`super::read_path`]). A cache reads the
//! count before each lookup and keeps the answer with it; an answer kept at an older count
//! is not used again, so a lookup that raced a write is not trusted either.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use dashmap::DashMap;

#[derive(Clone, Default)]
pub struct Generation(Arc<AtomicU64>);

impl Generation {
    pub fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Taken before a write: counts it when it ends, or when its request is dropped half-way
    /// (the database may have committed all the same).
    pub fn writing(&self) -> Writing<'_> {
        Writing(&self.0)
    }
}

pub struct Writing<'a>(&'a AtomicU64);

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Records found by id, each trusted for `ttl` and only while the count of writes it was
/// read at is still the count. Bounded: emptied when full, then filled again by the lookups.
pub struct Remembered<T> {
    ttl: Duration,
    entries: DashMap<String, (Instant, u64, Arc<T>)>,
}

/// Records remembered at most, per cache.
const CAPACITY: usize = 65_536;

impl<T: Clone> Remembered<T> {
    pub fn new(ttl: Duration) -> Remembered<T> {
        Remembered {
            ttl,
            entries: DashMap::new(),
        }
    }

    /// The record kept for `id`, if it was read at count `writes` within the TTL.
    pub fn get(&self, id: &str, writes: u64) -> Option<T> {
        let entry = self.entries.get(id)?;
        let (at, read_at, record) = entry.value();
        (*read_at == writes && at.elapsed() < self.ttl).then(|| T::clone(record))
    }

    /// Keeps `record` as read at count `writes` (taken before the lookup).
    pub fn keep(&self, id: &str, writes: u64, record: &T) {
        if self.entries.len() >= CAPACITY {
            self.entries.clear();
        }
        let entry = (Instant::now(), writes, Arc::new(record.clone()));
        self.entries.insert(id.to_owned(), entry);
    }

    pub fn forget(&self, id: &str) {
        self.entries.remove(id);
    }
}
