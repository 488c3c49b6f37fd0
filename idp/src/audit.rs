//! The audit trail: security events with time, subject, client, IP, user agent and outcome.
//! Never a secret. Recording never fails the request that caused it: a storage error is
//! logged and counted instead.

use serde::Serialize;

use crate::{
    crypto::random_token,
    state::AppState,
    storage::{AuditEvent, User},
};

pub const SIGN_IN: &str = "sign_in";
pub const LOCK: &str = "lock";
pub const UNLOCK: &str = "unlock";
pub const FACTOR_ENROLLED: &str = "factor_enrolled";
pub const FACTOR_REMOVED: &str = "factor_removed";
pub const PASSWORD_CHANGED: &str = "password_changed";
pub const CONSENT_GIVEN: &str = "consent_given";
pub const CONSENT_REVOKED: &str = "consent_revoked";
pub const REFRESH_TOKEN_REPLAY: &str = "refresh_token_replay";
pub const CODE_REPLAY: &str = "code_replay";
pub const ADMIN: &str = "admin";
pub const ACCOUNT_CREATED: &str = "account_created";
pub const RECOVERY: &str = "recovery";
// The account console.
pub const PROFILE_CHANGED: &str = "profile_changed";
pub const EMAIL_CHANGED: &str = "email_changed";
pub const PHONE_CHANGED: &str = "phone_changed";
pub const SESSION_ENDED: &str = "session_ended";
pub const FAVOURITES_CHANGED: &str = "favourites_changed";
pub const DATA_EXPORTED: &str = "data_exported";

/// Where a request came from, as far as the server can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One event to record; fill what is known.
#[derive(Debug, Default)]
pub struct Entry<'a> {
    pub kind: &'static str,
    pub outcome: &'static str,
    pub user_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub meta: Option<&'a RequestMeta>,
    pub detail: Option<String>,
}

/// A successful action of `user` on their own account, the most common entry.
pub async fn user_success(
    state: &AppState,
    user: &User,
    meta: &RequestMeta,
    kind: &'static str,
    detail: &str,
) {
    record(
        state,
        Entry {
            kind,
            outcome: "success",
            user_id: Some(&user.id),
            email: Some(&user.email),
            meta: Some(meta),
            detail: Some(detail.to_owned()),
            ..Default::default()
        },
    )
    .await;
}

pub async fn record(state: &AppState, e: Entry<'_>) {
    let event = AuditEvent {
        id: format!("{:016x}-{}", state.now(), random_token(6)),
        at: state.now(),
        kind: e.kind.to_owned(),
        outcome: e.outcome.to_owned(),
        user_id: e.user_id.map(str::to_owned),
        email: e.email.map(str::to_owned),
        client_id: e.client_id.map(str::to_owned),
        ip: e.meta.and_then(|m| m.ip.clone()),
        user_agent: e.meta.and_then(|m| m.user_agent.clone()),
        detail: e.detail,
    };
    if let Err(err) = state.stores.audit.record_event(&event).await {
        tracing::error!(error = %err, kind = e.kind, "audit event not recorded");
    }
}
