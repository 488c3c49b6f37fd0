//! The `idp` command: parse the command line, load configuration, start telemetry, run.
#![forbid(unsafe_code)]

/// A line on standard output, as `println!` takes it. Not `println!` itself, which panics
/// when the output is closed (the reading end of a pipe gone: `idp clients list | head -1`,
/// a supervisor's log pipe): a serving node must not stop for that, and a command whose
/// work is done has no reason to crash on its report.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod cli;

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use clap::{Parser, Subcommand};
use idp::{AppState, Config, admin::seed, config::Profile, state::SystemClock};

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
    Keys(cli::keys::KeysCommand),
    /// Relying parties.
    #[command(subcommand)]
    Clients(cli::clients::ClientsCommand),
    /// Accounts.
    #[command(subcommand)]
    Users(cli::users::UsersCommand),
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// List audit events, newest first.
    Audit(cli::audit::AuditArgs),
    /// Bring in accounts from the systems Postern replaces.
    #[command(subcommand)]
    Import(cli::import::ImportCommand),
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
            say!("schema is up to date");
            Ok(())
        }
        Command::Config(ConfigCommand::Check) => {
            let shown = toml_like(&config);
            say!("configuration is valid\n{shown}");
            Ok(())
        }
        Command::Keys(k) => cli::keys::run(k, &state(config).await?).await,
        Command::Clients(c) => cli::clients::run(c, &state(config).await?).await,
        Command::Audit(a) => cli::audit::run(a, &state(config).await?).await,
        Command::Users(c) => cli::users::run(c, &state(config).await?).await,
        Command::Import(c) => {
            let config = cli::import::tuned(config);
            cli::import::run(c, &state(config).await?).await
        }
    }
}

pub(crate) fn timestamp(secs: i64) -> String {
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
        say!("{msg}");
    }
    idp::spawn_key_reloader(&st, st.config.signing.reload_interval);
    idp::spawn_wal_checkpointer(&st, idp::storage::sql::CHECKPOINT_EVERY);
    idp::accounts::deletion::spawn_purger(&st, std::time::Duration::from_secs(3600));
    idp::backchannel::spawn_sender(&st);
    let listener =
        listen(addr, st.config.http.reuse_port).map_err(|e| format!("listen on {addr}: {e}"))?;
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
    say!(
        "Postern is listening on http://{addr} (issuer {})",
        st.config.issuer
    );
    idp::http::serve_until(listener, idp::app(st), shutdown_signal())
        .await
        .map_err(|e| e.to_string())
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

/// The listening socket, shared with other processes on the host when `reuse_port`
/// (`http.reuse_port`).
fn listen(
    addr: std::net::SocketAddr,
    reuse_port: bool,
) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As std's bind does: a restarted node need not wait for old connections' TIME_WAIT.
    socket.set_reuseaddr(true)?;
    if reuse_port {
        // Linux lets only processes of the same user join; any of those can, unasked.
        tracing::warn!(
            %addr,
            "http.reuse_port is on: any process of this user may listen on this address too and take a share of its connections"
        );
        socket.set_reuseport(true)?;
    }
    socket.bind(addr)?;
    socket.listen(1024)
}
