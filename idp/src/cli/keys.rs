//! `idp keys …`: signing keys.

use clap::Subcommand;
use idp::{AppState, audit::Actor};

use crate::timestamp;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// List the keys with their state (next, active, retiring, retired, expired, revoked).
    List,
    /// Add a new key per algorithm, published now and signing after the lead time.
    Rotate {
        /// Sign with the new keys at once (after a key compromise), skipping the lead time.
        #[arg(long)]
        now: bool,
    },
    /// Withdraw a compromised key at once: unpublished, and nothing it signed is trusted
    /// (the other nodes follow on their next reload). Not the key that signs: rotate
    /// with --now first.
    Retire {
        #[arg(long)]
        kid: String,
    },
}

pub async fn run(command: KeysCommand, st: &AppState) -> Result<(), String> {
    match command {
        KeysCommand::List => {}
        KeysCommand::Rotate { now } => {
            let new = idp::admin::keys::rotate(st, now, &Actor::CommandLine, None)
                .await
                .map_err(|e| e.to_string())?;
            let kids: Vec<&str> = new.iter().map(|k| k.kid.as_str()).collect();
            say!("new keys: {}", kids.join(", "));
        }
        KeysCommand::Retire { kid } => {
            idp::admin::keys::retire(st, &kid, &Actor::CommandLine, None)
                .await
                .map_err(|e| e.to_string())?;
            say!("{kid}: retired");
        }
    }
    say!("{:<28} {:<6} {:<9} active from", "kid", "alg", "state");
    for k in idp::admin::keys::list(st) {
        say!(
            "{:<28} {:<6} {:<9} {}",
            k.kid,
            k.alg,
            k.state.as_str(),
            timestamp(k.active_from)
        );
    }
    Ok(())
}
