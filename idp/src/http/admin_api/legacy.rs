//! The old per-service accounts (area `admin:users`): which `sub` a service's old username
//! became, and the old accounts of one identity, for the services moving their records to
//! `sub`. Reads only, unaudited like the other reads; the use case is `legacy::lookup`.

use axum::{
    Json,
    extract::{Path, RawQuery, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    Area, PageParams, Problem, caller_in, page_of, query,
    schema::{Page, ProblemDoc},
    users::target,
};
use crate::{
    legacy::lookup::{self, LegacyIdentity, LookupError},
    state::AppState,
};

type ApiResult = Result<Response, Problem>;

impl From<LookupError> for Problem {
    fn from(e: LookupError) -> Self {
        match e {
            LookupError::Storage(s) => s.into(),
            invalid => Problem::bad_request(invalid.to_string()),
        }
    }
}

/// The query of `GET /legacy-accounts`: both parameters are required.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LegacyQuery {
    /// The old service, as the import file named it (`parcels`).
    #[param(required = true, pattern = r"^[A-Za-z0-9._-]{1,64}$")]
    service: Option<String>,
    /// The old username, in any case, surrounding spaces aside.
    #[param(required = true, min_length = 1)]
    username: Option<String>,
}

#[utoipa::path(
    get,
    path = "/legacy-accounts",
    tag = "users",
    operation_id = "lookup_legacy_account",
    summary = "Which identity (`sub`) an old service's username became",
    params(LegacyQuery),
    responses(
        (status = 200, description = "The old account and its identity", body = LegacyIdentity),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn lookup_account(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    caller_in(&state, &headers, Area::Users).await?;
    let q: LegacyQuery = query(q)?;
    let service = q
        .service
        .ok_or_else(|| Problem::bad_request("service is required"))?;
    let username = q
        .username
        .ok_or_else(|| Problem::bad_request("username is required"))?;
    let found = lookup::by_username(&state, &service, &username)
        .await?
        .ok_or_else(|| Problem::not_found("no such legacy account in this service"))?;
    Ok(Json(found).into_response())
}

#[utoipa::path(
    get,
    path = "/users/{id}/legacy-accounts",
    tag = "users",
    operation_id = "list_user_legacy_accounts",
    summary = "The old accounts that became this identity, by service and username",
    params(("id" = String, Path, description = "The account's id"), PageParams),
    responses(
        (status = 200, description = "A page of old accounts", body = Page<LegacyIdentity>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn of_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let (_, user) = target(&state, &headers, &id).await?;
    let window = query::<PageParams>(q)?.window()?;
    Ok(page_of(lookup::of_user(&state, &user.id).await?, window))
}
