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
    web::render::Ui,
};
use minijinja::context;

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

fn invalid_link() -> AppError {
    AppError::bad_request("err-link-invalid")
}

fn page(set: Option<header::HeaderValue>, html: String, status: StatusCode) -> Response {
    let mut r = (status, Html(html)).into_response();
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

/// Field errors of the new-password form: field name to message key.
type Errors = Vec<(&'static str, &'static str)>;

fn reset_form(state: &AppState, ui: &Ui, csrf: &str, token: &str, errors: &Errors) -> String {
    let errors: std::collections::BTreeMap<_, _> = errors.iter().copied().collect();
    state.web.page(
        ui,
        "reset_password.html",
        context! {
            csrf, token, errors,
            action => "/recover/reset",
            min_length => state.config.password_policy.min_length,
        },
    )
}

pub async fn reset_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TokenQuery>,
) -> Result<Response, AppError> {
    let token = q.token.unwrap_or_default();
    if token.is_empty() || !recovery::link_is_valid(&state, &token).await? {
        return Err(invalid_link());
    }
    let (csrf, set) = util::csrf_token(&state, &headers);
    let html = reset_form(&state, &ui, &csrf, &token, &vec![]);
    Ok(page(set, html, StatusCode::OK))
}

pub async fn reset_submit(
    State(state): State<AppState>,
    ui: Ui,
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
    let retry = |errors: Errors| {
        let (csrf, set) = util::csrf_token(&state, &headers);
        let html = reset_form(&state, &ui, &csrf, &token, &errors);
        page(set, html, StatusCode::BAD_REQUEST)
    };
    if !crate::crypto::ct_eq(password.expose().as_bytes(), again.as_bytes()) {
        return Ok(retry(vec![("password2", "passwords-differ")]));
    }
    match recovery::reset_password(&state, &token, &password, &meta).await {
        Ok(()) => Ok(Html(state.web.page(&ui, "reset_done.html", context! {})).into_response()),
        Err(ResetError::Policy(e)) => Ok(retry(vec![("password", e.key())])),
        Err(ResetError::InvalidLink) => Err(invalid_link()),
        Err(ResetError::Storage(e)) => Err(e.into()),
    }
}
