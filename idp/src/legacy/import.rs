//! `idp import legacy`: the old accounts, one JSON object a line, read as a stream in
//! batches. Each line is checked on its own and either written, skipped (already imported,
//! identical) or rejected with a reason; nothing is hashed.
//!
//! Merging: accounts with one (normalised) address become one identity: the account
//! Postern already has with that address, or one made for the first of them. An account
//! without an address stays pending (no identity) until its owner adds one at their first
//! sign-in.
//!
//! A re-import changes nothing: every account is stored with a digest of its record, so
//! the same line again is skipped, and a different record under the same (service,
//! username) is rejected rather than overwriting one that may already have been migrated.
//! An interrupted import is resumed by running it again.

use std::{
    collections::{BTreeMap, HashMap},
    io::{BufRead, Read},
};

use serde::{Deserialize, Serialize};

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;

use crate::{
    audit::{self, Actor, Entry, Outcome},
    crypto::{legacy::LegacyHash, token_hash},
    model::contact::{normalize_email, normalize_phone},
    state::AppState,
    storage::{LegacyAccount, LegacyBatch, LegacyKey, StorageError, User},
};

/// Lines written per transaction: each commit rewrites every index page it touched, so
/// larger batches share pages (with the larger SQLite cache of `import_legacy`, 5,000 made
/// half the writes and a seventh of the reads of 1,000; see bench/results.md).
pub const BATCH_LINES: usize = 5000;
/// A longer line is rejected without being held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One line of the file, as the old service exported it.
#[derive(Debug, Deserialize)]
struct Line {
    service: String,
    username: String,
    #[serde(default)]
    email: Option<String>,
    // Exports write `null` for "never confirmed" as often as `false`.
    #[serde(default)]
    email_verified: Option<bool>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    password_hash: String,
    #[serde(default)]
    created_at: Option<String>,
}

/// A line that passed every check, normalised; its JSON form is what the digest covers.
#[derive(Debug, Serialize)]
struct Record {
    service: String,
    username: String,
    email: Option<String>,
    email_verified: bool,
    given_name: Option<String>,
    family_name: Option<String>,
    phone: Option<String>,
    password_hash: String,
    created_at: Option<i64>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Lines read (blank lines aside).
    pub read: u64,
    /// New identities: one per new address, and one pending identity per account without
    /// an address.
    pub created: u64,
    /// Of `created`, the pending ones.
    pub pending: u64,
    /// Accounts joined to an identity that existed before them (Postern's own account with
    /// the address, or one made for an earlier account with it).
    pub merged: u64,
    /// Already imported, identical.
    pub skipped: u64,
    pub rejected: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the input: {0}")]
    Read(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Checks one line; the error is the reason shown with its number.
fn parse(raw: &[u8], calling_code: &str) -> Result<Record, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "not UTF-8".to_owned())?;
    let line: Line = serde_json::from_str(text).map_err(json_reason)?;
    let service = line.service.trim().to_owned();
    if !super::is_service_name(&service) {
        return Err("invalid service: letters, digits, '-', '_' and '.', at most 64".into());
    }
    if !super::is_username(&line.username) {
        return Err("invalid username: empty, too long or with control characters".into());
    }
    let email = match line.email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) => Some(normalize_email(e).ok_or("invalid email")?),
    };
    let phone = match line.phone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(normalize_phone(p, calling_code).ok_or("invalid phone number")?),
    };
    LegacyHash::parse(line.password_hash.trim()).map_err(|e| e.to_string())?;
    let created_at = match line.created_at.as_deref() {
        None | Some("") => None,
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(t)
                .map_err(|_| "invalid created_at: expected RFC 3339")?
                .timestamp(),
        ),
    };
    let name = |n: Option<String>| -> Result<Option<String>, String> {
        match n.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
            Some(n) if n.chars().count() > 200 || n.chars().any(char::is_control) => {
                Err("invalid name: too long or with control characters".into())
            }
            other => Ok(other),
        }
    };
    Ok(Record {
        service,
        username: line.username.trim().to_owned(),
        email,
        email_verified: line.email_verified.unwrap_or(false),
        given_name: name(line.given_name)?,
        family_name: name(line.family_name)?,
        phone,
        password_hash: line.password_hash.trim().to_owned(),
        created_at,
    })
}

/// serde_json's message without its "at line 1 column N", which would be read as the
/// file's line: the number shown is ours.
fn json_reason(e: serde_json::Error) -> String {
    let full = e.to_string();
    let msg = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m);
    match e.classify() {
        serde_json::error::Category::Data if msg.starts_with("missing field") => msg.to_owned(),
        serde_json::error::Category::Data => format!("invalid record: {msg}"),
        _ => format!("malformed JSON: {msg}"),
    }
}

fn digest(r: &Record) -> String {
    token_hash(&serde_json::to_string(r).unwrap_or_default())
}

/// A checked line waiting for its batch.
struct Pending {
    line: u64,
    key: LegacyKey,
    digest: String,
    record: Record,
}

/// Reads `input` to its end, writing as it goes; `rejected` hears of every refused line
/// and `progress` of the lines read so far, after each batch.
pub async fn run(
    state: &AppState,
    input: impl BufRead,
    mut rejected: impl FnMut(u64, &str),
    mut progress: impl FnMut(&Summary),
) -> Result<Summary, ImportError> {
    let mut summary = Summary::default();
    let mut reader = input;
    let mut buf = Vec::with_capacity(1024);
    let mut batch = Vec::with_capacity(BATCH_LINES);
    let mut number = 0u64;
    let calling_code = state.config.accounts.default_calling_code.clone();
    loop {
        buf.clear();
        let (n, complete) = read_line(&mut reader, &mut buf)?;
        if n == 0 {
            break;
        }
        number += 1;
        let raw = buf.trim_ascii();
        if raw.is_empty() {
            continue;
        }
        summary.read += 1;
        if !complete {
            summary.rejected += 1;
            rejected(number, &format!("line longer than {MAX_LINE_BYTES} bytes"));
            continue;
        }
        match parse(raw, &calling_code) {
            Ok(record) => batch.push(Pending {
                line: number,
                key: LegacyKey::new(&record.service, &record.username),
                digest: digest(&record),
                record,
            }),
            Err(reason) => {
                summary.rejected += 1;
                rejected(number, &reason);
            }
        }
        if batch.len() == BATCH_LINES {
            write(
                state,
                std::mem::take(&mut batch),
                &mut summary,
                &mut rejected,
            )
            .await?;
            progress(&summary);
        }
    }
    if !batch.is_empty() {
        write(state, batch, &mut summary, &mut rejected).await?;
        progress(&summary);
    }
    audit::record(
        state,
        Entry {
            kind: audit::LEGACY_IMPORT,
            outcome: Outcome::Info,
            detail: Some(format!(
                "read {}, created {} ({} pending), merged {}, skipped {}, rejected {}",
                summary.read,
                summary.created,
                summary.pending,
                summary.merged,
                summary.skipped,
                summary.rejected
            )),
            actor: Some(&Actor::CommandLine),
            ..Default::default()
        },
    )
    .await;
    Ok(summary)
}

/// One line into `buf`, at most [`MAX_LINE_BYTES`] of it; the rest of a longer line is
/// read and dropped. Returns the bytes read and whether the line fitted.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let n = reader
        .by_ref()
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', buf)?;
    if buf.len() <= MAX_LINE_BYTES || buf.ends_with(b"\n") {
        return Ok((n, true));
    }
    let mut dropped = n;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (used, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        reader.consume(used);
        dropped += used;
        if end {
            break;
        }
    }
    Ok((dropped, false))
}

/// Writes one batch. A clash with rows another import wrote meanwhile makes it look again
/// once: what that import wrote is then simply found.
async fn write(
    state: &AppState,
    lines: Vec<Pending>,
    summary: &mut Summary,
    rejected: &mut impl FnMut(u64, &str),
) -> Result<(), ImportError> {
    let mut tries = 0;
    loop {
        let (batch, counts, refused) = plan(state, &lines).await?;
        match state.stores.legacy.import_legacy(&batch).await {
            Ok(()) => {
                summary.created += counts.created;
                summary.pending += counts.pending;
                summary.merged += counts.merged;
                summary.skipped += counts.skipped;
                summary.rejected += refused.len() as u64;
                for (line, reason) in refused {
                    rejected(line, reason);
                }
                return Ok(());
            }
            Err(StorageError::Conflict) if tries == 0 => tries += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

const DIFFERENT: &str = "duplicate (service, username) with different data";

/// What a batch will write, its counts and its refused lines.
async fn plan(
    state: &AppState,
    lines: &[Pending],
) -> Result<(LegacyBatch, Summary, Vec<(u64, &'static str)>), ImportError> {
    let keys: Vec<LegacyKey> = lines.iter().map(|p| p.key.clone()).collect();
    let stored: HashMap<LegacyKey, String> = state
        .stores
        .legacy
        .find_legacy(&keys)
        .await?
        .into_iter()
        .map(|a| (a.key(), a.digest))
        .collect();
    let mut counts = Summary::default();
    let mut refused = Vec::new();
    // Earlier lines of this batch, by key: a repeat is checked against them too.
    let mut seen: HashMap<&LegacyKey, &str> = HashMap::new();
    let mut fresh: Vec<&Pending> = Vec::new();
    for p in lines {
        match stored
            .get(&p.key)
            .map(String::as_str)
            .or(seen.get(&p.key).copied())
        {
            Some(d) if d == p.digest => counts.skipped += 1,
            Some(_) => refused.push((p.line, DIFFERENT)),
            None => {
                seen.insert(&p.key, &p.digest);
                fresh.push(p);
            }
        }
    }
    let emails: Vec<String> = {
        let mut e: Vec<String> = fresh
            .iter()
            .filter_map(|p| p.record.email.clone())
            .collect();
        e.sort();
        e.dedup();
        e
    };
    let mut identity: BTreeMap<String, String> = state
        .stores
        .legacy
        .user_ids_by_email(&emails)
        .await?
        .into_iter()
        .collect();
    let now = state.now();
    let mut batch = LegacyBatch::default();
    for p in fresh {
        let r = &p.record;
        let user_id = match &r.email {
            None => {
                counts.created += 1;
                counts.pending += 1;
                None
            }
            Some(email) => Some(match identity.get(email) {
                Some(id) => {
                    counts.merged += 1;
                    id.clone()
                }
                None => {
                    counts.created += 1;
                    let user = new_identity(r, email, now);
                    identity.insert(email.clone(), user.id.clone());
                    let id = user.id.clone();
                    batch.users.push(user);
                    id
                }
            }),
        };
        batch.accounts.push(LegacyAccount {
            service: r.service.clone(),
            username: r.username.clone(),
            user_id,
            email: r.email.clone(),
            email_verified: r.email_verified,
            given_name: r.given_name.clone(),
            family_name: r.family_name.clone(),
            phone: r.phone.clone(),
            password_hash: Some(r.password_hash.clone()),
            digest: p.digest.clone(),
            legacy_created_at: r.created_at,
            imported_at: now,
            migrated_at: None,
        });
    }
    Ok((batch, counts, refused))
}

/// The identity made for the first old account with an address. It has no password yet:
/// its owner signs in with an old one, or sets one through the recovery link. Its id is a
/// UUIDv7 (time first, then random): a million of them go into the ids' indexes in order
/// instead of at random places, a third of the import's page writes. It tells when the
/// import ran, nothing about the person.
fn new_identity(r: &Record, email: &str, now: i64) -> User {
    User {
        id: uuid::Uuid::now_v7().to_string(),
        email: email.to_owned(),
        email_verified: r.email_verified,
        given_name: r.given_name.clone(),
        family_name: r.family_name.clone(),
        phone: r.phone.clone(),
        created_at: now,
        updated_at: now,
        ..Default::default()
    }
}
