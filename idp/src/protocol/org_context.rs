//! The organisation context of a sign-in (scope `org`): personal, or one of the companies the
//! user may use this client for. `org_hint` picks one directly when the user belongs to it;
//! a hint for any other organisation is ignored, so it can never yield that organisation's
//! claims.

pub use super::request::OrgContext;
use super::{request::AuthRequest, types::Prompt};
use crate::{
    orgs,
    state::AppState,
    storage::{Client, OrgMode, StorageResult},
};

pub const SCOPE_ORG: &str = "org";

#[derive(Debug, PartialEq, Eq)]
pub enum OrgStep {
    /// Go on, in this organisation (or personally with `None`).
    Ready(Option<String>),
    /// The user must pick.
    Pick,
    /// A business-only client and no organisation to act for.
    NoOrganisation,
}

/// Whether the request asks for a context at all.
pub fn wanted(req: &AuthRequest, client: &Client) -> bool {
    req.scope.contains(SCOPE_ORG) && client.org_mode != OrgMode::Consumer
}

pub async fn step(
    state: &AppState,
    req: &AuthRequest,
    client: &Client,
    sub: &str,
) -> StorageResult<OrgStep> {
    if !wanted(req, client) {
        return Ok(OrgStep::Ready(None));
    }
    let business = client.org_mode == OrgMode::Business;
    let contexts = orgs::contexts_for(state, sub, &client.client_id).await?;
    let allowed = |id: &str| contexts.iter().any(|(o, _)| o.id == id);
    if contexts.is_empty() {
        return Ok(if business {
            OrgStep::NoOrganisation
        } else {
            OrgStep::Ready(None)
        });
    }
    match &req.org_context {
        Some(OrgContext::Org(id)) if allowed(id) => return Ok(OrgStep::Ready(Some(id.clone()))),
        Some(OrgContext::Personal) if !business => return Ok(OrgStep::Ready(None)),
        Some(_) => return Ok(OrgStep::Pick),
        None => {}
    }
    if req.has_prompt(Prompt::SelectAccount) {
        return Ok(OrgStep::Pick);
    }
    if let Some(hint) = req.org_hint.as_deref()
        && allowed(hint)
    {
        // A hint is a choice like any other: the picker offers it first next time.
        orgs::remember_choice(state, sub, &client.client_id, Some(hint)).await?;
        return Ok(OrgStep::Ready(Some(hint.to_owned())));
    }
    if req.has_prompt(Prompt::None) {
        // No page to show: the context picked last time, if it is still allowed.
        return Ok(
            match orgs::last_choice(state, sub, &client.client_id).await? {
                Some(id) if id.is_empty() && !business => OrgStep::Ready(None),
                Some(id) if allowed(&id) => OrgStep::Ready(Some(id)),
                _ => OrgStep::Pick,
            },
        );
    }
    Ok(OrgStep::Pick)
}
