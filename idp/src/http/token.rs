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
        device, dpop,
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
    let proof = dpop_header(&headers)?;
    let next_nonce = dpop::nonce_to_send(&state, proof.is_some());
    let result = token::handle(
        &state,
        TokenRequest {
            params,
            credentials,
            meta,
            dpop: proof,
        },
    )
    .await;
    let (resp, grant) = result?;
    state.metrics.token_issued(grant);
    Ok(with_nonce(no_store(Json(resp)), next_nonce))
}

/// Hands the client the next DPoP nonce (RFC 9449 §8.2), when nonces are in use.
fn with_nonce(mut r: Response, nonce: Option<String>) -> Response {
    if let Some(v) = nonce.and_then(|n| header::HeaderValue::from_str(&n).ok()) {
        r.headers_mut().insert("dpop-nonce", v);
    }
    r
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
    let proof = dpop_header(&headers)?;
    let next_nonce = dpop::nonce_to_send(&state, proof.is_some());
    let pushed = par::push(&state, &client, params, proof.as_deref()).await?;
    let created = no_store((axum::http::StatusCode::CREATED, Json(pushed)));
    Ok(with_nonce(created, next_nonce))
}

/// The device authorization endpoint (RFC 8628 §3.1): the client authenticates as at the
/// token endpoint (a public client names itself) and gets a device code and a user code.
pub async fn device_authorization(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (client, params) = authenticated(&state, &meta, &headers, &body, false).await?;
    let started = device::authorize(&state, &client, &params).await?;
    Ok(no_store(Json(started)))
}

/// The one `DPoP` header of a request, if any (RFC 9449 §4.3: never two).
fn dpop_header(headers: &HeaderMap) -> Result<Option<String>, OAuthError> {
    let mut all = headers.get_all("dpop").iter();
    match (all.next(), all.next()) {
        (None, _) => Ok(None),
        (Some(v), None) => v
            .to_str()
            .map(|v| Some(v.to_owned()))
            .map_err(|_| OAuthError::invalid_dpop_proof("the DPoP header is not text")),
        (Some(_), Some(_)) => Err(OAuthError::invalid_dpop_proof("one DPoP header at most")),
    }
}

/// The bearer token from the header (RFC 6750 §2.1) or, for POST, the body (§2.2); never both.
/// The token and whether it came in the `DPoP` scheme (RFC 9449 §7.1) rather than `Bearer`.
fn bearer(headers: &HeaderMap, body: Option<&[u8]>) -> Result<(String, bool), OAuthError> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop")
        })
        .map(|(scheme, t)| (t.trim().to_owned(), scheme.eq_ignore_ascii_case("dpop")));
    let from_body = match body.filter(|b| !b.is_empty()) {
        Some(b) => util::protocol_form(headers, b)?
            .remove("access_token")
            .map(|t| (t, false)),
        None => None,
    };
    match (from_header, from_body) {
        (Some(_), Some(_)) => Err(OAuthError::invalid_request(
            "send the token in one place only",
        )),
        (Some(t), None) | (None, Some(t)) if !t.0.is_empty() => Ok(t),
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
    userinfo_of(&state, &headers, None, "GET").await
}

async fn userinfo_of(
    state: &AppState,
    headers: &HeaderMap,
    body: Option<&[u8]>,
    method: &str,
) -> Result<Response, AppError> {
    let (token, dpop_scheme) = bearer(headers, body).map_err(AppError::Bearer)?;
    let proof = dpop_header(headers).map_err(AppError::Bearer)?;
    let presented = dpop::Presented {
        token: &token,
        dpop_scheme,
        proof: proof.as_deref(),
        method,
        url: &state.url("/userinfo"),
    };
    let claims = userinfo::userinfo(state, &presented)
        .await
        .map_err(AppError::Bearer)?;
    let next_nonce = dpop::nonce_to_send(state, proof.is_some());
    Ok(with_nonce(no_store(Json(claims)), next_nonce))
}

pub async fn userinfo_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    userinfo_of(&state, &headers, Some(&body), "POST").await
}
