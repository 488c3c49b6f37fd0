//! `idp users …`: accounts.

use clap::{Args, Subcommand};
use idp::{
    AppState,
    accounts::NewUser,
    admin::users::{self, Target},
    audit::Actor,
    crypto::Secret,
    legacy::lookup::{self as legacy, Status as LegacyStatus},
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
    /// Which identity an old service's username became: prints its `sub` and status
    /// (`-` and `pending` while it has no email address); fails when there is no such
    /// account.
    Lookup {
        /// The old service, as the import file named it.
        #[arg(long)]
        service: String,
        /// The old username (case and surrounding spaces do not matter).
        #[arg(long)]
        username: String,
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
            say!("{n} deleted accounts erased");
            Ok(())
        }
        UsersCommand::Unlock { email } => {
            let permanent = users::unlock(st, &email, &Actor::CommandLine, None)
                .await
                .map_err(|e| e.to_string())?;
            say!(
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
            say!("{}: {n} second factors removed, sessions ended", user.email);
            Ok(())
        }
        UsersCommand::Disable { email } => set_disabled(st, &email, true).await,
        UsersCommand::Enable { email } => set_disabled(st, &email, false).await,
        UsersCommand::Assurance(c) => super::assurance::run(c, st).await,
        UsersCommand::Lookup { service, username } => {
            say!("{}", lookup(st, &service, &username).await?);
            Ok(())
        }
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
            say!("user {} created with id {}", user.email, user.id);
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
        say!("{}\t{}\t{}", u.id, u.email, u.status().as_str());
    }
    say!("page {}; {} accounts match", page.max(1), found.total);
    Ok(())
}

async fn set_disabled(st: &AppState, email: &str, disabled: bool) -> Result<(), String> {
    let target = Target::Email(email);
    let user = users::set_disabled(st, target, disabled, &Actor::CommandLine, None)
        .await
        .map_err(|e| e.to_string())?;
    let now = if user.disabled { "disabled" } else { "enabled" };
    say!("{}: {now}", user.email);
    Ok(())
}

/// The line `idp users lookup` prints: `sub<TAB>status`, like `list`, so a script migrating
/// a service's records takes the first field (`-` while pending, which has no `sub` yet).
async fn lookup(st: &AppState, service: &str, username: &str) -> Result<String, String> {
    let found = legacy::by_username(st, service, username)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{service}: no legacy account {:?}", username.trim()))?;
    let status = match found.status {
        LegacyStatus::Pending => "pending",
        LegacyStatus::Linked => "linked",
        LegacyStatus::Migrated => "migrated",
    };
    Ok(format!("{}\t{status}", found.sub.as_deref().unwrap_or("-")))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Line {
        #[command(subcommand)]
        command: UsersCommand,
    }

    /// MD5-crypt from `tests/fixtures/legacy_hashes.json`.
    const HASH: &str = "$1$.w.oIOZj$xLakRnOPXAHbUvzV6QMrn1";

    fn account(username: &str, email: Option<&str>) -> String {
        serde_json::json!({"service": "parcels", "username": username, "email": email,
                           "password_hash": HASH})
        .to_string()
    }

    #[tokio::test]
    async fn lookup_prints_the_sub_or_pending_and_fails_on_an_unknown_username() {
        let dir = tempfile::tempdir().unwrap();
        let st = crate::cli::test_state(&dir).await;
        let file = [
            account("MRossi", Some("m.rossi@example.test")),
            account("nomail", None),
        ]
        .join("\n");
        let mut refused = Vec::new();
        idp::legacy::import::run(
            &st,
            file.as_bytes(),
            |n, r| refused.push((n, r.to_owned())),
            |_| {},
        )
        .await
        .unwrap();
        assert!(refused.is_empty(), "{refused:?}");
        let mario = st
            .stores
            .users
            .find_user_by_email("m.rossi@example.test")
            .await
            .unwrap()
            .unwrap();

        let parsed = Line::try_parse_from([
            "users",
            "lookup",
            "--service",
            "parcels",
            "--username",
            " mrossi ",
        ])
        .unwrap();
        let UsersCommand::Lookup { service, username } = parsed.command else {
            panic!("parsed as another command")
        };
        let line = lookup(&st, &service, &username).await.unwrap();
        assert_eq!(line, format!("{}\tlinked", mario.id));
        assert_eq!(
            lookup(&st, "parcels", "NOMAIL").await.unwrap(),
            "-\tpending"
        );
        let unknown = lookup(&st, "parcels", "nobody").await.unwrap_err();
        assert!(
            unknown.contains("no legacy account \"nobody\""),
            "{unknown}"
        );
        let other_service = lookup(&st, "letters", "mrossi").await.unwrap_err();
        assert!(other_service.starts_with("letters:"), "{other_service}");
        let bad = lookup(&st, "par cels", "mrossi").await.unwrap_err();
        assert!(bad.starts_with("service:"), "{bad}");
    }
}
