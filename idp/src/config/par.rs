//! Pushed authorization requests (RFC 9126).

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Par {
    /// Every client must push its authorization requests first (discovery's
    /// `require_pushed_authorization_requests`); a client can be held to it on its own.
    pub required: bool,
    /// How long a `request_uri` may wait for the browser to bring it to `/authorize`.
    #[serde(with = "super::humantime_serde_compat")]
    pub ttl: Duration,
}

impl Default for Par {
    fn default() -> Self {
        Par {
            required: false,
            ttl: Duration::from_secs(60),
        }
    }
}
