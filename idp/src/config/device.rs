//! The device authorization grant (RFC 8628): how long a device may wait for its person, and
//! how often it may ask.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Device {
    /// How long a device code and its user code stay valid (`expires_in`): the time a
    /// person has to walk to a phone or computer and confirm.
    #[serde(with = "super::humantime_serde_compat")]
    pub ttl: Duration,
    /// The least time between two polls of the token endpoint (`interval`); a device that
    /// polls sooner is told `slow_down` and its interval grows by 5 seconds.
    #[serde(with = "super::humantime_serde_compat")]
    pub interval: Duration,
}

impl Default for Device {
    fn default() -> Self {
        Device {
            ttl: Duration::from_secs(600),
            interval: Duration::from_secs(5),
        }
    }
}
