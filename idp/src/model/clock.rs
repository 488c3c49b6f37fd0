//! Time as a parameter, so tests can move it: every expiry Postern decides itself (sessions,
//! codes, the in-process ephemeral store) reads this clock, never the system's directly.

use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;

    /// Milliseconds since the Unix epoch, for expiries shorter than a second apart.
    fn now_millis(&self) -> i64 {
        self.now() * 1000
    }
}

pub struct SystemClock;

fn system_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        system_millis() / 1000
    }

    fn now_millis(&self) -> i64 {
        system_millis()
    }
}

/// The system clock shifted by an adjustable offset (tests).
#[derive(Default)]
pub struct OffsetClock {
    offset: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> i64 {
        SystemClock.now() + self.offset.load(Ordering::SeqCst)
    }

    fn now_millis(&self) -> i64 {
        system_millis() + self.offset.load(Ordering::SeqCst) * 1000
    }
}
