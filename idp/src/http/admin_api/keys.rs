//! Signing keys (area [`Area::Keys`]): list, rotate, retire. The use cases are
//! `admin::keys`; this only adapts them.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    Area, PageParams, Problem, body, caller_in, list, query,
    schema::{KeyView, Page, ProblemDoc},
};
use crate::{
    admin::keys,
    crypto::keys::{KeyError, RevokeError},
    http::client::ClientMeta,
    state::AppState,
};

type ApiResult = Result<Response, Problem>;

impl From<KeyError> for Problem {
    fn from(e: KeyError) -> Self {
        // The keys directory failed us, not the caller: logged, never shown.
        tracing::error!(error = %e, "key operation failed");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            "the key operation could not be completed",
        )
    }
}

impl From<RevokeError> for Problem {
    fn from(e: RevokeError) -> Self {
        match e {
            RevokeError::NotFound => Problem::not_found("no key has this kid"),
            e @ RevokeError::SignsAlone(..) => {
                Problem::conflict("urn:postern:problem:only-signing-key", e.to_string())
            }
            e @ RevokeError::AlreadyRevoked(_) => {
                Problem::conflict("urn:postern:problem:already-retired", e.to_string())
            }
            RevokeError::Key(e) => e.into(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/keys",
    tag = "keys",
    operation_id = "list_keys",
    summary = "The signing keys with their state, oldest first per algorithm (scope admin or admin:keys)",
    params(PageParams),
    responses(
        (status = 200, description = "A page of keys", body = Page<KeyView>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc)
    )
)]
pub async fn list_keys(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    caller_in(&state, &headers, Area::Keys).await?;
    let p: PageParams = query(q)?;
    let (offset, limit, page, per_page) = p.window()?;
    let all = keys::list(&state);
    let total = all.len() as u64;
    let items: Vec<KeyView> = all
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(KeyView::from)
        .collect();
    Ok(list(items, page, per_page, total))
}

/// How to rotate; the body may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    /// Sign with the new keys at once (after a compromise), skipping
    /// `signing.rotation_lead_time`.
    #[serde(default)]
    now: bool,
}

/// The keys a rotation added, one per algorithm.
#[derive(Serialize, ToSchema)]
pub struct Rotated {
    keys: Vec<KeyView>,
}

#[utoipa::path(
    post,
    path = "/keys/rotate",
    tag = "keys",
    operation_id = "rotate_keys",
    summary = "Add a key per algorithm: published at once, signing after the lead time or, with now, at once",
    request_body(content = Option<RotateRequest>, description = "Optional; `{}` rotates with the lead time"),
    responses(
        (status = 200, description = "The new keys", body = Rotated,
            links(
                ("retire" = (operation_id = "retire_key", parameters(("kid" = "$response.body#/keys/0/kid"))))
            )
        ),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc)
    )
)]
pub async fn rotate_keys(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    bytes: Bytes,
) -> ApiResult {
    let who = caller_in(&state, &headers, Area::Keys).await?;
    // No body, or `null` as the document allows, is the default rotation.
    let req: RotateRequest = match bytes.trim_ascii() {
        b"" | b"null" => RotateRequest::default(),
        _ => body(&bytes)?,
    };
    let new = keys::rotate(&state, req.now, &who, Some(&meta)).await?;
    let keys = new.iter().map(KeyView::from).collect();
    Ok(Json(Rotated { keys }).into_response())
}

#[utoipa::path(
    post,
    path = "/keys/{kid}/retire",
    tag = "keys",
    operation_id = "retire_key",
    summary = "Retire a key at once (a compromise): unpublished, and nothing it signed is trusted; not the key that signs (rotate with now first)",
    params(("kid" = String, Path, description = "The key's id")),
    responses(
        (status = 200, description = "The key, now revoked", body = KeyView),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 409, response = ProblemDoc)
    )
)]
pub async fn retire_key(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientMeta(meta): ClientMeta,
    Path(kid): Path<String>,
) -> ApiResult {
    let who = caller_in(&state, &headers, Area::Keys).await?;
    let info = keys::retire(&state, &kid, &who, Some(&meta)).await?;
    Ok(Json(KeyView::from(&info)).into_response())
}
