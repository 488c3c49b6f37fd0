//! OAuth errors as values (RFC 6749 §5.2, §4.1.2.1; RFC 6750 §3.1).
//!
//! `description` is shown to the client and must never carry internal detail; storage and
//! crypto failures are logged where they happen and surface here only as `server_error` or
//! `temporarily_unavailable`.

use std::borrow::Cow;

use crate::storage::StorageError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub code: &'static str,
    pub description: Cow<'static, str>,
    pub status: u16,
    /// Set when the client tried HTTP Basic authentication, so the 401 names the scheme
    /// (RFC 6749 §5.2).
    pub basic_challenge: bool,
}

impl OAuthError {
    pub fn new(code: &'static str, status: u16, description: impl Into<Cow<'static, str>>) -> Self {
        OAuthError {
            code,
            description: description.into(),
            status,
            basic_challenge: false,
        }
    }

    pub fn invalid_request(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_request", 400, d)
    }
    pub fn invalid_client(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_client", 401, d)
    }
    pub fn invalid_grant(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_grant", 400, d)
    }
    pub fn unauthorized_client(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("unauthorized_client", 400, d)
    }
    pub fn unsupported_grant_type(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("unsupported_grant_type", 400, d)
    }
    pub fn unsupported_token_type(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("unsupported_token_type", 400, d)
    }
    pub fn invalid_scope(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_scope", 400, d)
    }
    pub fn invalid_token(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_token", 401, d)
    }
    pub fn insufficient_scope(d: impl Into<Cow<'static, str>>) -> Self {
        Self::new("insufficient_scope", 403, d)
    }
    pub fn server_error() -> Self {
        Self::new(
            "server_error",
            500,
            "the server could not complete the request",
        )
    }
    pub fn temporarily_unavailable() -> Self {
        Self::new(
            "temporarily_unavailable",
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
    pub code: &'static str,
    pub description: Cow<'static, str>,
}

impl AuthorizeError {
    pub fn new(code: &'static str, d: impl Into<Cow<'static, str>>) -> Self {
        AuthorizeError {
            code,
            description: d.into(),
        }
    }
}
