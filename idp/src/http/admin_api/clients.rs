//! Relying parties (area `admin:clients`): the HTTP face of `admin::clients`.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    Area, PageParams, Problem, body, body_value, caller_in, check_if_match, client_face,
    client_schema::{ClientPatchBody, ClientView, CreatedClient, NewClientBody, RotatedSecret},
    etag, list, query,
    schema::{Page, ProblemDoc},
};
use crate::{
    admin::clients::{self as uc, ClientError},
    audit::Actor,
    http::client::ClientMeta,
    state::AppState,
    storage::Client,
};

type ApiResult = Result<Response, Problem>;

impl From<ClientError> for Problem {
    fn from(e: ClientError) -> Self {
        match e {
            // RFC 7591 §3.2.2's `invalid_client_metadata`: a value (a name, a URI, a logo
            // that could not be fetched) the registration cannot take.
            ClientError::Invalid { .. } => Problem {
                kind: Some("urn:postern:problem:invalid-client-metadata"),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid client metadata",
                    e.to_string(),
                )
            },
            ClientError::Exists => {
                Problem::conflict("urn:postern:problem:client-exists", e.to_string())
            }
            ClientError::NotFound => Problem::not_found(e.to_string()),
            ClientError::Stale => Problem::stale(),
            ClientError::OwnClient(_) => {
                Problem::conflict("urn:postern:problem:own-client", e.to_string())
            }
            ClientError::Privileged => Problem::forbidden(e.to_string()),
            ClientError::PublicClient => {
                Problem::conflict("urn:postern:problem:public-client", e.to_string())
            }
            ClientError::KeyClient => {
                Problem::conflict("urn:postern:problem:key-client", e.to_string())
            }
            ClientError::Storage(s) => s.into(),
        }
    }
}

async fn operator(state: &AppState, headers: &HeaderMap) -> Result<Actor, Problem> {
    caller_in(state, headers, Area::Clients).await
}

/// The client as JSON with its revision as `ETag`.
fn with_etag(status: StatusCode, view: impl serde::Serialize, revision: i64) -> Response {
    let mut r = (status, Json(view)).into_response();
    r.headers_mut().insert(header::ETAG, etag(revision));
    r
}

fn client_json(c: &Client) -> Response {
    with_etag(StatusCode::OK, ClientView::from(c), c.revision)
}

#[utoipa::path(
    get,
    path = "/clients",
    tag = "clients",
    operation_id = "list_clients",
    summary = "The registered clients, by client id",
    params(PageParams),
    responses(
        (status = 200, description = "A page of clients", body = Page<ClientView>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc)
    )
)]
pub async fn list_clients(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    operator(&state, &headers).await?;
    let p: PageParams = query(q)?;
    let (offset, limit, page, per_page) = p.window()?;
    let found = uc::list_clients(&state, offset, limit).await?;
    let items: Vec<ClientView> = found.items.iter().map(ClientView::from).collect();
    Ok(list(items, page, per_page, found.total))
}

#[utoipa::path(
    post,
    path = "/clients",
    tag = "clients",
    operation_id = "create_client",
    summary = "Register a client; a confidential client's secret is in this answer only",
    request_body = NewClientBody,
    responses(
        (status = 201, description = "Created", body = CreatedClient,
            headers(("Location" = String, description = "The new client"), ("ETag" = String)),
            links(
                ("read" = (operation_id = "read_client", parameters(("id" = "$response.body#/client/client_id")))),
                ("update" = (operation_id = "update_client", parameters(("id" = "$response.body#/client/client_id")))),
                ("rotate" = (operation_id = "rotate_client_secret", parameters(("id" = "$response.body#/client/client_id")))),
                ("disable" = (operation_id = "disable_client", parameters(("id" = "$response.body#/client/client_id")))),
                ("enable" = (operation_id = "enable_client", parameters(("id" = "$response.body#/client/client_id")))),
                ("delete" = (operation_id = "delete_client", parameters(("id" = "$response.body#/client/client_id"))))
            )
        ),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 409, response = ProblemDoc),
        (status = 422, response = ProblemDoc)
    )
)]
pub async fn create_client(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    bytes: Bytes,
) -> ApiResult {
    let who = operator(&state, &headers).await?;
    let (rest, tagged) = client_face::split(body(&bytes)?)?;
    let new: NewClientBody = body_value(rest)?;
    let new = uc::NewClient::try_from((new, tagged))?;
    let (client, secret) = uc::create_client(&state, new, &who, Some(&meta)).await?;
    let created = CreatedClient {
        client: ClientView::from(&client),
        client_secret: secret,
    };
    let mut r = with_etag(StatusCode::CREATED, created, client.revision);
    // The id is letters, digits and `-_.:` only: always a valid header value.
    if let Ok(v) = HeaderValue::from_str(&format!("/admin/api/v1/clients/{}", client.client_id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

#[utoipa::path(
    get,
    path = "/clients/{id}",
    tag = "clients",
    operation_id = "read_client",
    summary = "Read a client (never its secret)",
    params(("id" = String, Path, description = "The client id")),
    responses(
        (status = 200, description = "The client", body = ClientView, headers(("ETag" = String))),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn read_client(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    operator(&state, &headers).await?;
    Ok(client_json(&uc::get_client(&state, &id).await?))
}

#[utoipa::path(
    patch,
    path = "/clients/{id}",
    tag = "clients",
    operation_id = "update_client",
    summary = "Change a client's settings; with If-Match, only the revision read",
    params(
        ("id" = String, Path, description = "The client id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; refused with 412 when the client changed since")
    ),
    request_body = ClientPatchBody,
    responses(
        (status = 200, description = "The client", body = ClientView, headers(("ETag" = String))),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 412, response = ProblemDoc),
        (status = 422, response = ProblemDoc)
    )
)]
pub async fn update_client(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let who = operator(&state, &headers).await?;
    let (rest, tagged) = client_face::split(body(&bytes)?)?;
    let patch: ClientPatchBody = body_value(rest)?;
    // `If-Match` judges the revision the change is written on (the store's update is
    // conditional on it), so a write racing in between is refused too.
    let if_match = |revision| check_if_match(&headers, revision).is_ok();
    let patch = uc::ClientPatch::try_from((patch, tagged))?;
    let client = uc::update_client(&state, &id, patch, &if_match, &who, Some(&meta)).await?;
    Ok(client_json(&client))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/secret",
    tag = "clients",
    operation_id = "rotate_client_secret",
    summary = "Give a confidential client a new secret (in this answer only); the old one works for clients.secret_rotation_grace",
    params(("id" = String, Path, description = "The client id")),
    responses(
        (status = 200, description = "The new secret", body = RotatedSecret, headers(("ETag" = String))),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 409, response = ProblemDoc)
    )
)]
pub async fn rotate_client_secret(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let who = operator(&state, &headers).await?;
    let rotated = uc::rotate_secret(&state, &id, &who, Some(&meta)).await?;
    let revision = rotated.client.revision;
    Ok(with_etag(
        StatusCode::OK,
        RotatedSecret::from(rotated),
        revision,
    ))
}

async fn set_disabled(
    state: AppState,
    meta: ClientMeta,
    headers: HeaderMap,
    id: String,
    disabled: bool,
) -> ApiResult {
    let who = operator(&state, &headers).await?;
    let client = uc::set_disabled(&state, &id, disabled, &who, Some(&meta.0)).await?;
    Ok(client_json(&client))
}

#[utoipa::path(
    post,
    path = "/clients/{id}/disable",
    tag = "clients",
    operation_id = "disable_client",
    summary = "Refuse a client everywhere and revoke its grants (not the caller's own client)",
    params(("id" = String, Path, description = "The client id")),
    responses(
        (status = 200, description = "The client", body = ClientView, headers(("ETag" = String))),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 409, response = ProblemDoc)
    )
)]
pub async fn disable_client(
    State(state): State<AppState>,
    meta: ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    set_disabled(state, meta, headers, id, true).await
}

#[utoipa::path(
    post,
    path = "/clients/{id}/enable",
    tag = "clients",
    operation_id = "enable_client",
    summary = "Let a disabled client in again",
    params(("id" = String, Path, description = "The client id")),
    responses(
        (status = 200, description = "The client", body = ClientView, headers(("ETag" = String))),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc)
    )
)]
pub async fn enable_client(
    State(state): State<AppState>,
    meta: ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    set_disabled(state, meta, headers, id, false).await
}

#[utoipa::path(
    delete,
    path = "/clients/{id}",
    tag = "clients",
    operation_id = "delete_client",
    summary = "Delete a client: its tokens stop at once, its consents go (not the caller's own client)",
    params(("id" = String, Path, description = "The client id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 404, response = ProblemDoc),
        (status = 409, response = ProblemDoc)
    )
)]
pub async fn delete_client(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let who = operator(&state, &headers).await?;
    uc::delete_client(&state, &id, &who, Some(&meta)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
