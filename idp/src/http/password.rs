//! `POST /password/check`: the server's verdict on a password as the user types it, for
//! `/assets/password.js`. The same rules as the form's (`accounts::check_password_policy`),
//! so the page never says "fine" to a password the form then refuses.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

use super::{client::ClientMeta, error::AppError, ratelimit, util};
use crate::{
    accounts::{check_password_policy, normalize_email},
    crypto::Secret,
    state::AppState,
    web::{i18n::Lang, render::Ui},
};

#[derive(Deserialize)]
pub struct CheckRequest {
    password: String,
    #[serde(default)]
    email: String,
    /// The page's language (`<html lang>`).
    #[serde(default)]
    lang: String,
}

pub async fn check(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    if !util::csrf_header_ok(&state, &headers) {
        return Ok(super::respond::json_message(StatusCode::FORBIDDEN, "csrf"));
    }
    ratelimit::per_address(
        &state,
        "pwcheck-ip",
        &meta,
        state.config.rate_limit.password_check_per_ip,
        true,
    )
    .await?;
    let Ok(req) = serde_json::from_slice::<CheckRequest>(&body) else {
        return Ok(super::respond::json_message(
            StatusCode::BAD_REQUEST,
            "body",
        ));
    };
    let lang = Lang::parse(&req.lang).unwrap_or(ui.lang);
    let email = normalize_email(&req.email).unwrap_or_default();
    let policy = &state.config.password_policy;
    let min = [("min", (policy.min_length as i64).into())];
    let (ok, message) = match check_password_policy(policy, &email, &Secret::new(req.password)) {
        Ok(()) => (true, state.web.t(lang, "password-strength-ok", &[])),
        Err(e) => (false, state.web.t(lang, e.key(), &min)),
    };
    Ok(Json(json!({ "ok": ok, "message": message })).into_response())
}
