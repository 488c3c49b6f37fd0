//! `idp users …`: accounts.

use clap::{Args, Subcommand};
use idp::{
    AppState,
    accounts::NewUser,
    admin::users::{self, Target},
    audit::Actor,
    crypto::Secret,
    storage::{UserFilter, UserStatus},
};

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
    /// List accounts, oldest first, 50 a page.
    List {
        /// Part of the address (ignoring case).
        #[arg(long)]
        email: Option<String>,
        #[arg(long, value_enum)]
        status: Option<Status>,
        #[arg(long, default_value_t = 1)]
        page: u64,
    },
    /// Remove every second factor (TOTP, passkeys, recovery codes) of someone who lost them;
    /// their sessions end and their tokens are revoked.
    ResetFactors {
        #[arg(long)]
        email: String,
    },
    #[command(flatten)]
    Assurance(super::assurance::AssuranceCommand),
}

/// `UserStatus` as the command line spells it.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Status {
    Active,
    Disabled,
    PendingDeletion,
}

const PER_PAGE: u64 = 50;

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
            let permanent = users::unlock(st, &email, &Actor::CommandLine, None)
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
        UsersCommand::List {
            email,
            status,
            page,
        } => list(st, email, status, page).await,
        UsersCommand::ResetFactors { email } => {
            let user = users::find(st, Target::Email(&email))
                .await
                .map_err(|e| e.to_string())?;
            let n = users::reset_factors(st, &user, &Actor::CommandLine, None)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}: {n} second factors removed, sessions ended", user.email);
            Ok(())
        }
        UsersCommand::Disable { email } => set_disabled(st, &email, true).await,
        UsersCommand::Enable { email } => set_disabled(st, &email, false).await,
        UsersCommand::Assurance(c) => super::assurance::run(c, st).await,
        UsersCommand::Create(a) => {
            let user = users::create_user(
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

async fn list(
    st: &AppState,
    email: Option<String>,
    status: Option<Status>,
    page: u64,
) -> Result<(), String> {
    let filter = UserFilter {
        email,
        status: status.map(|s| match s {
            Status::Active => UserStatus::Active,
            Status::Disabled => UserStatus::Disabled,
            Status::PendingDeletion => UserStatus::PendingDeletion,
        }),
        ..Default::default()
    };
    let offset = page.max(1).saturating_sub(1).saturating_mul(PER_PAGE);
    let found = users::search(st, &filter, offset, PER_PAGE)
        .await
        .map_err(|e| e.to_string())?;
    for a in &found.items {
        let u = &a.user;
        println!("{}\t{}\t{}", u.id, u.email, u.status().as_str());
    }
    println!("page {}; {} accounts match", page.max(1), found.total);
    Ok(())
}

async fn set_disabled(st: &AppState, email: &str, disabled: bool) -> Result<(), String> {
    let target = Target::Email(email);
    let user = users::set_disabled(st, target, disabled, &Actor::CommandLine, None)
        .await
        .map_err(|e| e.to_string())?;
    let now = if user.disabled { "disabled" } else { "enabled" };
    println!("{}: {now}", user.email);
    Ok(())
}
