//! OAuth errors as values (RFC 6749 §5.2, §4.1.2.1; RFC 6750 §3.1).
//!
//! `description` is shown to the client and must never carry internal detail; storage and
//! crypto failures are logged where they happen and surface here only as `server_error` or
//! `temporarily_unavailable`.

use std::borrow::Cow;

use crate::storage::StorageError;

/// The error codes Postern answers with (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, OIDC
/// Core §3.1.2.6, RFC 8628 §3.5); each has one string form, used only on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedTokenType,
    UnsupportedResponseType,
    InvalidScope,
    InvalidToken,
    InsufficientScope,
    AccessDenied,
    LoginRequired,
    InteractionRequired,
    ConsentRequired,
    ServerError,
    TemporarilyUnavailable,
    RequestNotSupported,
    RequestUriNotSupported,
    InvalidRequestObject,
    InvalidDpopProof,
    UseDpopNonce,
    /// RFC 8628 §3.5: the person has not decided yet; poll again after the interval.
    AuthorizationPending,
    /// RFC 8628 §3.5: polled sooner than the interval; the interval grows by 5 seconds.
    SlowDown,
    /// RFC 8628 §3.5: the device code expired; start a new device authorization.
    ExpiredToken,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::UnsupportedTokenType => "unsupported_token_type",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::LoginRequired => "login_required",
            ErrorCode::InteractionRequired => "interaction_required",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::RequestNotSupported => "request_not_supported",
            ErrorCode::RequestUriNotSupported => "request_uri_not_supported",
            ErrorCode::InvalidRequestObject => "invalid_request_object",
            ErrorCode::InvalidDpopProof => "invalid_dpop_proof",
            ErrorCode::UseDpopNonce => "use_dpop_nonce",
            ErrorCode::AuthorizationPending => "authorization_pending",
            ErrorCode::SlowDown => "slow_down",
            ErrorCode::ExpiredToken => "expired_token",
        }
    }
}

impl ErrorCode {
    const ALL: [ErrorCode; 24] = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidClient,
        ErrorCode::InvalidGrant,
        ErrorCode::UnauthorizedClient,
        ErrorCode::UnsupportedGrantType,
        ErrorCode::UnsupportedTokenType,
        ErrorCode::UnsupportedResponseType,
        ErrorCode::InvalidScope,
        ErrorCode::InvalidToken,
        ErrorCode::InsufficientScope,
        ErrorCode::AccessDenied,
        ErrorCode::LoginRequired,
        ErrorCode::InteractionRequired,
        ErrorCode::ConsentRequired,
        ErrorCode::ServerError,
        ErrorCode::TemporarilyUnavailable,
        ErrorCode::RequestNotSupported,
        ErrorCode::RequestUriNotSupported,
        ErrorCode::InvalidRequestObject,
        ErrorCode::InvalidDpopProof,
        ErrorCode::UseDpopNonce,
        ErrorCode::AuthorizationPending,
        ErrorCode::SlowDown,
        ErrorCode::ExpiredToken,
    ];

    /// The code of its string form.
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub code: ErrorCode,
    pub description: Cow<'static, str>,
    pub status: u16,
    /// Set when the client tried HTTP Basic authentication, so the 401 names the scheme
    /// (RFC 6749 §5.2).
    pub basic_challenge: bool,
    /// For 429: seconds until the caller may try again (`Retry-After`).
    pub retry_after: Option<i64>,
    /// For `use_dpop_nonce`: the nonce to use (the `DPoP-Nonce` header, RFC 9449 §8).
    pub dpop_nonce: Option<String>,
}

impl OAuthError {
    pub fn new(code: ErrorCode, status: u16, description: impl Into<Cow<'static, str>>) -> Self {
        OAuthError {
            code,
            description: description.into(),
            status,
            basic_challenge: false,
            retry_after: None,
            dpop_nonce: None,
        }
    }

    /// Too many failed attempts: 429 with `Retry-After`. RFC 6749 has no code for it;
    /// `temporarily_unavailable` says "try later", which is what the caller should do.
    pub fn too_many_requests(retry_after: i64) -> Self {
        OAuthError {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                ErrorCode::TemporarilyUnavailable,
                429,
                "too many failed attempts; retry later",
            )
        }
    }

    pub fn invalid_request(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InvalidRequest, 400, d)
    }
    pub fn invalid_client(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InvalidClient, 401, d)
    }
    /// RFC 9449 §5: a DPoP proof that does not hold.
    pub fn invalid_dpop_proof(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InvalidDpopProof, 400, d)
    }
    pub fn invalid_grant(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InvalidGrant, 400, d)
    }
    pub fn unauthorized_client(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::UnauthorizedClient, 400, d)
    }
    pub fn unsupported_grant_type(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::UnsupportedGrantType, 400, d)
    }
    pub fn unsupported_token_type(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::UnsupportedTokenType, 400, d)
    }
    pub fn invalid_scope(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InvalidScope, 400, d)
    }
    pub fn invalid_token(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InvalidToken, 401, d)
    }
    pub fn insufficient_scope(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::InsufficientScope, 403, d)
    }
    pub fn access_denied(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::AccessDenied, 400, d)
    }
    pub fn server_error() -> Self {
        Self::new(
            ErrorCode::ServerError,
            500,
            "the server could not complete the request",
        )
    }
    pub fn temporarily_unavailable() -> Self {
        Self::new(
            ErrorCode::TemporarilyUnavailable,
            503,
            "the service is temporarily unavailable; try again shortly",
        )
    }

    pub fn with_basic_challenge(mut self, yes: bool) -> Self {
        self.basic_challenge = yes;
        self
    }
}

impl From<StorageError> for OAuthError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(_) => OAuthError::temporarily_unavailable(),
            _ => OAuthError::server_error(),
        }
    }
}

/// An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeError {
    pub code: ErrorCode,
    pub description: Cow<'static, str>,
}

impl AuthorizeError {
    pub fn new(code: ErrorCode, d: impl Into<Cow<'static, str>>) -> Self {
        AuthorizeError {
            code,
            description: d.into(),
        }
    }
}
