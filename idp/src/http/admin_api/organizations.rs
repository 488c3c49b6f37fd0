//! Organisations, members, invitations and the user lookup.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    Area, PageParams, Problem, body, caller, caller_in, list,
    schema::{InvitationView, MemberView, OrganizationView, UserView},
};
use crate::{
    accounts::normalize_email,
    orgs::{self, Actor, Added, MemberUpdate, NewMember, OrgChange, OrgStatus},
    state::AppState,
    storage::{Invitation, Membership, Organization, User},
    web::i18n::Lang,
};

type ApiResult = Result<Response, Problem>;

fn query<T: serde::de::DeserializeOwned>(raw: Option<String>) -> Result<T, Problem> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| Problem::bad_request(format!("invalid query: {e}")))
}

fn org_json(o: &Organization) -> OrganizationView {
    OrganizationView::from(o)
}

fn member_json(m: &Membership, user: Option<&User>) -> MemberView {
    MemberView::new(m, user)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrg {
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    business_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/organizations",
    summary = "Create an organisation (operator only)",
    request_body = NewOrg,
    responses(
        (status = 201, description = "Created", body = OrganizationView, headers(("Location" = String, description = "The new organisation")),
            links(
            ("read" = (operation_id = "read", parameters(("id" = "$response.body#/id")))),
            ("update" = (operation_id = "update", parameters(("id" = "$response.body#/id")))),
            ("delete" = (operation_id = "delete", parameters(("id" = "$response.body#/id")))),
            ("members" = (operation_id = "members", parameters(("id" = "$response.body#/id")))),
            ("add_member" = (operation_id = "add_member", parameters(("id" = "$response.body#/id")))),
            ("invite" = (operation_id = "invite", parameters(("id" = "$response.body#/id"))))
            )
        ),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 422, response = super::schema::ProblemDoc)
    )
)]
pub async fn create(State(state): State<AppState>, headers: HeaderMap, bytes: Bytes) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let new: NewOrg = body(&bytes)?;
    let org = orgs::create_org(&state, &who, &new.name, new.business_id).await?;
    let mut r = (StatusCode::CREATED, Json(org_json(&org))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/admin/api/v1/organizations/{}", org.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

pub async fn list_orgs_for(state: &AppState, who: &Actor, p: &PageParams) -> ApiResult {
    let (offset, limit, page, per_page) = p.window()?;
    match who {
        Actor::Operator { .. } => {
            let found = state.stores.orgs.list_orgs(offset, limit).await?;
            let items: Vec<OrganizationView> = found.items.iter().map(org_json).collect();
            Ok(list(items, page, per_page, found.total))
        }
        Actor::User { user_id, .. } => {
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
            let items: Vec<OrganizationView> = mine
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(org_json)
                .collect();
            Ok(list(items, page, per_page, total))
        }
    }
}

#[utoipa::path(
    get,
    path = "/organizations",
    summary = "All organisations (operator) or those the caller administers (org admin)",
    params(PageParams),
    responses(
        (status = 200, description = "A page of organisations", body = super::schema::Page<OrganizationView>),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc)
    )
)]
pub async fn list_orgs(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let p: PageParams = query(q)?;
    list_orgs_for(&state, &who, &p).await
}

#[utoipa::path(
    get,
    path = "/organizations/{id}",
    summary = "Read an organisation",
    params(("id" = String, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The organisation", body = OrganizationView),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc)
    )
)]
pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    Ok(Json(org_json(&orgs::managed(&state, &who, &id).await?)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    /// Absent: unchanged; `null`: cleared.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    business_id: Option<Option<String>>,
    /// Operator only.
    #[schema(value_type = Option<super::schema::OrgStatusName>)]
    status: Option<String>,
}

/// A field that is present, even as `null` (serde reads a present `null` as absent).
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

#[utoipa::path(
    patch,
    path = "/organizations/{id}",
    summary = "Change the name, or (operator only) the business id and status; suspending ends the organisation's grants",
    params(("id" = String, Path, description = "The organisation's id")),
    request_body = OrgPatch,
    responses(
        (status = 200, description = "The organisation", body = OrganizationView),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc),
        (status = 422, response = super::schema::ProblemDoc)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let patch: OrgPatch = body(&bytes)?;
    let status = match patch.status.as_deref() {
        None => None,
        Some(s) => Some(OrgStatus::parse(s).ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid value",
                "status: active or suspended",
            )
        })?),
    };
    let change = OrgChange {
        name: patch.name,
        business_id: patch.business_id,
        status,
    };
    let org = orgs::update_org(&state, &who, &id, change).await?;
    Ok(Json(org_json(&org)).into_response())
}

#[utoipa::path(
    delete,
    path = "/organizations/{id}",
    summary = "Delete an organisation with its members and invitations (operator only)",
    params(("id" = String, Path, description = "The organisation's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc)
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    orgs::delete_org(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(
    get,
    path = "/organizations/{id}/members",
    summary = "List members",
    params(("id" = String, Path, description = "The organisation's id"), PageParams),
    responses(
        (status = 200, description = "A page of members", body = super::schema::Page<MemberView>),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc)
    )
)]
pub async fn members(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    orgs::managed(&state, &who, &id).await?;
    let (offset, limit, page, per_page) = query::<PageParams>(q)?.window()?;
    let found = state.stores.orgs.list_members(&id, offset, limit).await?;
    let mut items = Vec::with_capacity(found.items.len());
    for m in &found.items {
        let user = state.stores.users.find_user(&m.user_id).await?;
        items.push(member_json(m, user.as_ref()));
    }
    Ok(list(items, page, per_page, found.total))
}

/// The operator adds an existing account (201, the member); an organisation's admin gets an
/// invitation sent instead (202, the invitation), whether or not the address has an account.
#[utoipa::path(
    post,
    path = "/organizations/{id}/members",
    summary = "Add a member by email: the operator adds an existing user (201); an org admin always sends an invitation (202), whether or not the address has an account",
    params(("id" = String, Path, description = "The organisation's id")),
    request_body = crate::orgs::NewMember,
    responses(
        (status = 201, description = "The member (operator)", body = MemberView,
            links(
            ("update_member" = (operation_id = "update_member", parameters(("id" = "$request.path.id"), ("user_id" = "$response.body#/user_id")))),
            ("remove_member" = (operation_id = "remove_member", parameters(("id" = "$request.path.id"), ("user_id" = "$response.body#/user_id"))))
            )
        ),
        (status = 202, description = "The invitation (org admin)", body = InvitationView),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc),
        (status = 409, response = super::schema::ProblemDoc),
        (status = 422, response = super::schema::ProblemDoc)
    )
)]
pub async fn add_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let new: NewMember = body(&bytes)?;
    let added = orgs::add_member(&state, &who, &id, new, Lang::En).await?;
    Ok(match added {
        Added::Member(m) => {
            let user = state.stores.users.find_user(&m.user_id).await?;
            (StatusCode::CREATED, Json(member_json(&m, user.as_ref()))).into_response()
        }
        Added::Invited(inv) => (StatusCode::ACCEPTED, Json(invitation_json(&inv))).into_response(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    roles: Option<Vec<String>>,
    services: Option<Vec<String>>,
}

#[utoipa::path(
    patch,
    path = "/organizations/{id}/members/{user_id}",
    summary = "Change roles or services (demoting the last admin: 409)",
    params(("id" = String, Path, description = "The organisation's id"), ("user_id" = String, Path, description = "The member's user id")),
    request_body = MemberPatch,
    responses(
        (status = 200, description = "The member", body = MemberView),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc),
        (status = 409, response = super::schema::ProblemDoc),
        (status = 422, response = super::schema::ProblemDoc)
    )
)]
pub async fn update_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let patch: MemberPatch = body(&bytes)?;
    let update = MemberUpdate {
        roles: patch.roles,
        services: patch.services,
    };
    let m = orgs::update_member(&state, &who, &id, &user_id, update).await?;
    let user = state.stores.users.find_user(&user_id).await?;
    Ok(Json(member_json(&m, user.as_ref())).into_response())
}

#[utoipa::path(
    delete,
    path = "/organizations/{id}/members/{user_id}",
    summary = "Remove a member (the last admin: 409)",
    params(("id" = String, Path, description = "The organisation's id"), ("user_id" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc),
        (status = 409, response = super::schema::ProblemDoc)
    )
)]
pub async fn remove_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    orgs::remove_member(&state, &who, &id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn invitation_json(inv: &Invitation) -> InvitationView {
    InvitationView::from(inv)
}

#[utoipa::path(
    post,
    path = "/organizations/{id}/invitations",
    summary = "Invite someone by email (a single-use link, valid 7 days)",
    params(("id" = String, Path, description = "The organisation's id")),
    request_body = crate::orgs::NewMember,
    responses(
        (status = 201, description = "The invitation", body = InvitationView),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc),
        (status = 422, response = super::schema::ProblemDoc)
    )
)]
pub async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    let new: NewMember = body(&bytes)?;
    let inv = orgs::invite(&state, &who, &id, new, Lang::En).await?;
    Ok((StatusCode::CREATED, Json(invitation_json(&inv))).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// The address to look up.
    #[param(required = true)]
    email: Option<String>,
}

#[utoipa::path(
    get,
    path = "/users",
    summary = "Find a user by email (operator only)",
    params(UserQuery),
    responses(
        (status = 200, description = "The matching users (none or one)", body = super::schema::Page<UserView>),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc)
    )
)]
pub async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    caller_in(&state, &headers, Area::Users).await?;
    let q: UserQuery = query(q)?;
    let email = q
        .email
        .as_deref()
        .ok_or_else(|| Problem::bad_request("the email parameter is required"))?;
    let found = match normalize_email(email) {
        Some(e) => state.stores.users.find_user_by_email(&e).await?,
        None => None,
    };
    let items: Vec<UserView> = found.iter().map(UserView::from).collect();
    let total = items.len() as u64;
    Ok(list(items, 1, 100, total))
}
