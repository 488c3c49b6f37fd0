//! Fixed-window rate limits on the ephemeral store (so every node counts together): past
//! the limit, 429 with `Retry-After`.

use super::error::AppError;
use crate::{crypto::token_hash, state::AppState, storage::StorageError};

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
pub async fn count(state: &AppState, bucket: &str, id: &str, json: bool) -> Result<u64, AppError> {
    let (start, _, w) = window(state);
    state
        .ephemeral
        .incr(
            &key(bucket, id, &start),
            std::time::Duration::from_secs(w as u64),
        )
        .await
        .map_err(|e| store_error(e, json))
}

/// Counts one request of `id` in `bucket`; refuses it past `max` per window.
pub async fn hit(
    state: &AppState,
    bucket: &str,
    id: &str,
    max: u32,
    json: bool,
) -> Result<(), AppError> {
    if count(state, bucket, id, json).await? > u64::from(max) {
        let (_, retry_after, _) = window(state);
        return Err(AppError::RateLimited { retry_after, json });
    }
    Ok(())
}

/// Refuses when `id` already reached `max` in `bucket`, without counting (for limits on
/// failures, which are counted with [`hit`] only when they happen).
pub async fn check(
    state: &AppState,
    bucket: &str,
    id: &str,
    max: u32,
    json: bool,
) -> Result<(), AppError> {
    let (start, retry_after, _) = window(state);
    let n: u64 = state
        .ephemeral
        .get(&key(bucket, id, &start))
        .await
        .map_err(|e| store_error(e, json))?
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if n >= u64::from(max) {
        return Err(AppError::RateLimited { retry_after, json });
    }
    Ok(())
}

fn store_error(e: StorageError, json: bool) -> AppError {
    if json {
        AppError::OAuth(e.into())
    } else {
        e.into()
    }
}

/// [`hit`] for a page, counted per client IP.
pub async fn per_ip(
    state: &AppState,
    bucket: &str,
    meta: &crate::audit::RequestMeta,
    max: u32,
) -> Result<(), AppError> {
    hit(state, bucket, meta.ip.as_deref().unwrap_or(""), max, false).await
}
