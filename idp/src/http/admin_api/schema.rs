//! The shapes the management API reads and writes. The handlers serialize these very types
//! and the OpenAPI document is derived from them (`openapi.rs`), so the two cannot drift.

use serde::Serialize;
use utoipa::{IntoParams, ToResponse, ToSchema};

use crate::{
    audit::{AuditKind, Outcome},
    crypto::keys::{KeyInfo, KeyState},
    storage::{AuditEvent, Invitation, Membership, Organization, User},
};

/// RFC 9457 problem details: every 4xx and 5xx answer of the API.
#[derive(Debug, Serialize, ToSchema, ToResponse)]
#[response(
    description = "Problem details (RFC 9457)",
    content_type = "application/problem+json"
)]
pub struct ProblemDoc {
    /// `about:blank`, or a `urn:postern:problem:…` naming the conflict.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
}

/// Whether an organisation may be acted for.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // documents the values of `status`, which travel as strings
pub enum OrgStatusName {
    Active,
    Suspended,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: String,
    pub name: String,
    pub business_id: Option<String>,
    #[schema(value_type = OrgStatusName)]
    pub status: String,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&Organization> for OrganizationView {
    fn from(o: &Organization) -> Self {
        OrganizationView {
            id: o.id.clone(),
            name: o.name.clone(),
            business_id: o.business_id.clone(),
            status: o.status.clone(),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: String,
    /// Absent when the account is gone.
    pub email: Option<String>,
    pub roles: Vec<String>,
    /// Client ids, or `*` for all.
    pub services: Vec<String>,
    pub created_at: i64,
}

impl MemberView {
    pub fn new(m: &Membership, user: Option<&User>) -> MemberView {
        MemberView {
            user_id: m.user_id.clone(),
            email: user.map(|u| u.email.clone()),
            roles: m.roles.clone(),
            services: m.services.clone(),
            created_at: m.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub roles: Vec<String>,
    pub services: Vec<String>,
    /// Unix seconds.
    pub expires_at: i64,
}

impl From<&Invitation> for InvitationView {
    fn from(inv: &Invitation) -> Self {
        InvitationView {
            id: inv.id.clone(),
            email: inv.email.clone(),
            roles: inv.roles.clone(),
            services: inv.services.clone(),
            expires_at: inv.expires_at,
        }
    }
}

/// A page of a list, as every list endpoint answers.
#[derive(Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// `?page=&per_page=` of every list.
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From 1.
    #[param(minimum = 1, default = 1)]
    pub page: Option<u64>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u64>,
}

/// A field that is present, even as `null` (serde reads a present `null` as absent): a
/// patch's `null` clears a setting, its absence leaves it.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A JWS algorithm Postern signs with.
#[derive(ToSchema)]
#[allow(dead_code, clippy::upper_case_acronyms)] // documents the values of `alg`
pub enum AlgName {
    RS256,
    ES256,
    EdDSA,
}

/// A signing key: public facts only, never key material.
#[derive(Serialize, ToSchema)]
pub struct KeyView {
    pub kid: String,
    #[schema(value_type = AlgName)]
    pub alg: String,
    pub state: KeyState,
    /// Unix seconds.
    pub created_at: i64,
    /// When it signs (or signed) from, Unix seconds.
    pub active_from: i64,
    /// When it was retired by hand, Unix seconds.
    pub revoked_at: Option<i64>,
}

impl From<&KeyInfo> for KeyView {
    fn from(k: &KeyInfo) -> Self {
        KeyView {
            kid: k.kid.clone(),
            alg: k.alg.as_str().to_owned(),
            state: k.state,
            created_at: k.created_at,
            active_from: k.active_from,
            revoked_at: k.revoked_at,
        }
    }
}

/// One event of the audit trail.
#[derive(Serialize, ToSchema)]
pub struct AuditEventView {
    pub id: String,
    /// Unix seconds.
    pub at: i64,
    #[schema(value_type = AuditKind)]
    pub kind: String,
    #[schema(value_type = Outcome)]
    pub outcome: String,
    /// The account the event is about.
    pub user_id: Option<String>,
    pub email: Option<String>,
    /// The client the event is about.
    pub client_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
    /// For an administrative act: the client whose token acted (none from the command line).
    pub actor_client_id: Option<String>,
    /// For an administrative act through a person's token: that person.
    pub actor_user_id: Option<String>,
}

impl From<AuditEvent> for AuditEventView {
    fn from(e: AuditEvent) -> Self {
        AuditEventView {
            id: e.id,
            at: e.at,
            kind: e.kind,
            outcome: e.outcome,
            user_id: e.user_id,
            email: e.email,
            client_id: e.client_id,
            ip: e.ip,
            user_agent: e.user_agent,
            detail: e.detail,
            actor_client_id: e.actor_client_id,
            actor_user_id: e.actor_user_id,
        }
    }
}
