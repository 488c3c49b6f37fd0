//! `idp audit`: the audit trail, newest first.

use clap::Args;
use idp::{
    AppState,
    audit::{AuditKind, Outcome},
    storage::AuditFilter,
};

use crate::timestamp;

#[derive(Args)]
pub struct AuditArgs {
    #[arg(long)]
    email: Option<String>,
    /// The events about one account (its id).
    #[arg(long)]
    user_id: Option<String>,
    /// The events about one client.
    #[arg(long)]
    client_id: Option<String>,
    /// Only events at or after this time (RFC 3339, like 2026-11-22T10:00:00Z).
    #[arg(long)]
    since: Option<String>,
    /// Only events at or before this time (RFC 3339).
    #[arg(long)]
    until: Option<String>,
    /// sign_in, lock, unlock, factor_enrolled, admin, … (the `kind` column).
    #[arg(long)]
    kind: Option<String>,
    /// success, failure or info.
    #[arg(long)]
    outcome: Option<String>,
    #[arg(long, default_value_t = 100)]
    limit: u64,
}

fn time(flag: &str, value: Option<String>) -> Result<Option<i64>, String> {
    value
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(&s)
                .map(|t| t.timestamp())
                .map_err(|e| format!("--{flag}: expected RFC 3339 time, got {s:?} ({e})"))
        })
        .transpose()
}

pub async fn run(a: AuditArgs, st: &AppState) -> Result<(), String> {
    if let Some(k) = &a.kind
        && AuditKind::parse(k).is_none()
    {
        let known: Vec<&str> = AuditKind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(format!("--kind: one of {}", known.join(", ")));
    }
    if let Some(o) = &a.outcome
        && Outcome::parse(o).is_none()
    {
        return Err("--outcome: success, failure or info".into());
    }
    let filter = AuditFilter {
        email: a.email.and_then(|e| idp::accounts::normalize_email(&e)),
        user_id: a.user_id,
        client_id: a.client_id,
        kind: a.kind,
        outcome: a.outcome,
        since: time("since", a.since)?,
        until: time("until", a.until)?,
        offset: 0,
        limit: a.limit,
    };
    let events = st
        .stores
        .audit
        .list_events(&filter)
        .await
        .map_err(|e| e.to_string())?;
    for e in events {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        // Who acted: a client's token (and the person behind it), or the command line.
        let actor = match (&e.actor_client_id, &e.actor_user_id) {
            (None, None) => "-".to_owned(),
            (c, u) => format!(
                "{}{}",
                c.as_deref().unwrap_or(""),
                u.as_deref().map(|u| format!("/{u}")).unwrap_or_default()
            ),
        };
        say!(
            "{} {:<20} {:<7} user={} email={} client={} actor={} ip={} ua={:?} {}",
            timestamp(e.at),
            e.kind,
            e.outcome,
            opt(e.user_id),
            opt(e.email),
            opt(e.client_id),
            actor,
            opt(e.ip),
            opt(e.user_agent),
            opt(e.detail)
        );
    }
    Ok(())
}
