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

/// [`hit`] counted per client address (an IPv6 /64 as one), for a page or, with `json`,
/// for a script.
pub async fn per_address(
    state: &AppState,
    bucket: &str,
    meta: &crate::audit::RequestMeta,
    max: u32,
    json: bool,
) -> Result<(), AppError> {
    ratelimit::hit_address(state, bucket, meta, max)
        .await
        .map_err(|e| limit_error(e, json))
}

/// [`per_address`] for a page.
pub async fn per_ip(
    state: &AppState,
    bucket: &str,
    meta: &crate::audit::RequestMeta,
    max: u32,
) -> Result<(), AppError> {
    per_address(state, bucket, meta, max, false).await
}
