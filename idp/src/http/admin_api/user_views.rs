//! The shapes of the users area: what an administrator sees of an account, its sessions and
//! grants. Never a password hash or a factor's secret.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    admin::users::{Account, Factors},
    authn::lockout::Lock,
    storage::{Grant, SessionRecord, UserStatus},
};

/// Whether sign-in is locked after failed attempts.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LockKind {
    None,
    /// Until `locked_until`.
    Temporary,
    /// Until an administrator unlocks it or the owner sets a new password.
    Permanent,
}

/// How many second factors of each kind the account has.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactorsView {
    pub totp: u64,
    pub passkeys: u64,
    /// Unused recovery codes.
    pub recovery_codes: u64,
}

impl From<Factors> for FactorsView {
    fn from(f: Factors) -> Self {
        FactorsView {
            totp: f.totp,
            passkeys: f.passkeys,
            recovery_codes: f.recovery_codes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub locale: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthdate: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub status: UserStatus,
    /// Unix seconds; set while the account awaits erasure.
    pub deletion_requested_at: Option<i64>,
    pub locked: LockKind,
    /// Unix seconds, for a temporary lock.
    pub locked_until: Option<i64>,
    pub factors: FactorsView,
    /// The identity assurance and its evidence (`PUT /users/{id}/assurance`).
    pub assurance: super::assurance::AssuranceView,
    /// A new password is required at the next sign-in.
    pub password_change_required: bool,
    /// When the temporary password handed over expires (Unix seconds).
    pub password_expires_at: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<Account> for UserView {
    fn from(a: Account) -> Self {
        let (locked, locked_until) = match a.lock {
            Lock::None => (LockKind::None, None),
            Lock::Temporary(until) => (LockKind::Temporary, Some(until)),
            Lock::Permanent => (LockKind::Permanent, None),
        };
        let u = a.user;
        UserView {
            assurance: super::assurance::AssuranceView::from(&u),
            password_change_required: u.password_change_required,
            password_expires_at: u.password_expires_at,
            status: u.status(),
            id: u.id,
            email: u.email,
            email_verified: u.email_verified,
            given_name: u.given_name,
            family_name: u.family_name,
            phone: u.phone,
            phone_verified: u.phone_verified,
            locale: u.locale,
            birthdate: u.birthdate,
            street_address: u.street_address,
            postal_code: u.postal_code,
            locality: u.locality,
            country: u.country,
            deletion_requested_at: u.deletion_requested_at,
            locked,
            locked_until,
            factors: a.factors.into(),
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A signed-in browser of the account.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// The session id (`sid` in tokens).
    pub id: String,
    /// Unix seconds.
    pub created_at: i64,
    pub expires_at: i64,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

impl From<SessionRecord> for SessionView {
    fn from(s: SessionRecord) -> Self {
        SessionView {
            id: s.id,
            created_at: s.created_at,
            expires_at: s.expires_at,
            user_agent: s.user_agent,
            ip: s.ip,
        }
    }
}

/// What a client holds from one authorization: its access and refresh tokens live and die
/// with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    pub id: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// The organisation the user acts for in this grant.
    pub org_id: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

impl From<Grant> for GrantView {
    fn from(g: Grant) -> Self {
        GrantView {
            scopes: g.scope.iter().map(str::to_owned).collect(),
            id: g.id,
            client_id: g.client_id,
            org_id: g.org_id,
            created_at: g.created_at,
        }
    }
}
