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
    /// A `logo_uri` may name the loopback interface (127.0.0.0/8, ::1, localhost), over
    /// plain http too: for development and tests, whose logo servers run on this machine.
    /// Off, a logo is fetched over https from a public address only, so registering a
    /// client cannot make Postern reach its own or its neighbours' internal services.
    pub logo_uri_loopback: bool,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            secret_rotation_grace: Duration::from_secs(24 * 3600),
            logo_uri_loopback: false,
        }
    }
}
