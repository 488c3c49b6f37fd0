//! Organisations: one identity acting for several companies. The use cases behind the
//! management API, the invitation link, the sign-in context picker and the claims
//! (`org_id`, `org_name`, `org_roles`) a relying party receives.

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::{
    crypto::token_hash,
    model::contact::normalize_email,
    state::AppState,
    storage::{
        Grant, Membership, Organization, StorageError, StorageResult, ephemeral, orgs::ALL_SERVICES,
    },
};

mod manage;

pub use crate::audit::Actor;
pub use manage::{
    Added, MemberUpdate, NewMember, OrgChange, add_member, create_org, delete_org, invite, leave,
    managed, remove_member, update_member, update_org,
};

/// Whether an organisation may be acted for; stored by its string form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgStatus {
    Active,
    /// Never offered at sign-in, and its grants end.
    Suspended,
}

impl OrgStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgStatus::Active => "active",
            OrgStatus::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<OrgStatus> {
        [OrgStatus::Active, OrgStatus::Suspended]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// How long an invitation link stays valid.
pub const INVITATION_TTL_SECS: i64 = 7 * 24 * 3600;
/// How long the last context picked for a client is remembered.
const CHOICE_TTL: Duration = Duration::from_secs(180 * 24 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    /// A value is refused: the message key for pages, the detail for the API.
    #[error("{detail}")]
    Invalid { key: &'static str, detail: String },
    #[error("no user has this email address")]
    NoSuchUser,
    #[error("this user is a member already")]
    AlreadyMember,
    #[error("no such organisation")]
    NoSuchOrg,
    #[error("no such member")]
    NoSuchMember,
    /// Refused: the organisation would be left without an admin.
    #[error("an organisation keeps at least one admin")]
    LastAdmin,
    /// The actor may not do this; the detail says why.
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl OrgError {
    /// The message key of the catalogue, for pages.
    pub fn key(&self) -> &'static str {
        match self {
            OrgError::Invalid { key, .. } => key,
            OrgError::NoSuchUser => "orgs-err-no-user",
            OrgError::AlreadyMember => "orgs-err-already-member",
            OrgError::NoSuchOrg => "orgs-err-no-org",
            OrgError::NoSuchMember => "orgs-err-no-member",
            OrgError::LastAdmin => "orgs-err-last-admin",
            OrgError::Forbidden(_) => "err-not-allowed",
            OrgError::Storage(_) => "err-internal",
        }
    }
}

/// Role names: what tokens carry in `org_roles`, so kept short and plain.
pub fn check_roles(roles: &[String]) -> Result<(), OrgError> {
    for r in roles {
        let ok = (1..=64).contains(&r.len())
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-:.".contains(&b));
        if !ok {
            return Err(OrgError::Invalid {
                key: "orgs-err-role",
                detail: format!("role {r:?}: 1-64 letters, digits, '_', '-', ':' or '.'"),
            });
        }
    }
    Ok(())
}

/// Services are client ids that exist, or `*` for all.
pub async fn check_services(state: &AppState, services: &[String]) -> Result<(), OrgError> {
    for s in services {
        if s != ALL_SERVICES && state.stores.clients.find_client(s).await?.is_none() {
            return Err(OrgError::Invalid {
                key: "orgs-err-service",
                detail: format!("service {s:?} is not a registered client"),
            });
        }
    }
    Ok(())
}

pub fn check_name(name: &str) -> Result<(), OrgError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(OrgError::Invalid {
            key: "orgs-err-name",
            detail: "name: 1 to 200 characters".into(),
        });
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Accept {
    Joined(String),
    /// Unknown, used or expired.
    Invalid,
    /// The invitation is for another email address.
    OtherAddress,
}

/// Accepts the invitation behind `token` for the signed-in `user_id` with `email`.
pub async fn accept(
    state: &AppState,
    token: &str,
    user_id: &str,
    email: &str,
) -> StorageResult<Accept> {
    let hash = token_hash(token);
    let Some(inv) = state.stores.orgs.find_invitation(&hash).await? else {
        return Ok(Accept::Invalid);
    };
    if inv.accepted_at.is_some() || inv.expires_at <= state.now() {
        return Ok(Accept::Invalid);
    }
    if normalize_email(email).as_deref() != Some(inv.email.as_str()) {
        return Ok(Accept::OtherAddress);
    }
    // Consumed atomically: of two clicks, one joins.
    let Some(inv) = state
        .stores
        .orgs
        .accept_invitation(&hash, state.now())
        .await?
    else {
        return Ok(Accept::Invalid);
    };
    let m = Membership {
        org_id: inv.org_id.clone(),
        user_id: user_id.into(),
        roles: inv.roles,
        services: inv.services,
        created_at: state.now(),
    };
    match state.stores.orgs.add_member(&m).await {
        Ok(()) => {
            // A membership made, like any other: in the trail, by the person who accepted.
            let actor = Actor::User {
                user_id: user_id.into(),
                client_id: None,
            };
            let detail = format!(
                "member {user_id} joined {} (invitation {})",
                m.org_id, inv.id
            );
            manage::record(state, &actor, detail).await;
            Ok(Accept::Joined(inv.org_id))
        }
        Err(StorageError::Conflict) => Ok(Accept::Joined(inv.org_id)),
        Err(StorageError::NotFound) => Ok(Accept::Invalid),
        Err(e) => Err(e),
    }
}

/// The organisations of which `user_id` is the only admin who can act (any status: a
/// suspended one may come back and needs someone to manage it). An admin whose account is
/// disabled or on its way to erasure does not count: two admins who both ask for deletion
/// must not leave the company with nobody.
pub async fn sole_admin_of(state: &AppState, user_id: &str) -> StorageResult<Vec<Organization>> {
    const PAGE: u64 = 500;
    let mut out = Vec::new();
    for m in state.stores.orgs.memberships_of(user_id).await? {
        if !m.is_admin() {
            continue;
        }
        let mut offset = 0;
        let alone = 'pages: loop {
            let page = state
                .stores
                .orgs
                .list_members(&m.org_id, offset, PAGE)
                .await?;
            for other in page
                .items
                .iter()
                .filter(|o| o.is_admin() && o.user_id != user_id)
            {
                let able = state
                    .stores
                    .users
                    .find_user(&other.user_id)
                    .await?
                    .is_some_and(|u| !u.disabled && u.deletion_requested_at.is_none());
                if able {
                    break 'pages false;
                }
            }
            offset += PAGE;
            if offset >= page.total {
                break true;
            }
        };
        if alone && let Some(org) = state.stores.orgs.find_org(&m.org_id).await? {
            out.push(org);
        }
    }
    Ok(out)
}

/// The active organisations in which `user_id` may use `client_id`.
pub async fn contexts_for(
    state: &AppState,
    user_id: &str,
    client_id: &str,
) -> StorageResult<Vec<(Organization, Membership)>> {
    let mut out = Vec::new();
    for m in state.stores.orgs.memberships_of(user_id).await? {
        if !m.may_use(client_id) {
            continue;
        }
        if let Some(org) = state.stores.orgs.find_org(&m.org_id).await?
            && org.status == OrgStatus::Active.as_str()
        {
            out.push((org, m));
        }
    }
    Ok(out)
}

/// What a grant made in an organisation's context may carry now.
#[derive(Debug, Clone, PartialEq)]
pub enum GrantContext {
    /// A personal grant: no organisation claims.
    Personal,
    /// `org_id`, `org_name` and `org_roles`, as of now.
    Org(Map<String, Value>),
    /// The grant was made for acting for an organisation, and a ground of that is gone: the
    /// organisation is not active, the user is no longer a member, or the member may no
    /// longer use this client. Such a grant yields no tokens and its tokens are inactive,
    /// rather than falling back to personal claims the user never granted for.
    Gone,
}

/// The organisation context of `grant`, re-checked against the store every time the grant
/// is used (token issue, refresh, userinfo, introspection), so claims never outlive their
/// grounds even when a change missed revoking the grant.
pub async fn context_of(state: &AppState, grant: &Grant) -> StorageResult<GrantContext> {
    let Some(org_id) = grant.org_id.as_deref() else {
        return Ok(GrantContext::Personal);
    };
    let Some(user_id) = grant.user_id.as_deref() else {
        return Ok(GrantContext::Gone);
    };
    let Some(org) = state
        .stores
        .orgs
        .find_org(org_id)
        .await?
        .filter(|o| o.status == OrgStatus::Active.as_str())
    else {
        return Ok(GrantContext::Gone);
    };
    let Some(m) = state
        .stores
        .orgs
        .find_member(org_id, user_id)
        .await?
        .filter(|m| m.may_use(&grant.client_id))
    else {
        return Ok(GrantContext::Gone);
    };
    let mut c = Map::new();
    c.insert("org_id".into(), json!(org.id));
    c.insert("org_name".into(), json!(org.name));
    c.insert("org_roles".into(), json!(m.roles));
    Ok(GrantContext::Org(c))
}

fn choice_key(user_id: &str, client_id: &str) -> String {
    format!(
        "org-choice:{}",
        token_hash(&format!("{user_id}:{client_id}"))
    )
}

/// The context last picked for this client: `Some("")` is the personal one.
pub async fn last_choice(
    state: &AppState,
    user_id: &str,
    client_id: &str,
) -> StorageResult<Option<String>> {
    ephemeral::get_json(state.ephemeral.as_ref(), &choice_key(user_id, client_id)).await
}

pub async fn remember_choice(
    state: &AppState,
    user_id: &str,
    client_id: &str,
    org_id: Option<&str>,
) -> StorageResult<()> {
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &choice_key(user_id, client_id),
        &org_id.unwrap_or(""),
        CHOICE_TTL,
    )
    .await
}
