//! The rate limits of `crate::ratelimit` as HTTP answers: past the limit, 429 with
//! `Retry-After`, as JSON or as a page.

use super::error::AppError;
use crate::{
    ratelimit::{self, LimitError},
    state::AppState,
    storage::StorageError,
};

fn store_error(e: StorageError, json: bool) -> AppError {
    if json {
        AppError::OAuth(e.into())
    } else {
        e.into()
    }
}

pub(super) fn limit_error(e: LimitError, json: bool) -> AppError {
    match e {
        LimitError::Limited(l) => AppError::RateLimited {
            retry_after: l.retry_after,
            json,
        },
        LimitError::Storage(e) => store_error(e, json),
    }
}

/// Counts one event of `id` in `bucket` and returns the count in this window.
pub async fn count(state: &AppState, bucket: &str, id: &str, json: bool) -> Result<u64, AppError> {
    ratelimit::count(state, bucket, id)
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
    ratelimit::hit(state, bucket, id, max)
        .await
        .map_err(|e| limit_error(e, json))
}

/// Refuses when `id` already reached `max` in `bucket`, without counting.
pub async fn check(
    state: &AppState,
    bucket: &str,
    id: &str,
    max: u32,
    json: bool,
) -> Result<(), AppError> {
    ratelimit::check(state, bucket, id, max)
        .await
        .map_err(|e| limit_error(e, json))
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
