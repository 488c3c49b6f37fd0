//! Back-channel logout deliveries.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct BackchannelLogout {
    /// Longest wait for a receiver to answer one logout token.
    #[serde(with = "super::humantime_serde_compat")]
    pub timeout: Duration,
    /// How long a delivery is retried (with growing pauses) before it is given up.
    #[serde(with = "super::humantime_serde_compat")]
    pub retry_for: Duration,
    /// How often each node looks for deliveries that are due: retries, and those queued
    /// by a node that stopped before sending them.
    #[serde(with = "super::humantime_serde_compat")]
    pub poll_interval: Duration,
}

impl Default for BackchannelLogout {
    fn default() -> Self {
        BackchannelLogout {
            timeout: Duration::from_secs(5),
            retry_for: Duration::from_secs(3600),
            poll_interval: Duration::from_secs(5),
        }
    }
}
