//! Identity assurance and counter credentials of an account (area `admin:users`): record or
//! withdraw an identity check, hand over a temporary password, require a new password.
//! The rules are `admin::assurance` and `admin::counter`'s; this file only adapts them.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Area, Problem, body, caller_in, check_if_match};
use crate::{
    admin::{
        assurance::{AssuranceError, Evidence, set_assurance},
        counter,
    },
    http::client::ClientMeta,
    model::{Assurance, ProofMethod},
    state::AppState,
    storage::User,
};

type ApiResult = Result<Response, Problem>;

/// An account's identity assurance.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Neither an identity check nor both contacts confirmed.
    Unverified,
    /// Email address and mobile number confirmed.
    Basic,
    /// Identity proofed, with evidence.
    Verified,
}

/// How an identity was proofed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// In person with an identity document, at a counter.
    Counter,
    /// An electronic identity.
    Eid,
    /// A video identification.
    Video,
    Other,
}

impl From<Level> for Assurance {
    fn from(l: Level) -> Self {
        match l {
            Level::Unverified => Assurance::Unverified,
            Level::Basic => Assurance::Basic,
            Level::Verified => Assurance::Verified,
        }
    }
}

impl From<Assurance> for Level {
    fn from(a: Assurance) -> Self {
        match a {
            Assurance::Unverified => Level::Unverified,
            Assurance::Basic => Level::Basic,
            Assurance::Verified => Level::Verified,
        }
    }
}

impl From<Method> for ProofMethod {
    fn from(m: Method) -> Self {
        match m {
            Method::Counter => ProofMethod::Counter,
            Method::Eid => ProofMethod::Eid,
            Method::Video => ProofMethod::Video,
            Method::Other => ProofMethod::Other,
        }
    }
}

impl From<ProofMethod> for Method {
    fn from(m: ProofMethod) -> Self {
        match m {
            ProofMethod::Counter => Method::Counter,
            ProofMethod::Eid => Method::Eid,
            ProofMethod::Video => Method::Video,
            ProofMethod::Other => Method::Other,
        }
    }
}

/// `verified` records a check (`method` required); `basic` or `unverified` withdraws any
/// recorded one, and must be the level the contact state gives (422 otherwise).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssuranceBody {
    pub level: Level,
    pub method: Option<Method>,
    /// Where or with what (an office code, a document kind), at most 100 characters;
    /// never a document number.
    #[schema(max_length = 100, min_length = 1)]
    pub reference: Option<String>,
}

/// An account's assurance and its evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssuranceView {
    pub user_id: String,
    pub level: Level,
    pub method: Option<Method>,
    /// When the check was recorded (Unix seconds).
    pub checked_at: Option<i64>,
    /// The client whose token recorded it; null with a check from the command line.
    pub recorded_by_client: Option<String>,
    /// The person whose token recorded it, for a person's token.
    pub recorded_by_user: Option<String>,
    pub reference: Option<String>,
}

impl From<&User> for AssuranceView {
    fn from(u: &User) -> Self {
        let check = u.identity_check.as_ref();
        AssuranceView {
            user_id: u.id.clone(),
            level: u.assurance().into(),
            method: check.map(|c| c.method.into()),
            checked_at: check.map(|c| c.at),
            recorded_by_client: check.and_then(|c| c.by_client.clone()),
            recorded_by_user: check.and_then(|c| c.by_user.clone()),
            reference: check.and_then(|c| c.reference.clone()),
        }
    }
}

/// A temporary password, shown this once.
#[derive(Serialize, ToSchema)]
pub struct TemporaryPasswordView {
    pub user_id: String,
    pub password: String,
    /// Unix seconds; the first sign-in must replace it before then.
    pub expires_at: i64,
}

/// No fields: the body of the password operations is empty or `{}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

impl From<AssuranceError> for Problem {
    fn from(e: AssuranceError) -> Self {
        match e {
            AssuranceError::NotFound => Problem::not_found("no such user"),
            AssuranceError::Storage(s) => s.into(),
            invalid => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid value",
                invalid.to_string(),
            ),
        }
    }
}

/// An empty body, or `{}`.
fn no_fields(bytes: &[u8]) -> Result<(), Problem> {
    if !bytes.iter().all(u8::is_ascii_whitespace) {
        body::<NoFields>(bytes)?;
    }
    Ok(())
}

#[utoipa::path(
    put,
    path = "/users/{id}/assurance",
    tag = "users",
    operation_id = "set_user_assurance",
    summary = "Record an identity check (level verified) or withdraw it",
    params(("id" = String, Path, description = "The user's id")),
    request_body = AssuranceBody,
    responses(
        (status = 200, description = "The account's assurance now", body = AssuranceView),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc),
        (status = 412, response = super::schema::ProblemDoc),
        (status = 422, response = super::schema::ProblemDoc)
    )
)]
pub async fn set_user_assurance(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let actor = caller_in(&state, &headers, Area::Users).await?;
    let b: AssuranceBody = body(&bytes)?;
    // With `If-Match`, the check is recorded only on the revision the caller read (the
    // account view's `ETag`). The recording itself bumps the revision.
    if headers.contains_key(header::IF_MATCH) {
        let current = state
            .stores
            .users
            .find_user(&id)
            .await?
            .ok_or_else(|| Problem::not_found("no such user"))?;
        check_if_match(&headers, current.revision)?;
    }
    let evidence = match (b.method, b.reference) {
        (Some(m), reference) => Some(Evidence {
            method: m.into(),
            reference,
        }),
        (None, None) => None,
        (None, Some(_)) => {
            return Err(AssuranceError::EvidenceWithoutVerified.into());
        }
    };
    let user = set_assurance(&state, &id, b.level.into(), evidence, &actor, Some(&meta)).await?;
    Ok(Json(AssuranceView::from(&user)).into_response())
}

#[utoipa::path(
    post,
    path = "/users/{id}/temporary-password",
    tag = "users",
    operation_id = "issue_temporary_password",
    summary = "Replace the password with a temporary one (answered once; it must be changed at the first sign-in; every session and grant of the account ends)",
    params(("id" = String, Path, description = "The user's id")),
    request_body(content = Option<NoFields>, description = "Empty, or {}"),
    responses(
        (status = 201, description = "The temporary password, shown once", body = TemporaryPasswordView),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc)
    )
)]
pub async fn issue_temporary_password(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let actor = caller_in(&state, &headers, Area::Users).await?;
    no_fields(&bytes)?;
    let issued = counter::issue_temporary_password(&state, &id, &actor, Some(&meta)).await?;
    let view = TemporaryPasswordView {
        user_id: issued.user.id.clone(),
        password: issued.password.expose().to_owned(),
        expires_at: issued.expires_at,
    };
    // A secret: `security_headers` marks every answer `no-store`, so no cache keeps it.
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[utoipa::path(
    post,
    path = "/users/{id}/password-change",
    tag = "users",
    operation_id = "require_password_change",
    summary = "Require a new password at the next sign-in",
    params(("id" = String, Path, description = "The user's id")),
    request_body(content = Option<NoFields>, description = "Empty, or {}"),
    responses(
        (status = 204, description = "Required"),
        (status = 400, response = super::schema::ProblemDoc),
        (status = 401, response = super::schema::ProblemDoc),
        (status = 403, response = super::schema::ProblemDoc),
        (status = 404, response = super::schema::ProblemDoc)
    )
)]
pub async fn require_password_change(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let actor = caller_in(&state, &headers, Area::Users).await?;
    no_fields(&bytes)?;
    counter::require_password_change(&state, &id, &actor, Some(&meta)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
