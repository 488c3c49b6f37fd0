//! The audit trail: security events with time, subject, client, IP, user agent and outcome.
//! Never a secret. Recording never fails the request that caused it: a storage error is
//! logged and counted instead.

use serde::Serialize;

use crate::{
    crypto::random_token,
    state::AppState,
    storage::{AuditEvent, User},
};

/// What an audit event records; stored and shown by its one string form. The schema (the
/// management API's `kind` filter) names the same strings: a test holds them together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AuditKind {
    #[default]
    SignIn,
    Lock,
    Unlock,
    FactorEnrolled,
    FactorRemoved,
    PasswordChanged,
    ConsentGiven,
    ConsentRevoked,
    RefreshTokenReplay,
    CodeReplay,
    Admin,
    AccountCreated,
    Recovery,
    ProfileChanged,
    EmailChanged,
    PhoneChanged,
    SessionEnded,
    FavouritesChanged,
    DataExported,
    AccountDeletionRequested,
    AccountErased,
    LegacyImport,
    LegacyMigration,
    BackchannelLogout,
    /// A person confirmed a device's user code (RFC 8628): the device may get tokens.
    DeviceApproved,
    /// A person refused a device's user code.
    DeviceDenied,
}

impl AuditKind {
    pub const ALL: [AuditKind; 26] = [
        AuditKind::SignIn,
        AuditKind::Lock,
        AuditKind::Unlock,
        AuditKind::FactorEnrolled,
        AuditKind::FactorRemoved,
        AuditKind::PasswordChanged,
        AuditKind::ConsentGiven,
        AuditKind::ConsentRevoked,
        AuditKind::RefreshTokenReplay,
        AuditKind::CodeReplay,
        AuditKind::Admin,
        AuditKind::AccountCreated,
        AuditKind::Recovery,
        AuditKind::ProfileChanged,
        AuditKind::EmailChanged,
        AuditKind::PhoneChanged,
        AuditKind::SessionEnded,
        AuditKind::FavouritesChanged,
        AuditKind::DataExported,
        AuditKind::AccountDeletionRequested,
        AuditKind::AccountErased,
        AuditKind::LegacyImport,
        AuditKind::LegacyMigration,
        AuditKind::BackchannelLogout,
        AuditKind::DeviceApproved,
        AuditKind::DeviceDenied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::SignIn => "sign_in",
            AuditKind::Lock => "lock",
            AuditKind::Unlock => "unlock",
            AuditKind::FactorEnrolled => "factor_enrolled",
            AuditKind::FactorRemoved => "factor_removed",
            AuditKind::PasswordChanged => "password_changed",
            AuditKind::ConsentGiven => "consent_given",
            AuditKind::ConsentRevoked => "consent_revoked",
            AuditKind::RefreshTokenReplay => "refresh_token_replay",
            AuditKind::CodeReplay => "code_replay",
            AuditKind::Admin => "admin",
            AuditKind::AccountCreated => "account_created",
            AuditKind::Recovery => "recovery",
            AuditKind::ProfileChanged => "profile_changed",
            AuditKind::EmailChanged => "email_changed",
            AuditKind::PhoneChanged => "phone_changed",
            AuditKind::SessionEnded => "session_ended",
            AuditKind::FavouritesChanged => "favourites_changed",
            AuditKind::DataExported => "data_exported",
            AuditKind::AccountDeletionRequested => "account_deletion_requested",
            AuditKind::AccountErased => "account_erased",
            AuditKind::LegacyImport => "legacy_import",
            AuditKind::LegacyMigration => "legacy_migration",
            AuditKind::BackchannelLogout => "backchannel_logout",
            AuditKind::DeviceApproved => "device_approved",
            AuditKind::DeviceDenied => "device_denied",
        }
    }

    pub fn parse(s: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Outcome {
    #[default]
    Success,
    Failure,
    /// Neither: something happened (a lock was set).
    Info,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Success, Outcome::Failure, Outcome::Info];

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Info => "info",
        }
    }
}

// The kinds by their old names, typed.
pub const SIGN_IN: AuditKind = AuditKind::SignIn;
pub const LOCK: AuditKind = AuditKind::Lock;
pub const UNLOCK: AuditKind = AuditKind::Unlock;
pub const FACTOR_ENROLLED: AuditKind = AuditKind::FactorEnrolled;
pub const FACTOR_REMOVED: AuditKind = AuditKind::FactorRemoved;
pub const PASSWORD_CHANGED: AuditKind = AuditKind::PasswordChanged;
pub const CONSENT_GIVEN: AuditKind = AuditKind::ConsentGiven;
pub const CONSENT_REVOKED: AuditKind = AuditKind::ConsentRevoked;
pub const REFRESH_TOKEN_REPLAY: AuditKind = AuditKind::RefreshTokenReplay;
pub const CODE_REPLAY: AuditKind = AuditKind::CodeReplay;
pub const ADMIN: AuditKind = AuditKind::Admin;
pub const ACCOUNT_CREATED: AuditKind = AuditKind::AccountCreated;
pub const RECOVERY: AuditKind = AuditKind::Recovery;
pub const PROFILE_CHANGED: AuditKind = AuditKind::ProfileChanged;
pub const EMAIL_CHANGED: AuditKind = AuditKind::EmailChanged;
pub const PHONE_CHANGED: AuditKind = AuditKind::PhoneChanged;
pub const SESSION_ENDED: AuditKind = AuditKind::SessionEnded;
pub const FAVOURITES_CHANGED: AuditKind = AuditKind::FavouritesChanged;
pub const DATA_EXPORTED: AuditKind = AuditKind::DataExported;
pub const DELETION_REQUESTED: AuditKind = AuditKind::AccountDeletionRequested;
pub const ERASED: AuditKind = AuditKind::AccountErased;
pub const LEGACY_IMPORT: AuditKind = AuditKind::LegacyImport;
pub const LEGACY_MIGRATION: AuditKind = AuditKind::LegacyMigration;
pub const BACKCHANNEL_LOGOUT: AuditKind = AuditKind::BackchannelLogout;
pub const DEVICE_APPROVED: AuditKind = AuditKind::DeviceApproved;
pub const DEVICE_DENIED: AuditKind = AuditKind::DeviceDenied;

/// Where a request came from, as far as the server can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Who performs an administrative act: decides what they may do, and is named in every
/// audit entry the act causes (`actor_client_id`, `actor_user_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The operator's staff tools: a client credentials token with an admin scope;
    /// `every_area` when that scope is `admin` itself.
    Operator { client_id: String, every_area: bool },
    /// A person: through the management API with a token of `client_id` (scope `org_admin`),
    /// or on the console pages of Postern itself (`client_id: None`). May manage the
    /// organisations where they are an admin.
    User {
        user_id: String,
        client_id: Option<String>,
    },
    /// Someone with a shell on the server (`idp …`): the operator, with no token to name.
    CommandLine,
}

impl Actor {
    /// The operator, through a token or the command line.
    pub fn is_operator(&self) -> bool {
        matches!(self, Actor::Operator { .. } | Actor::CommandLine)
    }

    /// May act in every area of the management API: scope `admin`, or the command line.
    /// Only such an actor may hand out (or take over) administrative power.
    pub fn in_every_area(&self) -> bool {
        matches!(
            self,
            Actor::Operator {
                every_area: true,
                ..
            } | Actor::CommandLine
        )
    }

    /// The client whose token acts, if any.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Actor::Operator { client_id, .. } => Some(client_id),
            Actor::User { client_id, .. } => client_id.as_deref(),
            Actor::CommandLine => None,
        }
    }

    fn user_id(&self) -> Option<&str> {
        match self {
            Actor::User { user_id, .. } => Some(user_id),
            _ => None,
        }
    }
}

/// One event to record; fill what is known.
#[derive(Debug, Default)]
pub struct Entry<'a> {
    pub kind: AuditKind,
    pub outcome: Outcome,
    pub user_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub meta: Option<&'a RequestMeta>,
    pub detail: Option<String>,
    /// Who acted, for an administrative act.
    pub actor: Option<&'a Actor>,
}

/// A successful action of `user` on their own account, the most common entry.
pub async fn user_success(
    state: &AppState,
    user: &User,
    meta: &RequestMeta,
    kind: AuditKind,
    detail: &str,
) {
    record(
        state,
        Entry {
            kind,
            outcome: Outcome::Success,
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
        kind: e.kind.as_str().to_owned(),
        outcome: e.outcome.as_str().to_owned(),
        user_id: e.user_id.map(str::to_owned),
        email: e.email.map(str::to_owned),
        client_id: e.client_id.map(str::to_owned),
        ip: e.meta.and_then(|m| m.ip.clone()),
        user_agent: e.meta.and_then(|m| m.user_agent.clone()),
        detail: e.detail,
        actor_client_id: e.actor.and_then(Actor::client_id).map(str::to_owned),
        actor_user_id: e.actor.and_then(Actor::user_id).map(str::to_owned),
    };
    if let Err(err) = state.stores.audit.record_event(&event).await {
        tracing::error!(error = %err, kind = e.kind.as_str(), "audit event not recorded");
    }
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    use super::*;

    /// The values the OpenAPI document offers for a filter.
    fn schema_values<T: PartialSchema>() -> Vec<String> {
        let json = serde_json::to_value(T::schema()).unwrap();
        let values = json["enum"].as_array().expect("an enum").iter();
        values.map(|v| v.as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn the_documented_kinds_and_outcomes_are_the_stored_ones() {
        let kinds: Vec<&str> = AuditKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(schema_values::<AuditKind>(), kinds);
        for k in AuditKind::ALL {
            assert_eq!(AuditKind::parse(k.as_str()), Some(k));
        }
        let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(schema_values::<Outcome>(), outcomes);
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Outcome::parse("Success"), None);
    }
}
