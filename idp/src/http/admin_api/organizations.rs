//! Organisations, members, invitations and the user lookup.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Caller, PageParams, Problem, body, caller, list};
use crate::{
    accounts::normalize_email,
    audit,
    orgs::{self, STATUS_ACTIVE, STATUS_SUSPENDED},
    state::AppState,
    storage::{MemberChange, Membership, Organization, User},
};

type ApiResult = Result<Response, Problem>;

fn query<T: serde::de::DeserializeOwned>(raw: Option<String>) -> Result<T, Problem> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| Problem::bad_request(format!("invalid query: {e}")))
}

fn org_json(o: &Organization) -> Value {
    json!({
        "id": o.id, "name": o.name, "business_id": o.business_id, "status": o.status,
        "created_at": o.created_at, "updated_at": o.updated_at,
    })
}

fn member_json(m: &Membership, user: Option<&User>) -> Value {
    json!({
        "user_id": m.user_id, "email": user.map(|u| u.email.as_str()),
        "roles": m.roles, "services": m.services, "created_at": m.created_at,
    })
}

async fn audit_admin(state: &AppState, who: &Caller, what: String) {
    let (client_id, user_id) = match who {
        Caller::Operator { client_id } => (Some(client_id.as_str()), None),
        Caller::OrgAdmin { user_id } => (None, Some(user_id.as_str())),
    };
    audit::record(
        state,
        audit::Entry {
            kind: audit::ADMIN,
            outcome: crate::audit::Outcome::Success,
            client_id,
            user_id,
            detail: Some(what),
            ..Default::default()
        },
    )
    .await;
}

fn operator_only(who: &Caller) -> Result<(), Problem> {
    match who {
        Caller::Operator { .. } => Ok(()),
        Caller::OrgAdmin { .. } => Err(Problem::forbidden(
            "only the operator (scope admin) may do this",
        )),
    }
}

/// The organisation, if the caller may manage it; 404 before 403 only for the operator, so
/// an organisation admin learns nothing about organisations that are not theirs.
async fn managed(state: &AppState, who: &Caller, id: &str) -> Result<Organization, Problem> {
    if let Caller::OrgAdmin { user_id } = who {
        let admin = state
            .stores
            .orgs
            .find_member(id, user_id)
            .await?
            .is_some_and(|m| m.is_admin());
        if !admin {
            return Err(Problem::forbidden(
                "you are not an admin of this organisation",
            ));
        }
    }
    state
        .stores
        .orgs
        .find_org(id)
        .await?
        .ok_or_else(|| Problem::not_found("no such organisation"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrg {
    name: String,
    business_id: Option<String>,
}

pub async fn create(State(state): State<AppState>, headers: HeaderMap, bytes: Bytes) -> ApiResult {
    let who = caller(&state, &headers).await?;
    operator_only(&who)?;
    let new: NewOrg = body(&bytes)?;
    let org = orgs::create_org(&state, &new.name, new.business_id).await?;
    audit_admin(&state, &who, format!("organization {} created", org.id)).await;
    let mut r = (StatusCode::CREATED, Json(org_json(&org))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/admin/api/v1/organizations/{}", org.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

pub async fn list_orgs_for(state: &AppState, who: &Caller, p: &PageParams) -> ApiResult {
    let (offset, limit, page, per_page) = p.window()?;
    match who {
        Caller::Operator { .. } => {
            let found = state.stores.orgs.list_orgs(offset, limit).await?;
            let items: Vec<Value> = found.items.iter().map(org_json).collect();
            Ok(list(items, page, per_page, found.total))
        }
        Caller::OrgAdmin { user_id } => {
            let mut mine = Vec::new();
            for m in state.stores.orgs.memberships_of(user_id).await? {
                if m.is_admin()
                    && let Some(o) = state.stores.orgs.find_org(&m.org_id).await?
                {
                    mine.push(o);
                }
            }
            mine.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            let total = mine.len() as u64;
            let items: Vec<Value> = mine
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(org_json)
                .collect();
            Ok(list(items, page, per_page, total))
        }
    }
}

pub async fn list_orgs(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let p: PageParams = query(q)?;
    list_orgs_for(&state, &who, &p).await
}

pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    Ok(Json(org_json(&managed(&state, &who, &id).await?)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    name: Option<String>,
    business_id: Option<Option<String>>,
    status: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let mut org = managed(&state, &who, &id).await?;
    let patch: OrgPatch = body(&bytes)?;
    if let Some(name) = patch.name {
        orgs::check_name(&name)?;
        org.name = name.trim().to_owned();
    }
    if let Some(b) = patch.business_id {
        org.business_id = b;
    }
    if let Some(status) = patch.status {
        operator_only(&who)?;
        if status != STATUS_ACTIVE && status != STATUS_SUSPENDED {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid value",
                "status: active or suspended",
            ));
        }
        org.status = status;
    }
    org.updated_at = state.now();
    if !state.stores.orgs.update_org(&org).await? {
        return Err(Problem::not_found("no such organisation"));
    }
    audit_admin(&state, &who, format!("organization {id} updated")).await;
    Ok(Json(org_json(&org)).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    operator_only(&who)?;
    if !state.stores.orgs.delete_org(&id).await? {
        return Err(Problem::not_found("no such organisation"));
    }
    audit_admin(&state, &who, format!("organization {id} deleted")).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn members(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    managed(&state, &who, &id).await?;
    let (offset, limit, page, per_page) = query::<PageParams>(q)?.window()?;
    let found = state.stores.orgs.list_members(&id, offset, limit).await?;
    let mut items = Vec::with_capacity(found.items.len());
    for m in &found.items {
        let user = state.stores.users.find_user(&m.user_id).await?;
        items.push(member_json(m, user.as_ref()));
    }
    Ok(list(items, page, per_page, found.total))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    email: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    services: Vec<String>,
}

pub async fn add_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    managed(&state, &who, &id).await?;
    let new: NewMember = body(&bytes)?;
    let m = orgs::add_member(&state, &id, &new.email, new.roles, new.services).await?;
    let user = state.stores.users.find_user(&m.user_id).await?;
    audit_admin(&state, &who, format!("member {} added to {id}", m.user_id)).await;
    Ok((StatusCode::CREATED, Json(member_json(&m, user.as_ref()))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    roles: Option<Vec<String>>,
    services: Option<Vec<String>>,
}

fn last_admin() -> Problem {
    Problem::conflict(
        "urn:postern:problem:last-admin",
        "an organisation keeps at least one admin",
    )
}

pub async fn update_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    managed(&state, &who, &id).await?;
    let patch: MemberPatch = body(&bytes)?;
    let mut m = state
        .stores
        .orgs
        .find_member(&id, &user_id)
        .await?
        .ok_or_else(|| Problem::not_found("no such member"))?;
    if let Some(roles) = patch.roles {
        orgs::check_roles(&roles)?;
        m.roles = roles;
    }
    if let Some(services) = patch.services {
        orgs::check_services(&state, &services).await?;
        m.services = services;
    }
    match state.stores.orgs.update_member(&m).await? {
        MemberChange::Done => {}
        MemberChange::NotFound => return Err(Problem::not_found("no such member")),
        MemberChange::LastAdmin => return Err(last_admin()),
    }
    audit_admin(&state, &who, format!("member {user_id} of {id} updated")).await;
    let user = state.stores.users.find_user(&user_id).await?;
    Ok(Json(member_json(&m, user.as_ref())).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    managed(&state, &who, &id).await?;
    match state.stores.orgs.remove_member(&id, &user_id).await? {
        MemberChange::Done => {}
        MemberChange::NotFound => return Err(Problem::not_found("no such member")),
        MemberChange::LastAdmin => return Err(last_admin()),
    }
    audit_admin(&state, &who, format!("member {user_id} removed from {id}")).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let org = managed(&state, &who, &id).await?;
    let new: NewMember = body(&bytes)?;
    let inv = orgs::invite(
        &state,
        &org,
        &new.email,
        new.roles,
        new.services,
        crate::web::i18n::Lang::En,
    )
    .await?;
    audit_admin(&state, &who, format!("invitation {} to {id}", inv.id)).await;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": inv.id, "email": inv.email, "roles": inv.roles, "services": inv.services,
            "expires_at": inv.expires_at,
        })),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct UserQuery {
    email: Option<String>,
}

pub async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    operator_only(&who)?;
    let q: UserQuery = query(q)?;
    let email = q
        .email
        .as_deref()
        .ok_or_else(|| Problem::bad_request("the email parameter is required"))?;
    let found = match normalize_email(email) {
        Some(e) => state.stores.users.find_user_by_email(&e).await?,
        None => None,
    };
    let items: Vec<Value> = found
        .iter()
        .map(|u| {
            json!({
                "id": u.id, "email": u.email, "email_verified": u.email_verified,
                "given_name": u.given_name, "family_name": u.family_name,
                "disabled": u.disabled, "created_at": u.created_at,
            })
        })
        .collect();
    let total = items.len() as u64;
    Ok(list(items, 1, 100, total))
}
