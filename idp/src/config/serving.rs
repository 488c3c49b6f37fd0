//! How the server meets the network: request limits and proxies, rate limits, and where
//! the metrics are served.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::ConfigError;
use crate::model::net::IpRange;

/// Requests per `window`; past them: 429 with Retry-After. Every per-address limit counts
/// an IPv6 /64 as one address (`model::net::AddressGroup`).
///
/// The per-address limits are sized for many people behind one address (a company's NAT,
/// a post office's counter terminals): the guard of an account is its own limit and the
/// lockout, the guard of a client its own failure counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RateLimit {
    #[serde(with = "super::humantime_serde_compat")]
    pub window: Duration,
    pub sign_in_per_ip: u32,
    pub sign_in_per_identifier: u32,
    pub code_per_ip: u32,
    pub registration_per_ip: u32,
    pub recovery_per_ip: u32,
    /// Live password-policy checks (`POST /password/check`) as the user types.
    pub password_check_per_ip: u32,
    /// Failed client authentications (token, introspection, revocation) of one client id
    /// from one address, after which that client id is refused from that address until
    /// the window ends.
    pub client_auth_failures_per_ip: u32,
    /// Failed client authentications of one client id from anywhere. Past it, an address
    /// that failed for that client id in this window is refused; an address that did not
    /// fail (the client's own servers) still authenticates.
    pub client_auth_failures_per_client: u32,
    /// Sign-in transactions started from one address (each is kept for
    /// `session.login_ttl`), so that nobody can fill the store without signing in.
    pub sign_in_starts_per_ip: u32,
    /// User codes tried on the device verification page (`/device`) from one address.
    pub device_code_per_ip: u32,
    /// User codes tried on the device verification page from everywhere together: with
    /// many addresses, guessing a live code must still take longer than codes live.
    pub device_code_global: u32,
}

impl RateLimit {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.device_code_per_ip == 0 || self.device_code_global == 0 {
            return Err(ConfigError(
                "rate_limit.device_code_per_ip and rate_limit.device_code_global: at least 1 \
                 (0 would shut the device verification page)"
                    .into(),
            ));
        }
        Ok(())
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            window: Duration::from_secs(60),
            sign_in_per_ip: 600,
            sign_in_per_identifier: 20,
            code_per_ip: 600,
            registration_per_ip: 10,
            recovery_per_ip: 10,
            password_check_per_ip: 120,
            client_auth_failures_per_ip: 20,
            client_auth_failures_per_client: 100,
            sign_in_starts_per_ip: 300,
            device_code_per_ip: 20,
            device_code_global: 1000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Http {
    /// Largest request body accepted, in bytes (413 past it).
    pub body_limit: usize,
    /// Proxies (addresses or CIDR ranges) allowed to tell the client address in
    /// `X-Forwarded-For`. Requests from anywhere else are attributed to their own peer.
    pub trusted_proxies: Vec<IpRange>,
    /// Bind `listen` with SO_REUSEPORT, so several nodes on one host share its address and
    /// the kernel spreads the connections over them (and a new node can start before the
    /// old one stops). Any process of the same system user may then join the address too.
    /// Off: a second node on the same address fails to start.
    pub reuse_port: bool,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            body_limit: 64 * 1024,
            trusted_proxies: Vec::new(),
            reuse_port: false,
        }
    }
}

/// Where `/metrics` is served. Off unless configured: the counters tell who signs in how
/// often and how many attempts fail, which is the monitoring network's business, and no
/// default can be right for every deployment (a default listener collides when several
/// nodes share a host; a default token would be a published secret).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Metrics {
    /// An address of its own (`127.0.0.1:9464`), reachable only from the monitoring
    /// network. Empty: none.
    pub listen: String,
    /// On the main listener, behind `Authorization: Bearer <token>`. Empty: not there.
    /// With `listen` set, the token is asked for there too.
    pub token: String,
}

impl Metrics {
    /// The shortest token accepted: it is a password a scraper sends with every request.
    const MIN_TOKEN: usize = 32;

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !self.listen.is_empty() && self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError(format!(
                "metrics.listen: expected an address like 127.0.0.1:9464 or empty, got {:?}",
                self.listen
            )));
        }
        if !self.token.is_empty() && self.token.len() < Self::MIN_TOKEN {
            return Err(ConfigError(format!(
                "metrics.token: at least {} characters (a random string), or empty",
                Self::MIN_TOKEN
            )));
        }
        Ok(())
    }
}
