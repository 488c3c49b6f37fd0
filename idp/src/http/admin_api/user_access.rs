//! An account's sessions and grants (area `admin:users`): list them, end or revoke one or
//! all. The use cases are `admin::users`.

use axum::{
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{
    PageParams, Problem, list, page_of, query,
    schema::{Page, ProblemDoc},
    user_views::{GrantView, SessionView},
    users::target,
};
use crate::{
    admin::users::{self as uc, Revocation},
    http::client::ClientMeta,
    state::AppState,
};

type ApiResult = Result<Response, Problem>;

#[utoipa::path(
    get,
    path = "/users/{id}/sessions",
    tag = "users",
    operation_id = "list_user_sessions",
    summary = "The account's sessions that have not expired, newest first",
    params(("id" = String, Path, description = "The account's id"), PageParams),
    responses(
        (status = 200, description = "A page of sessions", body = Page<SessionView>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn sessions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let (_, user) = target(&state, &headers, &id).await?;
    let window = query::<PageParams>(q)?.window()?;
    let all = uc::sessions(&state, &user).await?;
    let all: Vec<SessionView> = all.into_iter().map(SessionView::from).collect();
    Ok(page_of(all, window))
}

#[utoipa::path(
    delete,
    path = "/users/{id}/sessions/{sid}",
    tag = "users",
    operation_id = "revoke_user_session",
    summary = "End one session: its cookie signs nobody in any more",
    params(
        ("id" = String, Path, description = "The account's id"),
        ("sid" = String, Path, description = "The session's id")
    ),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn revoke_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path((id, sid)): Path<(String, String)>,
) -> ApiResult {
    let (who, user) = target(&state, &headers, &id).await?;
    let one = Revocation::One(&sid);
    uc::revoke_sessions(&state, &user, one, &who, Some(&meta)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(
    delete,
    path = "/users/{id}/sessions",
    tag = "users",
    operation_id = "revoke_user_sessions",
    summary = "End every session of the account (the list stays, empty)",
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path(id): Path<String>,
) -> ApiResult {
    let (who, user) = target(&state, &headers, &id).await?;
    uc::revoke_sessions(&state, &user, Revocation::All, &who, Some(&meta)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(
    get,
    path = "/users/{id}/grants",
    tag = "users",
    operation_id = "list_user_grants",
    summary = "The account's grants not revoked (client, scopes, created), newest first",
    params(("id" = String, Path, description = "The account's id"), PageParams),
    responses(
        (status = 200, description = "A page of grants", body = Page<GrantView>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn grants(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let (_, user) = target(&state, &headers, &id).await?;
    let (offset, limit, page, per_page) = query::<PageParams>(q)?.window()?;
    let found = uc::grants(&state, &user, offset, limit).await?;
    let items: Vec<GrantView> = found.items.into_iter().map(GrantView::from).collect();
    Ok(list(items, page, per_page, found.total))
}

#[utoipa::path(
    delete,
    path = "/users/{id}/grants/{gid}",
    tag = "users",
    operation_id = "revoke_user_grant",
    summary = "Revoke one grant: its access and refresh tokens are refused from now on",
    params(
        ("id" = String, Path, description = "The account's id"),
        ("gid" = String, Path, description = "The grant's id")
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn revoke_grant(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path((id, gid)): Path<(String, String)>,
) -> ApiResult {
    let (who, user) = target(&state, &headers, &id).await?;
    let one = Revocation::One(&gid);
    uc::revoke_grants(&state, &user, one, &who, Some(&meta)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(
    delete,
    path = "/users/{id}/grants",
    tag = "users",
    operation_id = "revoke_user_grants",
    summary = "Revoke every grant of the account (the list stays, empty)",
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn revoke_grants(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path(id): Path<String>,
) -> ApiResult {
    let (who, user) = target(&state, &headers, &id).await?;
    uc::revoke_grants(&state, &user, Revocation::All, &who, Some(&meta)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
