//! The acts of managing an organisation, one use case each, whoever asks (the management API
//! or the console pages): who may do it, the change, the grants it ends, and the audit entry
//! naming the actor. The HTTP handlers only adapt these.

use super::{INVITATION_TTL_SECS, OrgError, OrgStatus, check_name, check_roles, check_services};
use crate::{
    audit::{self, Actor},
    crypto::{new_token, random_token, token_hash},
    model::contact::normalize_email,
    state::AppState,
    storage::{
        Invitation, MemberChange, Membership, Organization, StorageError, orgs::ALL_SERVICES,
    },
    web::i18n::Lang,
};

/// Only the operator may do `what` (the command line acts as the operator).
fn operator_only(actor: &Actor, what: &'static str) -> Result<(), OrgError> {
    if actor.is_operator() {
        Ok(())
    } else {
        Err(OrgError::Forbidden(what))
    }
}

/// Ends the grants made for acting for the organisation (all, or one member's but for the
/// clients in `keep`): their refresh tokens, and their access tokens wherever they are checked
/// against the grant (introspection, userinfo).
async fn end_grants(
    state: &AppState,
    org_id: &str,
    user_id: Option<&str>,
    keep: &[String],
) -> Result<(), OrgError> {
    state
        .stores
        .grants
        .revoke_org_grants(org_id, user_id, keep, state.now())
        .await?;
    Ok(())
}

pub(super) async fn record(state: &AppState, actor: &Actor, detail: String) {
    let (user_id, client_id) = match actor {
        Actor::Operator { client_id, .. } => (None, Some(client_id.as_str())),
        Actor::User { user_id, client_id } => (Some(user_id.as_str()), client_id.as_deref()),
        Actor::CommandLine => (None, None),
    };
    audit::record(
        state,
        audit::Entry {
            kind: audit::ADMIN,
            outcome: audit::Outcome::Success,
            user_id,
            client_id,
            actor: Some(actor),
            detail: Some(detail),
            ..Default::default()
        },
    )
    .await;
}

/// The organisation, if `actor` may manage it. A person who is not its admin is refused
/// before the organisation is looked up, so they learn nothing about organisations that are
/// not theirs.
pub async fn managed(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
) -> Result<Organization, OrgError> {
    if let Actor::User { user_id, .. } = actor {
        let admin = state
            .stores
            .orgs
            .find_member(org_id, user_id)
            .await?
            .is_some_and(|m| m.is_admin());
        if !admin {
            return Err(OrgError::Forbidden(
                "you are not an admin of this organisation",
            ));
        }
    }
    state
        .stores
        .orgs
        .find_org(org_id)
        .await?
        .ok_or(OrgError::NoSuchOrg)
}

pub async fn create_org(
    state: &AppState,
    actor: &Actor,
    name: &str,
    business_id: Option<String>,
) -> Result<Organization, OrgError> {
    operator_only(
        actor,
        "only the operator (scope admin) may create organisations",
    )?;
    check_name(name)?;
    let now = state.now();
    let org = Organization {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.trim().to_owned(),
        business_id,
        status: OrgStatus::Active.as_str().into(),
        created_at: now,
        updated_at: now,
    };
    state.stores.orgs.create_org(&org).await?;
    record(state, actor, format!("organization {} created", org.id)).await;
    Ok(org)
}

/// A change of an organisation; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct OrgChange {
    pub name: Option<String>,
    /// The registry number is the operator's to vouch for: relying parties may trust it.
    pub business_id: Option<Option<String>>,
    pub status: Option<OrgStatus>,
}

pub async fn update_org(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    change: OrgChange,
) -> Result<Organization, OrgError> {
    let mut org = managed(state, actor, org_id).await?;
    if change.business_id.is_some() {
        operator_only(actor, "only the operator (scope admin) may set business_id")?;
    }
    if change.status.is_some() {
        operator_only(
            actor,
            "only the operator (scope admin) may change the status",
        )?;
    }
    if let Some(name) = change.name {
        check_name(&name)?;
        org.name = name.trim().to_owned();
    }
    if let Some(b) = change.business_id {
        org.business_id = b;
    }
    if let Some(status) = change.status {
        org.status = status.as_str().into();
    }
    org.updated_at = state.now();
    if !state.stores.orgs.update_org(&org).await? {
        return Err(OrgError::NoSuchOrg);
    }
    if change.status == Some(OrgStatus::Suspended) {
        // Nobody acts for a suspended company: its grants end (and stay ended when it is
        // reactivated; its members sign in again).
        end_grants(state, org_id, None, &[]).await?;
    }
    record(state, actor, format!("organization {org_id} updated")).await;
    Ok(org)
}

pub async fn delete_org(state: &AppState, actor: &Actor, org_id: &str) -> Result<(), OrgError> {
    operator_only(
        actor,
        "only the operator (scope admin) may delete organisations",
    )?;
    if !state.stores.orgs.delete_org(org_id).await? {
        return Err(OrgError::NoSuchOrg);
    }
    end_grants(state, org_id, None, &[]).await?;
    record(state, actor, format!("organization {org_id} deleted")).await;
    Ok(())
}

/// A member to add or invite, by email address. Its schema describes the management API's
/// request body, read straight into this type.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    #[schema(format = Email)]
    pub email: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
}

impl NewMember {
    async fn check(&self, state: &AppState) -> Result<(), OrgError> {
        check_roles(&self.roles)?;
        check_services(state, &self.services).await
    }
}

/// What adding a member by address did.
#[derive(Debug)]
pub enum Added {
    /// The operator added an existing account directly.
    Member(Membership),
    /// An invitation went out; its owner accepts it signed in.
    Invited(Invitation),
}

/// Adds a member by email address. The operator adds an existing account directly; an
/// organisation's admin (a business customer) always sends an invitation, so nobody joins a
/// company without consenting and the answer never tells whether the address has an account.
pub async fn add_member(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    new: NewMember,
    lang: Lang,
) -> Result<Added, OrgError> {
    let org = managed(state, actor, org_id).await?;
    if !actor.is_operator() {
        return Ok(Added::Invited(
            invite(state, actor, &org.id, new, lang).await?,
        ));
    }
    new.check(state).await?;
    let email = normalize_email(&new.email).ok_or(OrgError::NoSuchUser)?;
    let user = state
        .stores
        .users
        .find_user_by_email(&email)
        .await?
        .ok_or(OrgError::NoSuchUser)?;
    let m = Membership {
        org_id: org.id.clone(),
        user_id: user.id,
        roles: new.roles,
        services: new.services,
        created_at: state.now(),
    };
    match state.stores.orgs.add_member(&m).await {
        Ok(()) => {}
        Err(StorageError::Conflict) => return Err(OrgError::AlreadyMember),
        Err(e) => return Err(e.into()),
    }
    let detail = format!("member {} added to {}", m.user_id, org.id);
    record(state, actor, detail).await;
    Ok(Added::Member(m))
}

/// Creates an invitation and emails its single-use link. The same work whether or not the
/// address has an account (one look-up, one mail), so neither the answer nor its timing
/// tells an inviter who has one.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    new: NewMember,
    fallback_lang: Lang,
) -> Result<Invitation, OrgError> {
    let org = managed(state, actor, org_id).await?;
    new.check(state).await?;
    let email = normalize_email(&new.email).ok_or_else(|| OrgError::Invalid {
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
        roles: new.roles,
        services: new.services,
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
    record(state, actor, format!("invitation {} to {}", inv.id, org.id)).await;
    Ok(inv)
}

/// A change of a member's roles or services; `None` leaves it as it is.
#[derive(Debug, Default)]
pub struct MemberUpdate {
    pub roles: Option<Vec<String>>,
    pub services: Option<Vec<String>>,
}

pub async fn update_member(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    user_id: &str,
    update: MemberUpdate,
) -> Result<Membership, OrgError> {
    managed(state, actor, org_id).await?;
    let mut m = state
        .stores
        .orgs
        .find_member(org_id, user_id)
        .await?
        .ok_or(OrgError::NoSuchMember)?;
    if let Some(roles) = update.roles {
        check_roles(&roles)?;
        m.roles = roles;
    }
    let services_changed = update.services.is_some();
    if let Some(services) = update.services {
        check_services(state, &services).await?;
        m.services = services;
    }
    changed(state.stores.orgs.update_member(&m).await?)?;
    if services_changed && !m.services.iter().any(|s| s == ALL_SERVICES) {
        // The member no longer acts for the company in the services taken away.
        end_grants(state, org_id, Some(user_id), &m.services).await?;
    }
    record(
        state,
        actor,
        format!("member {user_id} of {org_id} updated"),
    )
    .await;
    Ok(m)
}

fn changed(c: MemberChange) -> Result<(), OrgError> {
    match c {
        MemberChange::Done => Ok(()),
        MemberChange::NotFound => Err(OrgError::NoSuchMember),
        MemberChange::LastAdmin => Err(OrgError::LastAdmin),
    }
}

/// Ends a membership and the grants it carried.
async fn end_membership(state: &AppState, org_id: &str, user_id: &str) -> Result<(), OrgError> {
    changed(state.stores.orgs.remove_member(org_id, user_id).await?)?;
    end_grants(state, org_id, Some(user_id), &[]).await?;
    Ok(())
}

pub async fn remove_member(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    user_id: &str,
) -> Result<(), OrgError> {
    managed(state, actor, org_id).await?;
    end_membership(state, org_id, user_id).await?;
    let detail = format!("member {user_id} removed from {org_id}");
    record(state, actor, detail).await;
    Ok(())
}

/// A member leaves an organisation on their own (the console).
pub async fn leave(state: &AppState, user_id: &str, org_id: &str) -> Result<(), OrgError> {
    end_membership(state, org_id, user_id).await?;
    let actor = Actor::User {
        user_id: user_id.into(),
        client_id: None,
    };
    record(state, &actor, format!("member {user_id} left {org_id}")).await;
    Ok(())
}
