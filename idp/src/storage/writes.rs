//! A count of writes through this node, for the caches that must forget what they remember
//! when the data under it changes ([`super::grant_cache`], [`super::read_path`]). A cache
//! reads the count before each lookup and keeps the answer with it; an answer kept at an
//! older count is not used again, so a lookup that raced a write is not trusted either.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

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
