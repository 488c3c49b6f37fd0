//! `idp users …`: accounts.

use clap::{Args, Subcommand};
use idp::{AppState, accounts::NewUser, audit::Actor, crypto::Secret};

#[derive(Subcommand)]
pub enum UsersCommand {
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
    #[command(flatten)]
    Assurance(super::assurance::AssuranceCommand),
}

#[derive(Args)]
pub struct UserArgs {
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

pub async fn run(command: UsersCommand, st: &AppState) -> Result<(), String> {
    match command {
        UsersCommand::Purge => {
            let n = idp::accounts::deletion::purge(st)
                .await
                .map_err(|e| e.to_string())?;
            println!("{n} deleted accounts erased");
            Ok(())
        }
        UsersCommand::Unlock { email } => {
            let permanent = idp::admin::users::unlock(st, &email, &Actor::CommandLine, None)
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
        UsersCommand::Disable { email } => set_disabled(st, &email, true).await,
        UsersCommand::Enable { email } => set_disabled(st, &email, false).await,
        UsersCommand::Assurance(c) => super::assurance::run(c, st).await,
        UsersCommand::Create(a) => {
            let user = idp::admin::users::create_user(
                st,
                NewUser {
                    email: a.email,
                    password: Secret::new(a.password),
                    given_name: a.given_name,
                    family_name: a.family_name,
                    phone: a.phone,
                },
                &Actor::CommandLine,
                None,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!("user {} created with id {}", user.email, user.id);
            Ok(())
        }
    }
}

async fn set_disabled(st: &AppState, email: &str, disabled: bool) -> Result<(), String> {
    let user = idp::admin::users::set_disabled(st, email, disabled, &Actor::CommandLine, None)
        .await
        .map_err(|e| e.to_string())?;
    let now = if user.disabled { "disabled" } else { "enabled" };
    println!("{}: {now}", user.email);
    Ok(())
}
