//! Fixed-window rate limits on the ephemeral store, so every node counts together. The HTTP
//! layer turns a refusal into 429 with `Retry-After`; use cases (`authn::check`) count
//! their own attempts here.

use crate::{
    crypto::token_hash,
    state::AppState,
    storage::{StorageError, StorageResult},
};

/// Refused: try again in `retry_after` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: i64,
}

#[derive(Debug)]
pub enum LimitError {
    Limited(Limited),
    Storage(StorageError),
}

impl From<StorageError> for LimitError {
    fn from(e: StorageError) -> Self {
        LimitError::Storage(e)
    }
}

fn window(state: &AppState) -> (String, i64, i64) {
    let w = state.config.rate_limit.window.as_secs().max(1) as i64;
    let now = state.now();
    let start = now - now.rem_euclid(w);
    (start.to_string(), start + w - now, w)
}

fn key(bucket: &str, id: &str, start: &str) -> String {
    format!("rl:{bucket}:{}:{start}", token_hash(id))
}

/// Counts one event of `id` in `bucket` and returns the count in this window.
pub async fn count(state: &AppState, bucket: &str, id: &str) -> StorageResult<u64> {
    let (start, _, w) = window(state);
    state
        .ephemeral
        .incr(
            &key(bucket, id, &start),
            std::time::Duration::from_secs(w as u64),
        )
        .await
}

/// Counts one request of `id` in `bucket`; refuses it past `max` per window.
pub async fn hit(state: &AppState, bucket: &str, id: &str, max: u32) -> Result<(), LimitError> {
    if count(state, bucket, id).await? > u64::from(max) {
        let (_, retry_after, _) = window(state);
        return Err(LimitError::Limited(Limited { retry_after }));
    }
    Ok(())
}

/// Refuses when `id` already reached `max` in `bucket`, without counting (for limits on
/// failures, which are counted with [`hit`] only when they happen).
pub async fn check(state: &AppState, bucket: &str, id: &str, max: u32) -> Result<(), LimitError> {
    let (start, retry_after, _) = window(state);
    let n: u64 = state
        .ephemeral
        .get(&key(bucket, id, &start))
        .await?
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if n >= u64::from(max) {
        return Err(LimitError::Limited(Limited { retry_after }));
    }
    Ok(())
}
