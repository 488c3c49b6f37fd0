//! Postern: an OpenID Connect identity provider.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod authn;
pub mod backchannel;
pub mod config;
pub mod crypto;
pub mod http;
pub mod legacy;
pub mod metrics;
pub mod model;
pub mod notices;
pub mod notify;
pub mod orgs;
pub mod outbound;
pub mod protocol;
pub mod ratelimit;
pub mod startup;
pub mod state;
pub mod storage;
pub mod web;

use std::{sync::Arc, time::Duration};

pub use config::Config;
pub use state::AppState;

/// The whole application as a router: testable without a socket.
pub fn app(state: AppState) -> http::Router {
    http::router(state)
}

/// Background work of a serving node: checkpoints the SQLite write-ahead log every
/// `every`, so requests never do (see [`storage::sql::SqlStore::checkpoint`]).
pub fn spawn_wal_checkpointer(state: &AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    let sql = state.sql.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = sql.checkpoint().await {
                tracing::warn!(error = %e, "write-ahead log checkpoint failed");
            }
        }
    })
}

/// Background work of a serving node: re-reads the keys directory so a rotation made by
/// `idp keys rotate` (or another node) is picked up, and a next key activates on time.
pub fn spawn_key_reloader(state: &AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    let keys = Arc::clone(&state.keys);
    let clock = Arc::clone(&state.clock);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = keys.reload(clock.now()) {
                tracing::error!(error = %e, "reloading signing keys failed; keeping the current set");
            }
        }
    })
}
