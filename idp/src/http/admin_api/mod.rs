//! The management API under `/admin/api/v1`: JSON in and out, RFC 9457 problem details for
//! every error, page-numbered lists. Callers present a Postern access token: a client
//! credentials token with scope `admin` may do everything (the operator's staff tools), one
//! with an area's scope (`admin:orgs`, `admin:users`, `admin:clients`, `admin:keys`,
//! `admin:audit`) that area only; a user's token with scope `org_admin` may manage the
//! organisations where that user is an admin, and nothing else.

mod assurance;
mod audit;
mod client_face;
mod client_schema;
mod clients;
mod keys;
mod legacy;
mod members;
mod openapi;
mod organizations;
mod schema;
mod user_access;
mod user_views;
mod users;

pub use schema::PageParams;

use axum::{
    Json, Router,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{delete, get, patch, post, put},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    orgs::Actor,
    protocol::{access_token, types::Scope},
    state::AppState,
    storage::StorageError,
};

pub const SCOPE_ADMIN: &str = "admin";
pub const SCOPE_ORG_ADMIN: &str = "org_admin";

/// An area of the management API. A client-credentials token acts in an area when its scope
/// holds the area's scope (`admin:orgs`) or [`SCOPE_ADMIN`], which is every area; so a tool
/// gets only the power its job needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Organisations, memberships and invitations (also open to organisation admins).
    Orgs,
    /// People's accounts, their sessions, grants and identity assurance, and the old
    /// per-service accounts they came from.
    Users,
    /// Relying parties.
    Clients,
    /// Signing keys.
    Keys,
    /// The audit trail (read only).
    Audit,
}

impl Area {
    pub const fn scope(self) -> &'static str {
        match self {
            Area::Orgs => "admin:orgs",
            Area::Users => "admin:users",
            Area::Clients => "admin:clients",
            Area::Keys => "admin:keys",
            Area::Audit => "admin:audit",
        }
    }
}

/// Every route, for the router and for the test that checks the OpenAPI document.
pub const ENDPOINTS: [(&str, &str); 43] = [
    ("get", "/organizations"),
    ("post", "/organizations"),
    ("get", "/organizations/{id}"),
    ("patch", "/organizations/{id}"),
    ("delete", "/organizations/{id}"),
    ("get", "/organizations/{id}/members"),
    ("post", "/organizations/{id}/members"),
    ("patch", "/organizations/{id}/members/{user_id}"),
    ("delete", "/organizations/{id}/members/{user_id}"),
    ("post", "/organizations/{id}/invitations"),
    ("get", "/users"),
    ("get", "/clients"),
    ("post", "/clients"),
    ("get", "/clients/{id}"),
    ("patch", "/clients/{id}"),
    ("delete", "/clients/{id}"),
    ("post", "/clients/{id}/secret"),
    ("post", "/clients/{id}/disable"),
    ("post", "/clients/{id}/enable"),
    ("get", "/keys"),
    ("post", "/keys/rotate"),
    ("post", "/keys/{kid}/retire"),
    ("get", "/audit-events"),
    ("post", "/users"),
    ("get", "/users/{id}"),
    ("patch", "/users/{id}"),
    ("delete", "/users/{id}"),
    ("post", "/users/{id}/disable"),
    ("post", "/users/{id}/enable"),
    ("post", "/users/{id}/unlock"),
    ("post", "/users/{id}/reset-factors"),
    ("get", "/users/{id}/sessions"),
    ("delete", "/users/{id}/sessions"),
    ("delete", "/users/{id}/sessions/{sid}"),
    ("get", "/users/{id}/grants"),
    ("delete", "/users/{id}/grants"),
    ("delete", "/users/{id}/grants/{gid}"),
    ("put", "/users/{id}/assurance"),
    ("post", "/users/{id}/temporary-password"),
    ("post", "/users/{id}/password-change"),
    ("get", "/legacy-accounts"),
    ("get", "/users/{id}/legacy-accounts"),
    ("get", "/openapi.json"),
];

pub fn router() -> Router<AppState> {
    use {
        assurance as assure, clients as c, members as m, organizations as o, user_access as a,
        users as u,
    };
    let v1 = Router::new()
        .route("/organizations", get(o::list_orgs).post(o::create))
        .route(
            "/organizations/{id}",
            get(o::read).patch(o::update).delete(o::delete),
        )
        .route(
            "/organizations/{id}/members",
            get(m::members).post(m::add_member),
        )
        .route(
            "/organizations/{id}/members/{user_id}",
            patch(m::update_member).delete(m::remove_member),
        )
        .route("/organizations/{id}/invitations", post(m::invite))
        .route("/clients", get(c::list_clients).post(c::create_client))
        .route(
            "/clients/{id}",
            get(c::read_client)
                .patch(c::update_client)
                .delete(c::delete_client),
        )
        .route("/clients/{id}/secret", post(c::rotate_client_secret))
        .route("/clients/{id}/disable", post(c::disable_client))
        .route("/clients/{id}/enable", post(c::enable_client))
        .route("/keys", get(keys::list_keys))
        .route("/keys/rotate", post(keys::rotate_keys))
        .route("/keys/{kid}/retire", post(keys::retire_key))
        .route("/audit-events", get(audit::list_audit_events))
        .route("/users", get(u::search).post(u::create))
        .route(
            "/users/{id}",
            get(u::read).patch(u::update).delete(u::delete),
        )
        .route("/users/{id}/disable", post(u::disable))
        .route("/users/{id}/enable", post(u::enable))
        .route("/users/{id}/unlock", post(u::unlock))
        .route("/users/{id}/reset-factors", post(u::reset_factors))
        .route(
            "/users/{id}/sessions",
            get(a::sessions).delete(a::revoke_sessions),
        )
        .route("/users/{id}/sessions/{sid}", delete(a::revoke_session))
        .route(
            "/users/{id}/grants",
            get(a::grants).delete(a::revoke_grants),
        )
        .route("/users/{id}/grants/{gid}", delete(a::revoke_grant))
        .route("/users/{id}/assurance", put(assure::set_user_assurance))
        .route(
            "/users/{id}/temporary-password",
            post(assure::issue_temporary_password),
        )
        .route(
            "/users/{id}/password-change",
            post(assure::require_password_change),
        )
        .route("/legacy-accounts", get(legacy::lookup_account))
        .route("/users/{id}/legacy-accounts", get(legacy::of_user));
    Router::new()
        .nest("/v1", v1)
        .route("/openapi.json", get(openapi::document))
        .fallback(not_found)
        .layer(axum::middleware::map_response(as_problem))
}

/// axum answers some refusals before a handler runs (405 for a method the route lacks, 400
/// for a path segment that is not UTF-8) in plain text; the API promises problem details for
/// every error, so they are rewritten here, keeping their status and headers (`Allow`).
async fn as_problem(r: Response) -> Response {
    let is_problem = r
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem || !(r.status().is_client_error() || r.status().is_server_error()) {
        return r;
    }
    let (mut parts, body) = r.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let detail = String::from_utf8_lossy(&text).trim().to_owned();
    let title = parts.status.canonical_reason().unwrap_or("Error");
    let mut problem = Problem::new(parts.status, title, detail).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in problem.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    *problem.headers_mut() = parts.headers;
    problem
}

/// RFC 9457 problem details.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    kind: Option<&'static str>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            title,
            detail: detail.into(),
            kind: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "Bad request", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "Not found", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "Forbidden", detail)
    }

    pub fn conflict(kind: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: Some(kind),
            ..Problem::new(StatusCode::CONFLICT, "Conflict", detail)
        }
    }

    /// The record changed since the caller read it (`If-Match` names another revision, or
    /// another write came first): RFC 9110 §13.1.1 answers a false precondition with 412.
    pub fn stale() -> Problem {
        Problem {
            kind: Some("urn:postern:problem:stale"),
            ..Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "Precondition failed",
                "the record changed since it was read; read it again (new ETag) and retry",
            )
        }
    }

    fn unauthorized(detail: &str) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = schema::ProblemDoc {
            kind: self.kind.unwrap_or("about:blank"),
            title: self.title,
            status: self.status.as_u16(),
            detail: self.detail,
        };
        let mut r = (self.status, Json(body)).into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"postern-admin\""),
            );
        }
        r
    }
}

impl From<StorageError> for Problem {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(d) => {
                tracing::error!(detail = %d, "storage unavailable");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    "the store is unreachable; retry shortly",
                )
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "the request could not be completed",
                )
            }
        }
    }
}

impl From<crate::orgs::OrgError> for Problem {
    fn from(e: crate::orgs::OrgError) -> Self {
        use crate::orgs::OrgError as E;
        match e {
            E::Invalid { detail, .. } => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid value", detail)
            }
            E::NoSuchUser => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "No such user",
                "no user has this email address; send an invitation instead",
            ),
            E::AlreadyMember => Problem::conflict(
                "urn:postern:problem:already-member",
                "this user is a member already",
            ),
            E::NoSuchOrg => Problem::not_found("no such organisation"),
            E::NoSuchMember => Problem::not_found("no such member"),
            E::LastAdmin => Problem::conflict(
                "urn:postern:problem:last-admin",
                "an organisation keeps at least one admin",
            ),
            E::Forbidden(detail) => Problem::forbidden(detail),
            E::Storage(s) => s.into(),
        }
    }
}

async fn not_found() -> Problem {
    Problem::not_found("no such endpoint")
}

/// The caller of an organisation endpoint: the operator (area [`Area::Orgs`]) or an
/// organisation admin.
pub async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Actor, Problem> {
    caller_in(state, headers, Area::Orgs).await
}

/// The caller, if its token may act in `area`: a client-credentials token with the area's
/// scope or `admin` is the operator; a user's token with `org_admin` acts for that user, in
/// the organisations area only.
pub async fn caller_in(
    state: &AppState,
    headers: &HeaderMap,
    area: Area,
) -> Result<Actor, Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Problem::unauthorized("a bearer access token is required"))?;
    let claims = access_token::check(state, token)
        .await?
        .ok_or_else(|| Problem::unauthorized("the access token is invalid, expired or revoked"))?;
    let scope = claims
        .get("scope")
        .and_then(Value::as_str)
        .and_then(Scope::parse)
        .unwrap_or_default();
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // User tokens carry their grant; client credentials tokens do not.
    let for_user = claims.get("gid").is_some();
    if for_user && area == Area::Orgs && scope.contains(SCOPE_ORG_ADMIN) {
        return Ok(Actor::User {
            user_id: sub.to_owned(),
            client_id: claims
                .get("client_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
    }
    if !for_user && (scope.contains(SCOPE_ADMIN) || scope.contains(area.scope())) {
        return Ok(Actor::Operator {
            client_id: sub.to_owned(),
            every_area: scope.contains(SCOPE_ADMIN),
        });
    }
    Err(Problem::forbidden(match area {
        Area::Orgs => {
            "the token has none of the scopes admin, admin:orgs (client credentials) or org_admin (a user's)".to_owned()
        }
        other => format!(
            "the token has neither scope admin nor {} (client credentials)",
            other.scope()
        ),
    }))
}

/// The strong entity tag of a record's revision; every change of the record bumps it.
pub fn etag(revision: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{revision}\"")).expect("digits and quotes")
}

/// Checks `If-Match` (RFC 9110 §13.1.1) against the record's current revision: absent or
/// `*` passes (a script may update blindly), a list passes when one tag is current, a weak
/// or unparseable tag never matches. The store's update is conditional on the same
/// revision, so a write racing in between is refused too.
pub fn check_if_match(headers: &HeaderMap, revision: i64) -> Result<(), Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let value = value.to_str().map_err(|_| Problem::stale())?;
    let current = format!("\"{revision}\"");
    let matches = value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current);
    if matches {
        Ok(())
    } else {
        Err(Problem::stale())
    }
}

/// The query string, or a problem saying what is wrong with it.
pub fn query<T: DeserializeOwned>(raw: Option<String>) -> Result<T, Problem> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| Problem::bad_request(format!("invalid query: {e}")))
}

/// A value already parsed (a body with members taken out) read as `T`, or a problem
/// saying what is wrong with it, as [`body`] would.
pub fn body_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Problem> {
    let refused = |detail: String| Problem::bad_request(format!("invalid JSON body: {detail}"));
    serde_path_to_error::deserialize(value).map_err(|e| match e.path().to_string() {
        root if root == "." => refused(e.inner().to_string()),
        field => refused(format!("{field}: {}", e.inner())),
    })
}

/// A JSON body, or a problem saying what is wrong with it.
/// The field at fault leads the detail (`roles[1]: invalid type …`) when there is one.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let refused = |detail: String| Problem::bad_request(format!("invalid JSON body: {detail}"));
    // Every body is an object. serde would also read a struct from an array of its fields
    // in order (`["Alpha", null]` as a new organisation): a shape no document allows.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(refused("expected a JSON object".into()));
    }
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value =
        serde_path_to_error::deserialize(&mut json).map_err(|e| match e.path().to_string() {
            root if root == "." => refused(e.inner().to_string()),
            field => refused(format!("{field}: {}", e.inner())),
        })?;
    // Trailing data after the value is as malformed as a broken value.
    json.end().map_err(|e| refused(e.to_string()))?;
    Ok(value)
}

impl PageParams {
    /// (offset, limit, page, per_page) with page ≥ 1 and 1 ≤ per_page ≤ 100.
    pub fn window(&self) -> Result<(u64, u64, u64, u64), Problem> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(20);
        if page == 0 || !(1..=100).contains(&per_page) {
            return Err(Problem::bad_request(
                "page starts at 1; per_page is 1 to 100",
            ));
        }
        // Past i64 the stores cannot seek (SQL offsets are signed), and the product could
        // overflow: a caller's number, so a 400, never a panic.
        let offset = (page - 1)
            .checked_mul(per_page)
            .filter(|o| i64::try_from(*o).is_ok())
            .ok_or_else(|| Problem::bad_request("page: too large"))?;
        Ok((offset, per_page, page, per_page))
    }
}

/// A page of a list the store reads whole, since it is a person's handful (their sessions,
/// their old accounts): cut here by the window of [`PageParams::window`].
pub fn page_of<T: Serialize + utoipa::ToSchema>(
    all: Vec<T>,
    (offset, limit, page, per_page): (u64, u64, u64, u64),
) -> Response {
    let total = all.len() as u64;
    let items: Vec<T> = all
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    list(items, page, per_page, total)
}

/// A page of a list, as every list endpoint answers.
pub fn list<T: Serialize + utoipa::ToSchema>(
    items: Vec<T>,
    page: u64,
    per_page: u64,
    total: u64,
) -> Response {
    Json(schema::Page {
        items,
        page,
        per_page,
        total,
    })
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        h
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // only deserialised
    struct Sample {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn a_body_is_a_json_object() {
        assert!(body::<Sample>(br#"{"name": "a"}"#).is_ok());
        // serde lets a struct be read from an array of its fields in order; no document
        // describes a body that way, so it is malformed.
        for bad in [
            &br#"["a", []]"#[..],
            b"[null, null]",
            b"[]",
            b"null",
            b"\"a\"",
        ] {
            let refused = body::<Sample>(bad).unwrap_err();
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }

    #[test]
    fn if_match_passes_only_the_current_revision() {
        assert!(check_if_match(&HeaderMap::new(), 7).is_ok(), "absent");
        assert!(check_if_match(&with("*"), 7).is_ok());
        assert!(check_if_match(&with("\"7\""), 7).is_ok());
        assert!(check_if_match(&with("\"6\", \"7\""), 7).is_ok(), "a list");
        for stale in ["\"6\"", "W/\"7\"", "7", "\"70\"", ""] {
            let refused = check_if_match(&with(stale), 7).unwrap_err();
            assert_eq!(refused.status, StatusCode::PRECONDITION_FAILED, "{stale:?}");
        }
        assert_eq!(etag(7), "\"7\"");
    }
}
