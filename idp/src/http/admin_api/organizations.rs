//! Organisations: create, list, read, change, delete.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{PageParams, Problem, body, caller, list, query, schema::OrganizationView};
use crate::{
    orgs::{self, Actor, OrgChange, OrgStatus},
    state::AppState,
    storage::Organization,
};

type ApiResult = Result<Response, Problem>;

fn org_json(o: &Organization) -> OrganizationView {
    OrganizationView::from(o)
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
    tag = "organizations",
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
        Actor::Operator { .. } | Actor::CommandLine => {
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
    tag = "organizations",
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
    tag = "organizations",
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
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<String>)]
    business_id: Option<Option<String>>,
    /// Operator only.
    #[schema(value_type = Option<super::schema::OrgStatusName>)]
    status: Option<String>,
}

#[utoipa::path(
    patch,
    path = "/organizations/{id}",
    tag = "organizations",
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
    tag = "organizations",
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
