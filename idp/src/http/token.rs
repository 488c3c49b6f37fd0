//! Back-channel endpoints: token, userinfo, introspection and revocation.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{client::ClientMeta, error::AppError, util};
use crate::{
    crypto::Secret,
    protocol::{
        client_auth::{self, PresentedCredentials},
        error::OAuthError,
        introspection, par, revocation,
        token::{self, TokenRequest},
        userinfo,
    },
    state::AppState,
};

fn credentials(
    headers: &HeaderMap,
    form: &mut std::collections::HashMap<String, String>,
) -> PresentedCredentials {
    let mut creds = PresentedCredentials {
        body_client_id: form.remove("client_id"),
        body_secret: form.remove("client_secret").map(Secret::new),
        assertion_type: form.remove("client_assertion_type"),
        assertion: form.remove("client_assertion"),
        ..Default::default()
    };
    if let Some(h) = headers.get(header::AUTHORIZATION) {
        match h.to_str().ok().and_then(client_auth::parse_basic) {
            Some(b) => creds.basic = Some(b),
            None => creds.malformed_header = true,
        }
    }
    creds
}

/// The form of a client-authenticated endpoint and the client it authenticates
/// (`confidential_only`: a public client may not call it).
async fn authenticated(
    state: &AppState,
    meta: &crate::audit::RequestMeta,
    headers: &HeaderMap,
    body: &[u8],
    confidential_only: bool,
) -> Result<
    (
        crate::storage::Client,
        std::collections::HashMap<String, String>,
    ),
    OAuthError,
> {
    let mut params = util::protocol_form(headers, body)?;
    let creds = credentials(headers, &mut params);
    let client = client_auth::authenticate(state, creds, confidential_only, meta).await?;
    Ok((client, params))
}

fn no_store(r: impl IntoResponse) -> Response {
    let mut r = r.into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r.headers_mut()
        .insert(header::PRAGMA, header::HeaderValue::from_static("no-cache"));
    r
}

pub async fn token(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut params = util::protocol_form(&headers, &body)?;
    let credentials = credentials(&headers, &mut params);
    let result = token::handle(
        &state,
        TokenRequest {
            params,
            credentials,
            meta,
        },
    )
    .await;
    let (resp, grant) = result?;
    state.metrics.token_issued(grant);
    Ok(no_store(Json(resp)))
}

pub async fn introspect(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (client, params) = authenticated(&state, &meta, &headers, &body, true).await?;
    let token = params
        .get("token")
        .ok_or_else(|| OAuthError::invalid_request("token is required"))?;
    let hint = params.get("token_type_hint").map(String::as_str);
    let out = introspection::introspect(&state, &client, token, hint)
        .await
        .map_err(OAuthError::from)?;
    Ok(no_store(Json(out)))
}

pub async fn revoke(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (client, params) = authenticated(&state, &meta, &headers, &body, false).await?;
    let token = params
        .get("token")
        .ok_or_else(|| OAuthError::invalid_request("token is required"))?;
    revocation::revoke(&state, &client, token)
        .await
        .map_err(OAuthError::from)?;
    Ok(no_store(Json(json!({}))))
}

/// The pushed authorization request endpoint (RFC 9126): the client authenticates as at
/// the token endpoint and gets a `request_uri` for `/authorize`.
pub async fn par(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (client, params) = authenticated(&state, &meta, &headers, &body, false).await?;
    let params = params.into_iter().map(|(k, v)| (k, vec![v])).collect();
    let pushed = par::push(&state, &client, params).await?;
    Ok(no_store((axum::http::StatusCode::CREATED, Json(pushed))))
}

/// The bearer token from the header (RFC 6750 §2.1) or, for POST, the body (§2.2); never both.
fn bearer(headers: &HeaderMap, body: Option<&[u8]>) -> Result<String, OAuthError> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_owned());
    let from_body = match body.filter(|b| !b.is_empty()) {
        Some(b) => util::protocol_form(headers, b)?.remove("access_token"),
        None => None,
    };
    match (from_header, from_body) {
        (Some(_), Some(_)) => Err(OAuthError::invalid_request(
            "send the token in one place only",
        )),
        (Some(t), None) | (None, Some(t)) if !t.is_empty() => Ok(t),
        _ => Err(OAuthError::new(
            crate::protocol::error::ErrorCode::InvalidToken,
            401,
            "an access token is required",
        )),
    }
}

pub async fn userinfo_get(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let token = bearer(&headers, None).map_err(AppError::Bearer)?;
    let claims = userinfo::userinfo(&state, &token)
        .await
        .map_err(AppError::Bearer)?;
    Ok(no_store(Json(claims)))
}

pub async fn userinfo_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let token = bearer(&headers, Some(&body)).map_err(AppError::Bearer)?;
    let claims = userinfo::userinfo(&state, &token)
        .await
        .map_err(AppError::Bearer)?;
    Ok(no_store(Json(claims)))
}
