//! SMS one-time codes: 6 digits, valid 5 minutes, at most 5 wrong tries per code, a new code
//! at most every 60 seconds, single use. Codes live in the ephemeral store, hashed, so every
//! node sees them and none holds them in clear.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::{
    crypto::{ct_eq, token_hash},
    state::AppState,
    storage::{StorageResult, ephemeral},
};

pub const CODE_TTL_SECS: i64 = 300;
/// The purpose of sign-in and step-up codes.
pub const SIGN_IN: &str = "step-up";
/// The code of a new-password link (keyed by the link).
pub const RESET: &str = "reset";
pub const MAX_TRIES: u64 = 5;
pub const RESEND_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Serialize, Deserialize)]
struct Pending {
    code_hash: String,
    expires_at: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    Sent,
    /// A code was sent less than [`RESEND_INTERVAL`] ago and is still pending: it is the
    /// one to enter. (A code that was used or expired no longer holds the next one back.)
    Throttled,
    /// This account was sent `authn.sms_budget` codes within `authn.sms_budget_window`.
    OverBudget,
    /// The gateway did not take it (logged by the notifier).
    Failed,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    Valid,
    Wrong,
    /// No code pending (never sent, expired, used, or its tries spent).
    Expired,
    TooManyTries,
}

/// `purpose` separates flows (step-up, phone confirmation…); `subject` is who the code is for.
fn key(purpose: &str, subject: &str) -> String {
    format!("otp:{purpose}:{}", token_hash(subject))
}

fn ttl() -> Duration {
    Duration::from_secs(CODE_TTL_SECS as u64)
}

pub async fn send(
    state: &AppState,
    purpose: &str,
    subject: &str,
    phone: &str,
    text: impl FnOnce(&str) -> String,
) -> StorageResult<Sent> {
    // Bounds what can be sent to one phone, whichever flow asks (sign-in, registration,
    // recovery) and however often a used code frees the resend interval: per number, as
    // the number is what it costs and what is abused.
    let budget_key = format!("otp-budget:{}", token_hash(phone));
    let window = state.config.authn.sms_budget_window;
    let pending = state
        .ephemeral
        .get(&format!("{}:sent", key(purpose, subject)))
        .await?
        .is_some();
    if !pending {
        let spent = state.ephemeral.incr(&budget_key, window).await?;
        if spent > u64::from(state.config.authn.sms_budget) {
            return Ok(Sent::OverBudget);
        }
    }
    let Some(code) = issue(state, purpose, subject).await? else {
        return Ok(Sent::Throttled);
    };
    if state.notifier.sms(phone, &text(&code)).await.is_ok() {
        return Ok(Sent::Sent);
    }
    not_delivered(state, purpose, subject).await?;
    Ok(Sent::Failed)
}

/// Makes a new code for `subject` without sending it; `None` when one was made less than
/// [`RESEND_INTERVAL`] ago. The caller delivers it by any channel (an email code to a new
/// address), or not at all in flows that must behave the same whether or not there is anyone
/// to send it to (the code is then checked, and refused, like any other).
pub async fn issue(
    state: &AppState,
    purpose: &str,
    subject: &str,
) -> StorageResult<Option<String>> {
    let k = key(purpose, subject);
    if !state
        .ephemeral
        .put_if_absent(&format!("{k}:sent"), b"1".to_vec(), RESEND_INTERVAL)
        .await?
    {
        return Ok(None);
    }
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
    let pending = Pending {
        code_hash: token_hash(&code),
        expires_at: state.now() + CODE_TTL_SECS,
    };
    ephemeral::put_json(state.ephemeral.as_ref(), &k, &pending, ttl()).await?;
    state.ephemeral.delete(&format!("{k}:tries")).await?;
    Ok(Some(code))
}

/// The issued code did not go out: the user may ask again at once.
pub async fn not_delivered(state: &AppState, purpose: &str, subject: &str) -> StorageResult<()> {
    let k = key(purpose, subject);
    state.ephemeral.delete(&format!("{k}:sent")).await
}

pub async fn verify(
    state: &AppState,
    purpose: &str,
    subject: &str,
    code: &str,
) -> StorageResult<Check> {
    let k = key(purpose, subject);
    let Some(pending) = ephemeral::get_json::<Pending>(state.ephemeral.as_ref(), &k).await? else {
        return Ok(Check::Expired);
    };
    if pending.expires_at <= state.now() {
        state.ephemeral.delete(&k).await?;
        state.ephemeral.delete(&format!("{k}:sent")).await?;
        return Ok(Check::Expired);
    }
    // Counted before comparing, atomically, so parallel guesses cannot exceed the limit.
    let tries = state.ephemeral.incr(&format!("{k}:tries"), ttl()).await?;
    if tries > MAX_TRIES {
        state.ephemeral.delete(&k).await?;
        // No code is pending any more: the next request sends one.
        state.ephemeral.delete(&format!("{k}:sent")).await?;
        return Ok(Check::TooManyTries);
    }
    let given = token_hash(code.trim());
    if !ct_eq(given.as_bytes(), pending.code_hash.as_bytes()) {
        return Ok(Check::Wrong);
    }
    // Single use: of two requests with the right code, only the one that takes it wins.
    let taken: Option<Pending> = ephemeral::take_json(state.ephemeral.as_ref(), &k).await?;
    Ok(match taken {
        Some(p) if ct_eq(p.code_hash.as_bytes(), given.as_bytes()) => {
            // Used: the next sign-in (another device a minute later) gets a code of its own.
            state.ephemeral.delete(&format!("{k}:sent")).await?;
            Check::Valid
        }
        _ => Check::Expired,
    })
}
