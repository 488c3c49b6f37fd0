//! The one application error type and its mapping to responses: RFC 6749 JSON for protocol
//! endpoints, RFC 6750 challenges for bearer-protected ones, readable pages for people.
//! Internal detail is logged where it happens and never shown.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    protocol::error::{ErrorCode, OAuthError},
    storage::StorageError,
};

#[derive(Debug)]
pub enum AppError {
    /// A protocol error as JSON (token, introspection, revocation).
    OAuth(OAuthError),
    /// A bearer-token error (userinfo), with `WWW-Authenticate: Bearer`.
    Bearer(OAuthError),
    /// Too many requests: 429 with `Retry-After` (seconds), as JSON or as a page.
    RateLimited { retry_after: i64, json: bool },
    /// A page for a person: the message `key` of the catalogue (its `.title` attribute is
    /// the heading), rendered in the request's language by `ui::localize_errors`.
    Page {
        status: StatusCode,
        key: &'static str,
    },
    /// Not an error for the person: go there first (sign in, prove a factor) and come back.
    /// Always a path of ours (`respond::local_redirect`).
    Redirect(String),
    /// Not an error for the person: a sign-in of Postern's own to go through first
    /// (`begin::begin`).
    BeginSignIn(super::begin::BeginSignIn),
    /// A message for a page's script, as JSON (`util::json_message`).
    Json {
        status: StatusCode,
        key: &'static str,
    },
}

/// The marker an error response carries until `ui::localize_errors` renders it.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl AppError {
    pub fn page(status: StatusCode, key: &'static str) -> AppError {
        AppError::Page { status, key }
    }

    pub fn bad_request(key: &'static str) -> AppError {
        AppError::page(StatusCode::BAD_REQUEST, key)
    }

    pub fn expired_sign_in() -> AppError {
        AppError::bad_request("err-expired-sign-in")
    }

    pub fn internal() -> AppError {
        AppError::page(StatusCode::INTERNAL_SERVER_ERROR, "err-internal")
    }

    /// Too many attempts, on a page.
    pub fn limited(l: crate::ratelimit::Limited) -> AppError {
        AppError::RateLimited {
            retry_after: l.retry_after,
            json: false,
        }
    }
}

impl From<crate::authn::check::CheckError> for AppError {
    fn from(e: crate::authn::check::CheckError) -> Self {
        use crate::authn::check::CheckError;
        match e {
            CheckError::Storage(s) => s.into(),
            CheckError::Internal => AppError::internal(),
            CheckError::PasskeysOff => AppError::Json {
                status: StatusCode::NOT_FOUND,
                key: "js-passkeys-off",
            },
        }
    }
}

fn error_page(status: StatusCode, key: &'static str) -> Response {
    let mut r = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        key,
    )
        .into_response();
    r.extensions_mut().insert(ErrorPage { key, args: vec![] });
    r
}

impl From<OAuthError> for AppError {
    fn from(e: OAuthError) -> Self {
        AppError::OAuth(e)
    }
}

/// Storage failures on page endpoints; protocol endpoints convert to `OAuthError` instead.
impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(detail) => {
                tracing::error!(%detail, "storage unavailable");
                AppError::page(StatusCode::SERVICE_UNAVAILABLE, "err-unavailable")
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::internal()
            }
        }
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST)
}

fn no_store(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

/// RFC 6750 §3: the challenge names the error; quotes are not allowed in the description.
fn bearer_challenge(e: &OAuthError) -> HeaderValue {
    let desc: String = e
        .description
        .chars()
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    // RFC 9449 §7.1: a proof that does not hold is answered in the DPoP scheme.
    let scheme = if matches!(
        e.code,
        ErrorCode::InvalidDpopProof | ErrorCode::UseDpopNonce
    ) {
        "DPoP algs=\"RS256 PS256 ES256 EdDSA\","
    } else {
        "Bearer"
    };
    HeaderValue::from_str(&format!(
        "{scheme} realm=\"postern\", error=\"{}\", error_description=\"{}\"",
        e.code, desc
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("Bearer realm=\"postern\""))
}

/// RFC 9449 §8, §9: a `use_dpop_nonce` answer carries the nonce to use.
fn with_dpop_nonce(mut r: Response, e: &OAuthError) -> Response {
    if let Some(v) = e
        .dpop_nonce
        .as_deref()
        .and_then(|n| HeaderValue::from_str(n).ok())
    {
        r.headers_mut().insert("dpop-nonce", v);
    }
    r
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::OAuth(e) => {
                let body = Json(json!({ "error": e.code, "error_description": e.description }));
                let mut r = (status(e.status), body).into_response();
                if e.basic_challenge && e.status == 401 {
                    r.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Basic realm=\"postern\""),
                    );
                }
                if let Some(v) = e
                    .retry_after
                    .and_then(|s| HeaderValue::from_str(&s.to_string()).ok())
                {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                no_store(with_dpop_nonce(r, &e))
            }
            AppError::Bearer(e) => {
                let mut r = if e.code == crate::protocol::error::ErrorCode::InvalidToken
                    || e.code == crate::protocol::error::ErrorCode::InsufficientScope
                {
                    status(e.status).into_response()
                } else {
                    let body = Json(json!({ "error": e.code, "error_description": e.description }));
                    (status(e.status), body).into_response()
                };
                if e.status == 401 || e.status == 403 {
                    r.headers_mut()
                        .insert(header::WWW_AUTHENTICATE, bearer_challenge(&e));
                }
                no_store(with_dpop_nonce(r, &e))
            }
            AppError::RateLimited { retry_after, json } => {
                let mut r = if json {
                    let body = Json(json!({
                        "error": crate::protocol::error::ErrorCode::TemporarilyUnavailable,
                        "error_description": "too many requests; retry later",
                    }));
                    (StatusCode::TOO_MANY_REQUESTS, body).into_response()
                } else {
                    error_page(StatusCode::TOO_MANY_REQUESTS, "err-rate-limited")
                };
                if let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                no_store(r)
            }
            AppError::Page { status, key } => no_store(error_page(status, key)),
            AppError::Redirect(to) => super::respond::local_redirect(&to),
            AppError::BeginSignIn(b) => super::begin::begin(*b.tx, b.page),
            AppError::Json { status, key } => super::respond::json_message(status, key),
        }
    }
}
