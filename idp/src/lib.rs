//! Postern: an OpenID Connect identity provider.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod authn;
pub mod config;
pub mod crypto;
pub mod http;
pub mod metrics;
pub mod notify;
pub mod orgs;
pub mod protocol;
pub mod state;
pub mod storage;
pub mod web;

use std::{sync::Arc, time::Duration};

use axum::Router;

pub use config::Config;
pub use state::AppState;

/// The whole application as a router: testable without a socket.
pub fn app(state: AppState) -> Router {
    http::router(state)
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
