//! Organisations: one identity acting for several companies. The use cases behind the
//! management API, the invitation link, the sign-in context picker and the claims
//! (`org_id`, `org_name`, `org_roles`) a relying party receives.

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::{
    crypto::{new_token, random_token, token_hash},
    model::contact::normalize_email,
    state::AppState,
    storage::{
        Invitation, Membership, Organization, StorageError, StorageResult, ephemeral,
        orgs::ALL_SERVICES,
    },
    web::i18n::Lang,
};

pub const STATUS_ACTIVE: &str = "active";
pub const STATUS_SUSPENDED: &str = "suspended";
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

pub async fn create_org(
    state: &AppState,
    name: &str,
    business_id: Option<String>,
) -> Result<Organization, OrgError> {
    check_name(name)?;
    let now = state.now();
    let org = Organization {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.trim().to_owned(),
        business_id,
        status: STATUS_ACTIVE.into(),
        created_at: now,
        updated_at: now,
    };
    state.stores.orgs.create_org(&org).await?;
    Ok(org)
}

/// Adds an existing user, found by email.
pub async fn add_member(
    state: &AppState,
    org_id: &str,
    email: &str,
    roles: Vec<String>,
    services: Vec<String>,
) -> Result<Membership, OrgError> {
    check_roles(&roles)?;
    check_services(state, &services).await?;
    if state.stores.orgs.find_org(org_id).await?.is_none() {
        return Err(OrgError::NoSuchOrg);
    }
    let email = normalize_email(email).ok_or(OrgError::NoSuchUser)?;
    let user = state
        .stores
        .users
        .find_user_by_email(&email)
        .await?
        .ok_or(OrgError::NoSuchUser)?;
    let m = Membership {
        org_id: org_id.into(),
        user_id: user.id,
        roles,
        services,
        created_at: state.now(),
    };
    match state.stores.orgs.add_member(&m).await {
        Ok(()) => Ok(m),
        Err(StorageError::Conflict) => Err(OrgError::AlreadyMember),
        Err(e) => Err(e.into()),
    }
}

/// Creates an invitation and emails its single-use link.
pub async fn invite(
    state: &AppState,
    org: &Organization,
    email: &str,
    roles: Vec<String>,
    services: Vec<String>,
    fallback_lang: Lang,
) -> Result<Invitation, OrgError> {
    check_roles(&roles)?;
    check_services(state, &services).await?;
    let email = normalize_email(email).ok_or_else(|| OrgError::Invalid {
        key: "email-invalid",
        detail: "email: not a valid address".into(),
    })?;
    let token = new_token();
    let now = state.now();
    let inv = Invitation {
        id: random_token(12),
        token_hash: token_hash(&token),
        org_id: org.id.clone(),
        email: email.clone(),
        roles,
        services,
        created_at: now,
        expires_at: now + INVITATION_TTL_SECS,
        accepted_at: None,
    };
    state.stores.orgs.create_invitation(&inv).await?;
    let link = state.url(&format!("/invitations/accept?token={token}"));
    // In the invitee's own language when they have an account, else the inviter's.
    let lang = match state.stores.users.find_user_by_email(&email).await? {
        Some(u) => u.locale.as_deref().and_then(Lang::parse),
        None => None,
    }
    .unwrap_or(fallback_lang);
    let args = [("org", org.name.clone().into()), ("link", link.into())];
    let subject = state.web.t(lang, "org-invitation-email-subject", &args);
    let body = state.web.t(lang, "org-invitation-email", &args);
    // The invitation stands even when the mail is slow; the notifier logs failures.
    let _ = state.notifier.email(&email, &subject, &body).await;
    Ok(inv)
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
        Ok(()) | Err(StorageError::Conflict) => Ok(Accept::Joined(inv.org_id)),
        Err(StorageError::NotFound) => Ok(Accept::Invalid),
        Err(e) => Err(e),
    }
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
            && org.status == STATUS_ACTIVE
        {
            out.push((org, m));
        }
    }
    Ok(out)
}

/// `org_id`, `org_name` and `org_roles` for a grant in an organisation's context, or
/// `None` when the user is no longer a member.
pub async fn claims_for(
    state: &AppState,
    org_id: &str,
    user_id: &str,
) -> StorageResult<Option<Map<String, Value>>> {
    let Some(m) = state.stores.orgs.find_member(org_id, user_id).await? else {
        return Ok(None);
    };
    let Some(org) = state.stores.orgs.find_org(org_id).await? else {
        return Ok(None);
    };
    let mut c = Map::new();
    c.insert("org_id".into(), json!(org.id));
    c.insert("org_name".into(), json!(org.name));
    c.insert("org_roles".into(), json!(m.roles));
    Ok(Some(c))
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
