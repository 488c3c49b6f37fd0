//! `idp users set-assurance | temporary-password | require-password-change`: identity
//! assurance and counter credentials, through the same use cases as the management API.

use clap::Subcommand;
use idp::{
    AppState,
    accounts::normalize_email,
    admin::{
        assurance::{Evidence, set_assurance},
        counter,
    },
    audit::Actor,
    model::{Assurance, ProofMethod},
};

#[derive(Subcommand)]
pub enum AssuranceCommand {
    /// Record an identity check (`--level verified --method counter`) or withdraw it
    /// (`--level basic` or `unverified`: the contact state then decides the level).
    SetAssurance {
        #[arg(long)]
        email: String,
        /// verified, basic or unverified.
        #[arg(long, value_parser = parse_level)]
        level: Assurance,
        /// counter, eid, video or other (with `--level verified`).
        #[arg(long, value_parser = parse_method)]
        method: Option<ProofMethod>,
        /// Where or with what, e.g. the counter's office code; never a document number.
        #[arg(long)]
        reference: Option<String>,
    },
    /// Replace the password with a temporary one, printed once, valid for
    /// `accounts.temporary_password_ttl`; it must be changed at the first sign-in.
    TemporaryPassword {
        #[arg(long)]
        email: String,
    },
    /// Require a new password at the next sign-in.
    RequirePasswordChange {
        #[arg(long)]
        email: String,
    },
}

fn parse_level(s: &str) -> Result<Assurance, String> {
    Assurance::parse(s).ok_or_else(|| "expected verified, basic or unverified".into())
}

fn parse_method(s: &str) -> Result<ProofMethod, String> {
    ProofMethod::parse(s).ok_or_else(|| "expected counter, eid, video or other".into())
}

async fn user_id(st: &AppState, email: &str) -> Result<String, String> {
    let normal = normalize_email(email).ok_or_else(|| format!("{email:?} is not an email"))?;
    st.stores
        .users
        .find_user_by_email(&normal)
        .await
        .map_err(|e| e.to_string())?
        .map(|u| u.id)
        .ok_or_else(|| format!("no account has the address {email:?}"))
}

pub async fn run(command: AssuranceCommand, st: &AppState) -> Result<(), String> {
    let cli = &Actor::CommandLine;
    match command {
        AssuranceCommand::SetAssurance {
            email,
            level,
            method,
            reference,
        } => {
            let evidence = match (method, reference) {
                (Some(method), reference) => Some(Evidence { method, reference }),
                (None, None) => None,
                (None, Some(_)) => return Err("--reference goes with --method".into()),
            };
            let id = user_id(st, &email).await?;
            let user = set_assurance(st, &id, level, evidence, cli, None)
                .await
                .map_err(|e| e.to_string())?;
            say!("{}: {}", user.email, user.assurance());
            Ok(())
        }
        AssuranceCommand::TemporaryPassword { email } => {
            let id = user_id(st, &email).await?;
            let issued = counter::issue_temporary_password(st, &id, cli, None)
                .await
                .map_err(|e| e.to_string())?;
            let until = chrono::DateTime::from_timestamp(issued.expires_at, 0)
                .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            say!(
                "{}: temporary password {} (valid until {until}; shown once)",
                issued.user.email,
                issued.password.expose()
            );
            Ok(())
        }
        AssuranceCommand::RequirePasswordChange { email } => {
            let id = user_id(st, &email).await?;
            let user = counter::require_password_change(st, &id, cli, None)
                .await
                .map_err(|e| e.to_string())?;
            say!(
                "{}: a new password is required at the next sign-in",
                user.email
            );
            Ok(())
        }
    }
}
