//! The page behind an emailed unlock link: choose a new password, which lifts the lock.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    client::ClientMeta,
    error::AppError,
    ratelimit,
    util::{self, PageQuery},
};
use crate::{
    accounts::recovery::{self, ResetError},
    crypto::Secret,
    state::AppState,
    web::pages,
};

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

fn invalid_link() -> AppError {
    AppError::bad_request(
        "This link is not valid any more: it was used already or it expired. Sign in again; if the account is still locked you will get a new one.",
    )
}

fn page(set: Option<header::HeaderValue>, html: String, status: StatusCode) -> Response {
    let mut r = (status, Html(html)).into_response();
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

pub async fn reset_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TokenQuery>,
) -> Result<Response, AppError> {
    let token = q.token.unwrap_or_default();
    if token.is_empty() || !recovery::link_is_valid(&state, &token).await? {
        return Err(invalid_link());
    }
    let (csrf, set) = util::csrf_token(&state, &headers);
    Ok(page(
        set,
        pages::reset_password(&csrf, &token, None),
        StatusCode::OK,
    ))
}

pub async fn reset_submit(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let ip = meta.ip.clone().unwrap_or_default();
    ratelimit::hit(
        &state,
        "recovery-ip",
        &ip,
        state.config.rate_limit.recovery_per_ip,
        false,
    )
    .await?;
    let token = form.get("token").cloned().unwrap_or_default();
    let password = Secret::new(form.get("password").cloned().unwrap_or_default());
    let again = form.get("password2").cloned().unwrap_or_default();
    let retry = |msg: &str| {
        let (csrf, set) = util::csrf_token(&state, &headers);
        page(
            set,
            pages::reset_password(&csrf, &token, Some(msg)),
            StatusCode::BAD_REQUEST,
        )
    };
    if !crate::crypto::ct_eq(password.expose().as_bytes(), again.as_bytes()) {
        return Ok(retry("The two passwords are not the same."));
    }
    match recovery::reset_password(&state, &token, &password, &meta).await {
        Ok(()) => Ok(Html(pages::password_reset_done()).into_response()),
        Err(ResetError::Policy(msg)) => Ok(retry(&msg)),
        Err(ResetError::InvalidLink) => Err(invalid_link()),
        Err(ResetError::Storage(e)) => Err(e.into()),
    }
}
