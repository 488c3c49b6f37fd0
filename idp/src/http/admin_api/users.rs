//! People's accounts (area `admin:users`): search, create, read, change the profile, disable
//! and enable, unlock, reset second factors, delete. The use cases are `admin::users`.

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
    Area, PageParams, Problem, body, caller_in, check_if_match, etag, list, query,
    schema::ProblemDoc, user_views::UserView,
};
use crate::{
    accounts::{CreateUserError, NewUser},
    admin::users::{self as uc, AccountError, ProfilePatch, Target},
    audit::Actor,
    crypto::Secret,
    http::client::ClientMeta,
    state::AppState,
    storage::{User, UserFilter, UserStatus},
};

type ApiResult = Result<Response, Problem>;

impl From<AccountError> for Problem {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound(what) => Problem::not_found(format!("no such account: {what}")),
            AccountError::PendingErasure(_) => Problem::conflict(
                "urn:postern:problem:pending-erasure",
                "the account awaits erasure at its owner's request; it cannot be enabled",
            ),
            AccountError::Stale => Problem::stale(),
            AccountError::Invalid { field, detail } => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid value",
                format!("{field}: {detail}"),
            ),
            AccountError::LastAdmin(orgs) => Problem::conflict(
                "urn:postern:problem:last-admin",
                format!(
                    "the account is the last admin of {}; make someone else an admin first",
                    orgs.join(", ")
                ),
            ),
            AccountError::Storage(s) => s.into(),
        }
    }
}

impl From<CreateUserError> for Problem {
    fn from(e: CreateUserError) -> Self {
        let invalid = |field: &str, detail: String| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid value",
                format!("{field}: {detail}"),
            )
        };
        match e {
            CreateUserError::BadEmail(_) => invalid("email", e.to_string()),
            CreateUserError::BadPhone(_) => invalid("phone", e.to_string()),
            CreateUserError::WeakPassword(p) => invalid("password", p.to_string()),
            CreateUserError::Exists => Problem::conflict(
                "urn:postern:problem:email-taken",
                "an account with this email address exists already",
            ),
            CreateUserError::Storage(s) => s.into(),
            CreateUserError::Hash => {
                tracing::error!("password hashing failed");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "the request could not be completed",
                )
            }
        }
    }
}

/// The account with its lock and factors, as JSON with its `ETag`.
async fn user_reply(state: &AppState, status: StatusCode, user: User) -> ApiResult {
    let revision = user.revision;
    let account = uc::account(state, user).await?;
    let mut r = (status, Json(UserView::from(account))).into_response();
    r.headers_mut().insert(header::ETAG, etag(revision));
    Ok(r)
}

/// The search of `GET /users`; every filter given must match.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearch {
    /// Part of the email address, ignoring case (a whole address finds that account).
    email: Option<String>,
    /// Part of the mobile number, or all of it (E.164).
    phone: Option<String>,
    /// Part of the given or the family name, ignoring case.
    name: Option<String>,
    status: Option<UserStatus>,
    /// `verified` (an identity check on record), `basic` (email and phone confirmed) or
    /// `unverified`.
    #[param(value_type = Option<super::assurance::Level>)]
    assurance: Option<super::assurance::Level>,
    /// From 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u64>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    operation_id = "search_users",
    summary = "Search accounts, oldest first (then by id); `%` and `_` match themselves",
    params(UserSearch),
    responses(
        (status = 200, description = "A page of accounts", body = super::schema::Page<UserView>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc)
    )
)]
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    caller_in(&state, &headers, Area::Users).await?;
    let q: UserSearch = query(q)?;
    let (offset, limit, page, per_page) = PageParams {
        page: q.page,
        per_page: q.per_page,
    }
    .window()?;
    let given = |v: Option<String>| v.filter(|v| !v.is_empty());
    let filter = UserFilter {
        email: given(q.email),
        phone: given(q.phone),
        name: given(q.name),
        status: q.status,
        assurance: q.assurance.map(Into::into),
    };
    let found = uc::search(&state, &filter, offset, limit).await?;
    let items: Vec<UserView> = found.items.into_iter().map(UserView::from).collect();
    Ok(list(items, page, per_page, found.total))
}

/// A new account: the email and phone count as verified (an operator entered them).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    #[schema(example = "clerk.counter@example.test")]
    email: String,
    /// Under the password policy (length, strength, not the address).
    #[schema(format = Password, example = "amber kettle north 4417")]
    password: String,
    given_name: Option<String>,
    family_name: Option<String>,
    /// E.164.
    #[schema(pattern = r"^\+[0-9]{8,15}$")]
    phone: Option<String>,
}

#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    operation_id = "create_user",
    summary = "Create an account (an existing address: 409)",
    request_body = NewAccount,
    responses(
        (status = 201, description = "Created", body = UserView,
            headers(("Location" = String, description = "The new account"), ("ETag" = String, description = "Its revision")),
            links(
            ("read_user" = (operation_id = "read_user", parameters(("id" = "$response.body#/id")))),
            ("update_user" = (operation_id = "update_user", parameters(("id" = "$response.body#/id")))),
            ("disable_user" = (operation_id = "disable_user", parameters(("id" = "$response.body#/id")))),
            ("enable_user" = (operation_id = "enable_user", parameters(("id" = "$response.body#/id")))),
            ("unlock_user" = (operation_id = "unlock_user", parameters(("id" = "$response.body#/id")))),
            ("reset_user_factors" = (operation_id = "reset_user_factors", parameters(("id" = "$response.body#/id")))),
            ("delete_user" = (operation_id = "delete_user", parameters(("id" = "$response.body#/id")))),
            ("list_user_sessions" = (operation_id = "list_user_sessions", parameters(("id" = "$response.body#/id")))),
            ("revoke_user_sessions" = (operation_id = "revoke_user_sessions", parameters(("id" = "$response.body#/id")))),
            ("list_user_grants" = (operation_id = "list_user_grants", parameters(("id" = "$response.body#/id")))),
            ("revoke_user_grants" = (operation_id = "revoke_user_grants", parameters(("id" = "$response.body#/id"))))
            )
        ),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 409, response = ProblemDoc),
        (status = 422, response = ProblemDoc)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    bytes: Bytes,
) -> ApiResult {
    let who = caller_in(&state, &headers, Area::Users).await?;
    let new: NewAccount = body(&bytes)?;
    let new = NewUser {
        email: new.email,
        password: Secret::new(new.password),
        given_name: new.given_name,
        family_name: new.family_name,
        phone: new.phone,
    };
    let user = uc::create_user(&state, new, &who, Some(&meta)).await?;
    let location = format!("/admin/api/v1/users/{}", user.id);
    let mut r = user_reply(&state, StatusCode::CREATED, user).await?;
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// The caller (area users) and the account `id` names.
pub(super) async fn target(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Actor, User), Problem> {
    let who = caller_in(state, headers, Area::Users).await?;
    let user = uc::find(state, Target::Id(id)).await?;
    Ok((who, user))
}

#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    operation_id = "read_user",
    summary = "Read an account (its ETag is the revision PATCH may name in If-Match)",
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account", body = UserView,
            headers(("ETag" = String, description = "The account's revision"))),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let (_, user) = target(&state, &headers, &id).await?;
    user_reply(&state, StatusCode::OK, user).await
}

#[utoipa::path(
    patch,
    path = "/users/{id}",
    tag = "users",
    operation_id = "update_user",
    summary = "Change the profile: names, phone, language, birth date, address (the console's rules); null clears a field",
    params(
        ("id" = String, Path, description = "The account's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; another revision is refused with 412")
    ),
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The account", body = UserView,
            headers(("ETag" = String, description = "The new revision"))),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 412, response = ProblemDoc),
        (status = 422, response = ProblemDoc)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let (who, user) = target(&state, &headers, &id).await?;
    let patch: ProfilePatch = body(&bytes)?;
    let current = |revision| check_if_match(&headers, revision).is_ok();
    let user = uc::update_profile(&state, user, patch, current, &who, Some(&meta)).await?;
    user_reply(&state, StatusCode::OK, user).await
}

/// One documented action on an account: `POST /users/{id}/<action>`, answering the account.
macro_rules! action {
    ($name:ident, $op:tt, $path:tt, $summary:tt, [$($status:tt),*], |$state:ident, $who:ident, $user:ident, $meta:ident| $body:expr) => {
        #[utoipa::path(
            post,
            path = $path,
            tag = "users",
            operation_id = $op,
            summary = $summary,
            params(("id" = String, Path, description = "The account's id")),
            responses(
                (status = 200, description = "The account", body = UserView,
                    headers(("ETag" = String, description = "Its revision"))),
                (status = 401, response = ProblemDoc),
                (status = 403, response = ProblemDoc),
                (status = 404, response = ProblemDoc)
                $(, (status = $status, response = ProblemDoc))*
            )
        )]
        pub async fn $name(
            State($state): State<AppState>,
            headers: HeaderMap,
            ClientMeta($meta): ClientMeta,
            Path(id): Path<String>,
        ) -> ApiResult {
            let ($who, $user) = target(&$state, &headers, &id).await?;
            let $meta = Some(&$meta);
            let user: User = $body;
            user_reply(&$state, StatusCode::OK, user).await
        }
    };
}

action!(
    disable,
    "disable_user",
    "/users/{id}/disable",
    "Disable an account: every session ends and every grant is revoked at once",
    [412],
    |state, who, user, meta| uc::set_disabled(&state, Target::Id(&user.id), true, &who, meta)
        .await?
);

action!(
    enable,
    "enable_user",
    "/users/{id}/enable",
    "Enable a disabled account (one awaiting erasure: 409)",
    [409, 412],
    |state, who, user, meta| uc::set_disabled(&state, Target::Id(&user.id), false, &who, meta)
        .await?
);

action!(
    unlock,
    "unlock_user",
    "/users/{id}/unlock",
    "Lift a temporary or permanent sign-in lock",
    [],
    |state, who, user, meta| {
        uc::unlock_user(&state, &user, &who, meta).await?;
        user
    }
);

action!(
    reset_factors,
    "reset_user_factors",
    "/users/{id}/reset-factors",
    "Remove every TOTP, passkey and recovery code; sessions end, grants are revoked, the owner is told by email",
    [],
    |state, who, user, meta| {
        uc::reset_factors(&state, &user, &who, meta).await?;
        user
    }
);

#[utoipa::path(
    delete,
    path = "/users/{id}",
    tag = "users",
    operation_id = "delete_user",
    summary = "Ask for the account's deletion: sign-in stops at once, the data is erased after the grace period (the account reads as pending_deletion until then); the last admin of an organisation: 409",
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 202, description = "Deletion requested", body = UserView),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 409, response = ProblemDoc)
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path(id): Path<String>,
) -> ApiResult {
    let (who, user) = target(&state, &headers, &id).await?;
    let user = uc::request_deletion(&state, &user, &who, Some(&meta)).await?;
    user_reply(&state, StatusCode::ACCEPTED, user).await
}
