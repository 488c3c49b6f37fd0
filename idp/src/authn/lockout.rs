//! Account lockout (Keycloak's model, the Poste Italiane rule): after `max_failures`
//! consecutive failed sign-in steps the account is locked for `temporary_duration`; after
//! `max_temporary_locks` such locks without a success in between the lock becomes permanent
//! (stored durably) and the owner is emailed a link to set a new password.
//!
//! Everything is keyed by a hash of the normalised email, never by account, so an address
//! without an account locks exactly like one with an account.
//!
//! Atomicity: each attempt takes a numbered ticket with one atomic `incr` on the failure
//! counter of the current *epoch* before any password is verified; tickets past
//! `max_failures` are refused unverified. When the last allowed ticket fails, the lock is set
//! and only then the epoch advances, so the next epoch's counter is reachable only by
//! attempts that read the new epoch and therefore also see the lock. The epoch is read before
//! the lock is checked for exactly that reason. Redis makes the same steps atomic across nodes.

use std::time::Duration;

use crate::{
    crypto::token_hash,
    model::contact::normalize_email,
    state::AppState,
    storage::{StorageError, StorageResult},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open(TicketId),
    /// Locked until this time (Unix seconds); `None` means permanently.
    Locked(Option<i64>),
}

/// The right to verify one credential: (address key, epoch, ticket number). Opaque to callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketId(String, u64, u64);

/// What a failure led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterFailure {
    StillOpen,
    LockedUntil(i64),
    LockedPermanently,
}

const EPOCH_TTL: Duration = Duration::from_secs(90 * 24 * 3600);

/// The key an attempt is counted under: the normalised address, or for input that is not
/// an address, the trimmed lower-cased input (it gets locked all the same).
pub fn attempt_identifier(email: &str) -> String {
    normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase())
}

/// The key that stands for an email address in every lockout record.
pub fn email_key(normalized_email: &str) -> String {
    token_hash(&format!("lockout:{normalized_email}"))
}

fn epoch_key(k: &str) -> String {
    format!("lo:epoch:{k}")
}
fn fail_key(k: &str, epoch: u64) -> String {
    format!("lo:fail:{k}:{epoch}")
}
fn until_key(k: &str) -> String {
    format!("lo:until:{k}")
}
fn temps_key(k: &str) -> String {
    format!("lo:temps:{k}")
}

fn parse_u64(raw: Option<Vec<u8>>) -> u64 {
    raw.and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Whether the address is locked now, without taking a ticket (a look, not an attempt).
pub async fn is_locked(state: &AppState, normalized_email: &str) -> StorageResult<bool> {
    Ok(lock_of(state, normalized_email).await? != Lock::None)
}

/// An address's lock, as an administrator sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    None,
    /// Until this time (Unix seconds).
    Temporary(i64),
    /// Until an administrator unlocks it or the owner sets a new password.
    Permanent,
}

/// The address's lock now (a look, not an attempt).
pub async fn lock_of(state: &AppState, normalized_email: &str) -> StorageResult<Lock> {
    let k = email_key(normalized_email);
    if state.stores.locks.is_locked_permanently(&k).await? {
        return Ok(Lock::Permanent);
    }
    let until = parse_u64(state.ephemeral.get(&until_key(&k)).await?) as i64;
    Ok(if until > state.now() {
        Lock::Temporary(until)
    } else {
        Lock::None
    })
}

/// Takes a ticket for one attempt, or says the account is locked.
pub async fn enter(state: &AppState, normalized_email: &str) -> StorageResult<Gate> {
    enter_unless(state, normalized_email, Stops::AnyLock).await
}

/// [`enter`] for the SMS code of a new-password link. That link is the way out of a
/// permanent lock, so only a temporary lock stops it; wrong codes still set temporary locks
/// like wrong passwords do, which is what throttles guessing the code.
pub async fn enter_reset(state: &AppState, normalized_email: &str) -> StorageResult<Gate> {
    enter_unless(state, normalized_email, Stops::TemporaryLockOnly).await
}

#[derive(PartialEq, Eq)]
enum Stops {
    AnyLock,
    TemporaryLockOnly,
}

async fn enter_unless(
    state: &AppState,
    normalized_email: &str,
    stops: Stops,
) -> StorageResult<Gate> {
    let k = email_key(normalized_email);
    let eph = state.ephemeral.as_ref();
    let epoch = parse_u64(eph.get(&epoch_key(&k)).await?);
    // The temporary lock is read before the permanent one: `failed` sets the permanent lock
    // before it removes the temporary one, so no attempt slips between the two.
    let until = parse_u64(eph.get(&until_key(&k)).await?) as i64;
    if stops == Stops::AnyLock && state.stores.locks.is_locked_permanently(&k).await? {
        return Ok(Gate::Locked(None));
    }
    if until > state.now() {
        return Ok(Gate::Locked(Some(until)));
    }
    let cfg = &state.config.lockout;
    let number = eph.incr(&fail_key(&k, epoch), cfg.failure_window).await?;
    if number > u64::from(cfg.max_failures) {
        // Another attempt holds the last ticket and is setting the lock.
        let until = state.now() + cfg.temporary_duration.as_secs() as i64;
        return Ok(Gate::Locked(Some(until)));
    }
    Ok(Gate::Open(TicketId(k, epoch, number)))
}

/// Records a failed attempt; the last allowed one sets the lock.
pub async fn failed(state: &AppState, id: &TicketId) -> StorageResult<AfterFailure> {
    let TicketId(key, _, number) = id;
    let cfg = &state.config.lockout;
    if *number < u64::from(cfg.max_failures) {
        return Ok(AfterFailure::StillOpen);
    }
    let eph = state.ephemeral.as_ref();
    let until = state.now() + cfg.temporary_duration.as_secs() as i64;
    eph.put(
        &until_key(key),
        until.to_string().into_bytes(),
        cfg.temporary_duration,
    )
    .await?;
    eph.incr(&epoch_key(key), EPOCH_TTL).await?;
    state.metrics.locks.inc();
    let temps = eph.incr(&temps_key(key), cfg.failure_window).await?;
    if temps >= u64::from(cfg.max_temporary_locks) {
        state
            .stores
            .locks
            .lock_permanently(key, state.now())
            .await?;
        eph.delete(&temps_key(key)).await?;
        // The permanent lock stands for itself; without the temporary one beside it, the
        // owner's unlock link works at once.
        eph.delete(&until_key(key)).await?;
        return Ok(AfterFailure::LockedPermanently);
    }
    Ok(AfterFailure::LockedUntil(until))
}

/// A ticket while its attempt is checked. Dropped before [`Held::done`] (the client hung
/// up during the password hash, which cancels the request, or a store failed midway), it
/// counts as a failed attempt in a task of its own: no attempt escapes the count, and no
/// ticket is lost (a lost ticket would refuse the address for `failure_window` without a
/// lock, an audit entry or an unlock email).
pub struct Held {
    state: AppState,
    ticket: TicketId,
    done: bool,
}

impl Held {
    pub fn new(state: &AppState, ticket: TicketId) -> Held {
        Held {
            state: state.clone(),
            ticket,
            done: false,
        }
    }

    pub fn ticket(&self) -> &TicketId {
        &self.ticket
    }

    /// The attempt's success or failure was recorded on the ticket.
    pub fn done(mut self) {
        self.done = true;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let (state, ticket) = (self.state.clone(), self.ticket.clone());
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = failed(&state, &ticket).await {
                    tracing::error!(error = %e, "an abandoned sign-in attempt was not counted");
                }
            });
        }
    }
}

/// A success resets the consecutive failures and the temporary locks.
pub async fn succeeded(state: &AppState, id: &TicketId) -> StorageResult<()> {
    let TicketId(key, epoch, _) = id;
    let eph = state.ephemeral.as_ref();
    eph.delete(&fail_key(key, *epoch)).await?;
    eph.delete(&temps_key(key)).await
}

/// Lifts every lock of an address (password reset, administrator). Returns whether a
/// permanent lock was lifted.
pub async fn unlock(state: &AppState, normalized_email: &str) -> Result<bool, StorageError> {
    let k = email_key(normalized_email);
    let eph = state.ephemeral.as_ref();
    eph.delete(&until_key(&k)).await?;
    eph.delete(&temps_key(&k)).await?;
    // A fresh epoch starts with a fresh failure count.
    eph.incr(&epoch_key(&k), EPOCH_TTL).await?;
    state.stores.locks.unlock(&k).await
}
