//! Configuration: built-in defaults < `config/default.toml` < `--config FILE` < `IDP_*` env.
//!
//! Nested keys use `__` in the environment (`IDP_SIGNING__ACCESS_TOKEN_ALG`). Every value is
//! checked by [`Config::validate`] so a bad deployment stops at start-up with a message naming
//! the key, instead of failing on the first request.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::model::oauth::SigningAlg;

mod assurance;
mod clients;
mod device;
mod dpop;
mod humantime_serde_compat;
mod logout;
mod migration;
mod par;
mod serving;
mod stores;
mod ui;
pub use assurance::Assurance;
pub use clients::Clients;
pub use device::Device;
pub use dpop::Dpop;
pub use logout::BackchannelLogout;
pub use migration::{LegacyService, Migration};
pub use par::Par;
pub use serving::{Http, Metrics, RateLimit};
pub use stores::{Database, EphemeralAt};
pub use ui::{Colors, FooterLinks, UiSettings};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// The issuer identifier: the exact `iss` of every token and the base of every URL.
    pub issuer: String,
    pub listen: String,
    pub database_url: String,
    /// The database's read path and pool.
    #[serde(default)]
    pub database: Database,
    /// One Redis server for short-lived state. Empty, with the two below empty too, means
    /// the in-process store ([`EphemeralAt`]).
    pub redis_url: String,
    /// A Redis Cluster instead: some of its nodes, comma-separated.
    pub redis_cluster_urls: String,
    /// Redis Sentinel instead: the Sentinels, comma-separated, and the primary's name.
    pub redis_sentinel_urls: String,
    pub redis_sentinel_master: String,
    /// Put before every Redis key, so several deployments or tests can share one Redis.
    pub redis_prefix: String,
    pub keys_dir: PathBuf,
    pub outbox_dir: PathBuf,
    /// `dev` seeds a demo client and user at start; `prod` seeds nothing.
    pub profile: Profile,
    pub signing: Signing,
    pub tokens: Tokens,
    pub session: Session,
    pub password: Password,
    pub http: Http,
    pub log: Log,
    pub smtp: Smtp,
    pub sms: Sms,
    pub lockout: Lockout,
    pub password_policy: PasswordPolicy,
    pub authn: Authn,
    pub rate_limit: RateLimit,
    pub metrics: Metrics,
    /// Longest a request waits for an email or SMS to be handed over.
    #[serde(with = "humantime_serde_compat")]
    pub notify_timeout: Duration,
    pub accounts: Accounts,
    pub clients: Clients,
    #[serde(default)]
    pub assurance: Assurance,
    #[serde(default)]
    pub migration: Migration,
    #[serde(default)]
    pub backchannel_logout: BackchannelLogout,
    #[serde(default)]
    pub par: Par,
    #[serde(default)]
    pub dpop: Dpop,
    pub device: Device,
    /// The operator's look of the pages.
    pub ui: UiSettings,
}

/// Self-service accounts: registration, recovery and deletion.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accounts {
    /// The version of the terms a new account accepts (stored with the account).
    pub terms_version: String,
    /// Where the terms of that version are published.
    pub terms_url: String,
    /// How long a registration may wait for its SMS code and email link.
    #[serde(with = "humantime_serde_compat")]
    pub registration_ttl: Duration,
    /// Lifetime of the emailed forgotten-password link.
    #[serde(with = "humantime_serde_compat")]
    pub reset_link_ttl: Duration,
    /// The calling code (`+41`) put before a national mobile number (`079 123 45 67`);
    /// empty accepts international numbers only.
    pub default_calling_code: String,
    /// How long a deleted account is kept (disabled) before its data is erased.
    #[serde(with = "humantime_serde_compat")]
    pub deletion_grace: Duration,
    /// How recent the second factor must be for a change of email address or mobile
    /// number; an older one is asked for again (Keycloak's re-authentication age).
    #[serde(with = "humantime_serde_compat")]
    pub step_up_max_age: Duration,
    /// How long a temporary password handed over by an administrator (at a counter) may
    /// be used for the first sign-in.
    #[serde(with = "humantime_serde_compat")]
    pub temporary_password_ttl: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Authn {
    /// Two factors for everyone, whatever the client asks.
    pub require_two_factor: bool,
    /// A user who enrolled an authenticator app or a passkey proves it at every new
    /// sign-in, the account console's included (Keycloak's conditional OTP).
    pub enrolled_factor_always: bool,
    /// The WebAuthn relying-party id; empty means the issuer's host name. Passkeys are off
    /// when neither is a domain name (browsers refuse IP addresses).
    pub webauthn_rp_id: String,
    /// SMS codes one phone number may be sent per `sms_budget_window`, whatever asks for them
    /// (sign-in, step-up, recovery): a bound on cost and on abuse of someone's phone.
    pub sms_budget: u32,
    #[serde(with = "humantime_serde_compat")]
    pub sms_budget_window: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_length: usize,
    /// Least zxcvbn score (0 to 4) a new password must reach.
    pub min_score: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lockout {
    /// Consecutive failed sign-in steps (password or one-time code) before a temporary lock.
    pub max_failures: u32,
    #[serde(with = "humantime_serde_compat")]
    pub temporary_duration: Duration,
    /// Temporary locks without a success in between before the lock becomes permanent.
    pub max_temporary_locks: u32,
    /// How long failures and temporary locks are remembered without a new one.
    #[serde(with = "humantime_serde_compat")]
    pub failure_window: Duration,
    /// Lifetime of the unlock link emailed with a permanent lock.
    #[serde(with = "humantime_serde_compat")]
    pub unlock_link_ttl: Duration,
}

/// Outgoing email. An empty `host` writes emails to the outbox instead.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` (implicit, port 465) or `none` (a local relay only).
    pub tls: String,
    pub username: String,
    pub password: String,
    pub from: String,
}

/// The SMS gateway. An empty `url` writes SMS to the outbox instead.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sms {
    pub url: String,
    /// Sent as the Authorization header when not empty (for example `Bearer …`).
    pub auth_header: String,
    /// JSON body; `{to}` and `{body}` are replaced.
    pub body_template: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Dev,
    Prod,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Signing {
    pub access_token_alg: SigningAlg,
    /// Default ID token algorithm for clients that do not choose one.
    pub id_token_alg: SigningAlg,
    /// How long `idp keys rotate` publishes a new key before it starts signing, so relying
    /// parties that cache the JWKS see it first.
    #[serde(with = "humantime_serde_compat")]
    pub rotation_lead_time: Duration,
    /// How often a node re-reads the keys directory (rotations by other nodes, activations).
    #[serde(with = "humantime_serde_compat")]
    pub reload_interval: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tokens {
    #[serde(with = "humantime_serde_compat")]
    pub access_token_ttl: Duration,
    #[serde(with = "humantime_serde_compat")]
    pub id_token_ttl: Duration,
    /// How long one refresh token lives unused (each refresh issues a new one: sliding).
    #[serde(with = "humantime_serde_compat")]
    pub refresh_token_ttl: Duration,
    /// How long a refresh-token family lives from the sign-in that started it, however
    /// often it is refreshed: a stolen family dies by then even if its thief keeps it busy.
    #[serde(with = "humantime_serde_compat")]
    pub refresh_absolute_ttl: Duration,
    #[serde(with = "humantime_serde_compat")]
    pub code_ttl: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    #[serde(with = "humantime_serde_compat")]
    pub ttl: Duration,
    /// How long a started sign-in (the authorization request being served) stays valid.
    #[serde(with = "humantime_serde_compat")]
    pub login_ttl: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Password {
    /// argon2id memory cost in KiB (OWASP: 19456).
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// How many hashes may run at once; more wait, so sign-in bursts cannot starve the runtime.
    /// Defaults to the cores the process may use: more hashes than cores only share them,
    /// and their memory (19 MiB each) then no longer fits the caches.
    pub max_concurrent: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Log {
    /// `text` or `json`.
    pub format: String,
    /// A tracing filter such as `info` or `idp=debug,info`.
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            issuer: "http://127.0.0.1:8080".into(),
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://postern.db?mode=rwc".into(),
            database: Database::default(),
            redis_url: String::new(),
            redis_cluster_urls: String::new(),
            redis_sentinel_urls: String::new(),
            redis_sentinel_master: String::new(),
            redis_prefix: "postern:".into(),
            keys_dir: "keys".into(),
            outbox_dir: "outbox".into(),
            profile: Profile::Dev,
            signing: Signing {
                access_token_alg: SigningAlg::ES256,
                id_token_alg: SigningAlg::RS256,
                rotation_lead_time: Duration::from_secs(3600),
                reload_interval: Duration::from_secs(30),
            },
            tokens: Tokens {
                access_token_ttl: Duration::from_secs(300),
                id_token_ttl: Duration::from_secs(300),
                refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
                // NIST SP 800-63B §4.1.3: at AAL1 (a password) reauthenticate at least once
                // every 30 days of an extended session.
                refresh_absolute_ttl: Duration::from_secs(30 * 24 * 3600),
                code_ttl: Duration::from_secs(60),
            },
            session: Session {
                ttl: Duration::from_secs(8 * 3600),
                login_ttl: Duration::from_secs(15 * 60),
            },
            password: Password {
                memory_kib: 19456,
                iterations: 2,
                parallelism: 1,
                max_concurrent: std::thread::available_parallelism().map_or(1, |n| n.get()),
            },
            http: Http::default(),
            metrics: Metrics::default(),
            password_policy: PasswordPolicy {
                min_length: 10,
                min_score: 3,
            },
            authn: Authn {
                require_two_factor: false,
                enrolled_factor_always: true,
                webauthn_rp_id: String::new(),
                sms_budget: 5,
                sms_budget_window: Duration::from_secs(15 * 60),
            },
            lockout: Lockout {
                max_failures: 5,
                temporary_duration: Duration::from_secs(20 * 60),
                max_temporary_locks: 3,
                failure_window: Duration::from_secs(12 * 3600),
                unlock_link_ttl: Duration::from_secs(24 * 3600),
            },
            rate_limit: RateLimit::default(),
            log: Log {
                format: "text".into(),
                filter: "info".into(),
            },
            smtp: Smtp {
                host: String::new(),
                port: 587,
                tls: "starttls".into(),
                username: String::new(),
                password: String::new(),
                from: "Postern <no-reply@postern.test>".into(),
            },
            sms: Sms {
                url: String::new(),
                auth_header: String::new(),
                body_template: r#"{"to":"{to}","text":"{body}"}"#.into(),
            },
            notify_timeout: Duration::from_secs(5),
            accounts: Accounts {
                terms_version: "2026-01".into(),
                terms_url: "https://www.example.org/terms".into(),
                registration_ttl: Duration::from_secs(3600),
                reset_link_ttl: Duration::from_secs(3600),
                default_calling_code: "+41".into(),
                deletion_grace: Duration::from_secs(30 * 24 * 3600),
                step_up_max_age: Duration::from_secs(300),
                temporary_password_ttl: Duration::from_secs(72 * 3600),
            },
            clients: Clients::default(),
            backchannel_logout: BackchannelLogout::default(),
            par: Par::default(),
            dpop: Dpop::default(),
            device: Device::default(),
            ui: UiSettings::default(),
            assurance: Assurance::default(),
            migration: Migration::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Loads the layers in order; `extra` is the file given with `--config`.
    pub fn load(extra: Option<&std::path::Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file("config/default.toml"));
        if let Some(path) = extra {
            if !path.exists() {
                return Err(ConfigError(format!(
                    "--config: file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("IDP_").split("__"));
        let config: Config = figment.extract().map_err(|e| {
            // Name the key as it is written in the TOML files, whichever layer set it.
            let msgs: Vec<String> = e
                .into_iter()
                .map(|e| {
                    let key = e.path.join(".").to_lowercase();
                    let from = e
                        .metadata
                        .as_ref()
                        .map(|m| format!(" (from {})", m.name))
                        .unwrap_or_default();
                    format!("{key}: {}{from}", e.kind)
                })
                .collect();
            ConfigError(msgs.join("; "))
        })?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let issuer = url::Url::parse(&self.issuer).map_err(|e| {
            ConfigError(format!(
                "issuer: expected an absolute URL, got {:?} ({e})",
                self.issuer
            ))
        })?;
        if !matches!(issuer.scheme(), "https" | "http") {
            return Err(ConfigError("issuer: expected an http or https URL".into()));
        }
        if issuer.query().is_some() || issuer.fragment().is_some() {
            return Err(ConfigError(
                "issuer: must not have a query or fragment (OpenID Connect Discovery 1.0 §2)"
                    .into(),
            ));
        }
        if self.issuer.ends_with('/') {
            return Err(ConfigError("issuer: must not end with '/'".into()));
        }
        self.listen_addr()?;
        self.database.validate(&self.database_url)?;
        self.ephemeral_at()?;
        for (key, d) in [
            ("tokens.access_token_ttl", self.tokens.access_token_ttl),
            ("tokens.id_token_ttl", self.tokens.id_token_ttl),
            ("tokens.refresh_token_ttl", self.tokens.refresh_token_ttl),
            (
                "tokens.refresh_absolute_ttl",
                self.tokens.refresh_absolute_ttl,
            ),
            ("tokens.code_ttl", self.tokens.code_ttl),
            ("session.ttl", self.session.ttl),
            ("session.login_ttl", self.session.login_ttl),
            ("signing.reload_interval", self.signing.reload_interval),
            (
                "lockout.temporary_duration",
                self.lockout.temporary_duration,
            ),
            ("lockout.failure_window", self.lockout.failure_window),
            ("lockout.unlock_link_ttl", self.lockout.unlock_link_ttl),
            ("rate_limit.window", self.rate_limit.window),
            ("accounts.registration_ttl", self.accounts.registration_ttl),
            ("accounts.reset_link_ttl", self.accounts.reset_link_ttl),
            (
                "accounts.temporary_password_ttl",
                self.accounts.temporary_password_ttl,
            ),
            ("accounts.deletion_grace", self.accounts.deletion_grace),
            ("accounts.step_up_max_age", self.accounts.step_up_max_age),
            (
                "backchannel_logout.timeout",
                self.backchannel_logout.timeout,
            ),
            (
                "backchannel_logout.poll_interval",
                self.backchannel_logout.poll_interval,
            ),
            ("device.ttl", self.device.ttl),
            ("device.interval", self.device.interval),
        ] {
            if d.is_zero() {
                return Err(ConfigError(format!("{key}: must be longer than zero")));
            }
        }
        self.rate_limit.validate()?;
        self.assurance.validate()?;
        self.migration.validate()?;
        self.ui.validate()?;
        if self.tokens.code_ttl > Duration::from_secs(600) {
            return Err(ConfigError(
                "tokens.code_ttl: at most 10m (RFC 6749 §4.1.2 recommends short-lived codes)"
                    .into(),
            ));
        }
        argon2::Params::new(
            self.password.memory_kib,
            self.password.iterations,
            self.password.parallelism,
            None,
        )
        .map_err(|e| ConfigError(format!("password: invalid argon2 parameters ({e})")))?;
        if self.password.max_concurrent == 0 {
            return Err(ConfigError(
                "password.max_concurrent: must be at least 1".into(),
            ));
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return Err(ConfigError(format!(
                "log.format: expected \"text\" or \"json\", got {:?}",
                self.log.format
            )));
        }
        if !matches!(self.smtp.tls.as_str(), "starttls" | "tls" | "none") {
            return Err(ConfigError(format!(
                "smtp.tls: expected \"starttls\", \"tls\" or \"none\", got {:?}",
                self.smtp.tls
            )));
        }
        if self.smtp.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "smtp.from: expected an address like \"Postern <no-reply@example.org>\", got {:?}",
                self.smtp.from
            )));
        }
        if !self.sms.url.is_empty() && url::Url::parse(&self.sms.url).is_err() {
            return Err(ConfigError(format!(
                "sms.url: expected a URL, got {:?}",
                self.sms.url
            )));
        }
        if self.lockout.max_failures == 0 || self.lockout.max_temporary_locks == 0 {
            return Err(ConfigError(
                "lockout.max_failures and lockout.max_temporary_locks: at least 1".into(),
            ));
        }
        if self.password_policy.min_score > 4 || self.password_policy.min_length < 8 {
            return Err(ConfigError(
                "password_policy: min_score is 0 to 4 and min_length at least 8".into(),
            ));
        }
        if self.accounts.terms_version.trim().is_empty() {
            return Err(ConfigError(
                "accounts.terms_version: must not be empty".into(),
            ));
        }
        if url::Url::parse(&self.accounts.terms_url).is_err() {
            return Err(ConfigError(format!(
                "accounts.terms_url: expected a URL, got {:?}",
                self.accounts.terms_url
            )));
        }
        let cc = &self.accounts.default_calling_code;
        if !(cc.is_empty() || crate::model::contact::is_calling_code(cc)) {
            return Err(ConfigError(format!(
                "accounts.default_calling_code: expected empty or like \"+41\", got {cc:?}"
            )));
        }
        self.metrics.validate()?;
        if self.http.body_limit < 1024 {
            return Err(ConfigError("http.body_limit: at least 1024 bytes".into()));
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            ConfigError(format!(
                "listen: expected an address like 127.0.0.1:8080, got {:?}",
                self.listen
            ))
        })
    }

    /// How long a superseded signing key keeps its uses: published and verifying until every
    /// token it signed has expired, and reading ID tokens that come back as an
    /// `id_token_hint` for as long as the session they were issued in lives (each plus a
    /// margin for clock skew).
    pub fn key_retention(&self) -> crate::crypto::keys::Retention {
        let tokens = self.tokens.access_token_ttl.max(self.tokens.id_token_ttl);
        crate::crypto::keys::Retention {
            tokens: tokens.as_secs() as i64 + 300,
            hints: tokens.max(self.session.ttl).as_secs() as i64 + 300,
        }
    }

    pub fn issuer_is_https(&self) -> bool {
        self.issuer.starts_with("https://")
    }

    /// Whether the issuer names this machine only (`127.0.0.0/8`, `::1`, `localhost`): a
    /// development server nobody else can reach.
    pub fn issuer_is_loopback(&self) -> bool {
        match url::Url::parse(&self.issuer)
            .ok()
            .and_then(|u| u.host().map(|h| h.to_owned()))
        {
            Some(url::Host::Ipv4(a)) => a.is_loopback(),
            Some(url::Host::Ipv6(a)) => a.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests;
