//! Relying-party administration.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Clients {
    /// How long a client's previous secret keeps working after a rotation, so its servers
    /// can move to the new one without an outage; `0s` ends it at once. A second rotation
    /// ends the first one's grace at once (only one previous secret is kept).
    #[serde(with = "super::humantime_serde_compat")]
    pub secret_rotation_grace: Duration,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            secret_rotation_grace: Duration::from_secs(24 * 3600),
        }
    }
}
