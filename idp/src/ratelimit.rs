//! Fixed-window rate limits on the ephemeral store, so every node counts together. The HTTP
//! layer turns a refusal into 429 with `Retry-After`; use cases (`authn::check`) count
//! their own attempts here.

use crate::{
    audit::RequestMeta,
    crypto::token_hash,
    model::net::AddressGroup,
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

/// The address a request is counted under: its IPv4 address or its IPv6 /64.
pub fn address(meta: &RequestMeta) -> AddressGroup {
    AddressGroup::parse(meta.ip.as_deref().unwrap_or(""))
}

/// [`hit`] counted per address ([`address`]): every per-address limit goes through here,
/// so none counts an IPv6 host's many addresses apart.
pub async fn hit_address(
    state: &AppState,
    bucket: &str,
    meta: &RequestMeta,
    max: u32,
) -> Result<(), LimitError> {
    hit(state, bucket, address(meta).as_str(), max).await
}

/// The count of `id` in `bucket` in this window, without counting.
pub async fn current(state: &AppState, bucket: &str, id: &str) -> StorageResult<u64> {
    let (start, _, _) = window(state);
    Ok(state
        .ephemeral
        .get(&key(bucket, id, &start))
        .await?
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0))
}

/// Seconds until the current window ends.
pub fn retry_after(state: &AppState) -> i64 {
    window(state).1
}
