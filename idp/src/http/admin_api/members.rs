//! Members and invitations.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    PageParams, Problem, body, caller, list, query,
    schema::{InvitationView, MemberView},
};
use crate::{
    orgs::{self, Added, MemberUpdate, NewMember},
    state::AppState,
    storage::{Invitation, Membership, User},
    web::i18n::Lang,
};

type ApiResult = Result<Response, Problem>;

fn member_json(m: &Membership, user: Option<&User>) -> MemberView {
    MemberView::new(m, user)
}

#[utoipa::path(
    get,
    path = "/organizations/{id}/members",
    tag = "members",
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
    tag = "members",
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
    tag = "members",
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
    tag = "members",
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
    tag = "members",
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
