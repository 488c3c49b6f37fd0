//! The `idp` command: parse the command line, load configuration, start telemetry, run.
#![forbid(unsafe_code)]

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use clap::{Args, Parser, Subcommand};
use idp::{
    AppState, Config,
    accounts::NewUser,
    admin::{
        clients::{NewClient, create_client},
        seed,
    },
    config::Profile,
    crypto::Secret,
    protocol::types::{AccessTokenFormat, SigningAlg},
    state::SystemClock,
};

#[derive(Parser)]
#[command(
    name = "idp",
    version,
    about = "Postern, an OpenID Connect identity provider"
)]
struct Cli {
    /// A TOML file layered over config/default.toml (and under IDP_* variables).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve,
    /// Create or upgrade the database schema.
    Migrate,
    /// Signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Relying parties.
    #[command(subcommand)]
    Clients(ClientsCommand),
    /// Accounts.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// List audit events, newest first.
    Audit {
        #[arg(long)]
        email: Option<String>,
        /// Only events at or after this time (RFC 3339, like 2026-11-22T10:00:00Z).
        #[arg(long)]
        since: Option<String>,
        /// sign_in, lock, unlock, factor_enrolled, factor_removed, password_changed,
        /// consent_given, consent_revoked, refresh_token_replay, code_replay, admin.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u64,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// List the keys with their state (next, active, retiring).
    List,
    /// Add a new key per algorithm, published now and signing after the lead time.
    Rotate {
        /// Sign with the new keys at once (after a key compromise), skipping the lead time.
        #[arg(long)]
        now: bool,
    },
}

#[derive(Subcommand)]
enum ClientsCommand {
    Create(Box<ClientArgs>),
    /// The registered clients, one a line.
    List,
    /// Delete a client: its tokens stop at once and its consents go.
    Delete {
        #[arg(long)]
        client_id: String,
    },
}

#[derive(Args)]
struct ClientArgs {
    #[arg(long)]
    client_id: String,
    /// Display name shown on the consent page.
    #[arg(long)]
    name: Option<String>,
    /// The secret; generated and printed once when omitted (confidential clients).
    #[arg(long)]
    secret: Option<String>,
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    #[arg(long = "post-logout-redirect-uri")]
    post_logout_redirect_uris: Vec<String>,
    /// A public client (native or browser app): no secret, PKCE only.
    #[arg(long)]
    public: bool,
    /// One of the operator's own services: no consent page.
    #[arg(long)]
    first_party: bool,
    /// authorization_code, refresh_token, client_credentials (default: the first two).
    #[arg(long = "grant-type")]
    grant_types: Vec<String>,
    /// A scope this client may ask for besides the standard ones.
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// ID token algorithm: RS256, ES256 or EdDSA (default: signing.id_token_alg).
    #[arg(long)]
    id_token_alg: Option<SigningAlg>,
    /// Issue opaque access tokens instead of JWTs.
    #[arg(long)]
    opaque_access_tokens: bool,
    /// The weakest acr this client accepts, e.g. urn:postern:acr:2fa (step-up below it).
    #[arg(long)]
    min_acr: Option<String>,
    /// any (default), business (a company context is required) or consumer (personal only).
    #[arg(long, default_value = "any", value_parser = parse_org_mode)]
    org_mode: idp::storage::OrgMode,
    /// What the service does, shown in the catalogue of online services.
    #[arg(long)]
    description: Option<String>,
    /// Where a person starts using the service; clients with one are in the catalogue.
    #[arg(long)]
    launch_url: Option<String>,
}

#[derive(Subcommand)]
enum UsersCommand {
    Create(UserArgs),
    /// Erase the accounts whose deletion grace period is over (`idp serve` does it hourly).
    Purge,
    /// Lift a temporary or permanent lock.
    Unlock {
        #[arg(long)]
        email: String,
    },
    /// Disable an account: its sessions end and its tokens are revoked at once.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again (not one that awaits erasure).
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Args)]
struct UserArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    password: String,
    #[arg(long)]
    given_name: Option<String>,
    #[arg(long)]
    family_name: Option<String>,
    /// E.164 mobile number; entered by an operator, it counts as verified.
    #[arg(long)]
    phone: Option<String>,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate the configuration and print the effective values.
    Check,
}

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log.filter));
    // Colour codes only for a person at a terminal: they are noise in log files and cost
    // formatting on every request span.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    if config.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("idp: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config);
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idp: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn state(config: Config) -> Result<AppState, String> {
    AppState::build(config, Arc::new(SystemClock))
        .await
        .map_err(|e| e.to_string())
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            state(config).await?;
            println!("schema is up to date");
            Ok(())
        }
        Command::Config(ConfigCommand::Check) => {
            let shown = toml_like(&config);
            println!("configuration is valid\n{shown}");
            Ok(())
        }
        Command::Keys(k) => {
            let lead = config.signing.rotation_lead_time.as_secs() as i64;
            let st = state(config).await?;
            if let KeysCommand::Rotate { now } = k {
                let kids = st
                    .keys
                    .rotate(st.now(), if now { 0 } else { lead })
                    .map_err(|e| e.to_string())?;
                println!("new keys: {}", kids.join(", "));
            }
            println!("{:<28} {:<6} {:<9} active from", "kid", "alg", "state");
            for k in st.keys.current().infos() {
                println!(
                    "{:<28} {:<6} {:<9} {}",
                    k.kid,
                    k.alg,
                    k.state,
                    timestamp(k.active_from)
                );
            }
            Ok(())
        }
        Command::Clients(ClientsCommand::Create(a)) => {
            let st = state(config).await?;
            let (client, secret) = create_client(
                &st,
                NewClient {
                    client_id: a.client_id,
                    name: a.name,
                    secret: a.secret.map(Secret::new),
                    redirect_uris: a.redirect_uris,
                    post_logout_redirect_uris: a.post_logout_redirect_uris,
                    public: a.public,
                    first_party: a.first_party,
                    grant_types: a.grant_types,
                    extra_scopes: a.scopes,
                    id_token_alg: a.id_token_alg,
                    min_acr: a.min_acr,
                    org_mode: a.org_mode,
                    description: a.description,
                    launch_url: a.launch_url,
                    access_token_format: if a.opaque_access_tokens {
                        AccessTokenFormat::Opaque
                    } else {
                        AccessTokenFormat::Jwt
                    },
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            println!("client {} created", client.client_id);
            if let Some(s) = secret {
                println!("client_secret: {s}\n(shown once; store it now)");
            }
            Ok(())
        }
        Command::Audit {
            email,
            since,
            kind,
            limit,
        } => {
            let since = match since {
                None => None,
                Some(s) => Some(
                    chrono::DateTime::parse_from_rfc3339(&s)
                        .map_err(|e| format!("--since: expected RFC 3339 time, got {s:?} ({e})"))?
                        .timestamp(),
                ),
            };
            let st = state(config).await?;
            let filter = idp::storage::AuditFilter {
                email: email.and_then(|e| idp::accounts::normalize_email(&e)),
                kind,
                since,
                limit,
                ..Default::default()
            };
            let events = st
                .stores
                .audit
                .list_events(&filter)
                .await
                .map_err(|e| e.to_string())?;
            for e in events {
                let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
                println!(
                    "{} {:<20} {:<7} user={} email={} client={} ip={} ua={:?} {}",
                    timestamp(e.at),
                    e.kind,
                    e.outcome,
                    opt(e.user_id),
                    opt(e.email),
                    opt(e.client_id),
                    opt(e.ip),
                    opt(e.user_agent),
                    opt(e.detail)
                );
            }
            Ok(())
        }
        Command::Clients(ClientsCommand::List) => {
            let st = state(config).await?;
            let clients = st
                .stores
                .clients
                .list_clients()
                .await
                .map_err(|e| e.to_string())?;
            for c in clients {
                let kind = if c.public { "public" } else { "confidential" };
                let party = if c.first_party {
                    "first-party"
                } else {
                    "third-party"
                };
                println!("{}\t{kind}\t{party}\t{}", c.client_id, c.name);
            }
            Ok(())
        }
        Command::Clients(ClientsCommand::Delete { client_id }) => {
            let st = state(config).await?;
            idp::admin::clients::delete_client(&st, &client_id, None)
                .await
                .map_err(|e| format!("{client_id}: {e}"))?;
            println!("client {client_id} deleted");
            Ok(())
        }
        Command::Users(UsersCommand::Purge) => {
            let st = state(config).await?;
            let n = idp::accounts::deletion::purge(&st)
                .await
                .map_err(|e| e.to_string())?;
            println!("{n} deleted accounts erased");
            Ok(())
        }
        Command::Users(UsersCommand::Unlock { email }) => {
            let st = state(config).await?;
            let permanent = idp::admin::users::unlock(&st, &email, None)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{email}: unlocked{}",
                if permanent {
                    " (a permanent lock was lifted)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Command::Users(UsersCommand::Disable { email }) => set_disabled(config, &email, true).await,
        Command::Users(UsersCommand::Enable { email }) => set_disabled(config, &email, false).await,
        Command::Users(UsersCommand::Create(a)) => {
            let st = state(config).await?;
            let user = idp::admin::users::create_user(
                &st,
                NewUser {
                    email: a.email,
                    password: Secret::new(a.password),
                    given_name: a.given_name,
                    family_name: a.family_name,
                    phone: a.phone,
                },
                None,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!("user {} created with id {}", user.email, user.id);
            Ok(())
        }
    }
}

async fn set_disabled(config: Config, email: &str, disabled: bool) -> Result<(), String> {
    let st = state(config).await?;
    let user = idp::admin::users::set_disabled(&st, email, disabled, None)
        .await
        .map_err(|e| e.to_string())?;
    let now = if user.disabled { "disabled" } else { "enabled" };
    println!("{}: {now}", user.email);
    Ok(())
}

fn timestamp(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

/// The effective configuration, for `config check`, with credentials masked.
fn toml_like(config: &Config) -> String {
    let mut shown = config.clone();
    for secret in [
        &mut shown.smtp.password,
        &mut shown.sms.auth_header,
        &mut shown.metrics.token,
    ] {
        if !secret.is_empty() {
            *secret = "[set]".into();
        }
    }
    serde_json::to_string_pretty(&shown).unwrap_or_default()
}

async fn serve(config: Config) -> Result<(), String> {
    let addr = config.listen_addr().map_err(|e| e.to_string())?;
    let dev = config.profile == Profile::Dev;
    let st = state(config).await?;
    if dev {
        let msg = seed::seed_demo(&st).await?;
        tracing::info!("{msg}");
        println!("{msg}");
    }
    idp::spawn_key_reloader(&st, st.config.signing.reload_interval);
    idp::spawn_wal_checkpointer(&st, std::time::Duration::from_secs(1));
    idp::accounts::deletion::spawn_purger(&st, std::time::Duration::from_secs(3600));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("listen on {addr}: {e}"))?;
    if let Ok(metrics_addr) = st.config.metrics.listen.parse::<std::net::SocketAddr>() {
        let metrics = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .map_err(|e| format!("metrics.listen {metrics_addr}: {e}"))?;
        let app = idp::http::metrics_app(st.clone());
        tokio::spawn(async move {
            if let Err(e) = idp::http::serve(metrics, app).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
        tracing::info!(%metrics_addr, "metrics are served on their own listener");
    }
    tracing::info!(issuer = %st.config.issuer, %addr, "Postern is listening");
    println!(
        "Postern is listening on http://{addr} (issuer {})",
        st.config.issuer
    );
    idp::http::serve_until(listener, idp::app(st), shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

fn parse_org_mode(s: &str) -> Result<idp::storage::OrgMode, String> {
    idp::storage::OrgMode::parse(s).ok_or_else(|| "expected any, business or consumer".into())
}

/// SIGTERM (orchestrators) or Ctrl-C: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
