//! The account console: profile, change of email and mobile number, sessions, connected
//! services and the catalogue, data export and deletion. Every page is behind sign-in and
//! every form behind CSRF; pages share `console.html` and its navigation.

mod contact;
mod data;
mod profile;
mod services;
mod sessions;

use std::collections::HashMap;

use axum::{
    Router,
    body::Bytes,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use minijinja::{Value, context};

use super::{error::AppError, guard, util};
use crate::{state::AppState, storage::User, web::render::Ui};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(profile::page).post(profile::save))
        .route(
            "/account/email",
            get(contact::email_page).post(contact::email_start),
        )
        .route("/account/email/confirm", post(contact::email_confirm))
        .route(
            "/account/phone",
            get(contact::phone_page).post(contact::phone_start),
        )
        .route("/account/phone/confirm", post(contact::phone_confirm))
        .route("/account/sessions", get(sessions::page))
        .route("/account/sessions/end", post(sessions::end_one))
        .route("/account/sessions/end-others", post(sessions::end_others))
        .route("/account/services", get(services::page))
        .route("/account/services/revoke", post(services::revoke))
        .route("/account/services/favourite", post(services::favourite))
        .route("/account/data", get(data::page))
        .route("/account/export", get(data::export))
        .route("/account/delete", post(data::delete))
}

/// A console request: the signed-in user and the page language (their saved choice after
/// the switch in this browser).
pub(super) struct Console {
    user: User,
    ui: Ui,
}

/// The signed-in user of a console page (their session reached its floor), or the way to
/// sign in and come back to `path`.
async fn console(
    state: &AppState,
    headers: &HeaderMap,
    ui: Ui,
    path: &str,
) -> Result<Console, AppError> {
    let s = guard::signed_in(state, headers, path.to_owned()).await?;
    Ok(Console::of(s.user, ui))
}

/// A console page for a sensitive action: the user's strongest factor, proven recently.
async fn console_fresh(
    state: &AppState,
    headers: &HeaderMap,
    ui: Ui,
    path: &str,
) -> Result<Console, AppError> {
    let guard::Fresh(s) = guard::fresh(state, headers, path.to_owned()).await?;
    Ok(Console::of(s.user, ui))
}

impl Console {
    fn of(user: User, ui: Ui) -> Console {
        let ui = ui.prefer(None, user.locale.as_deref());
        Console { user, ui }
    }
}

/// A console form: CSRF checked first, then the user.
async fn console_form(
    state: &AppState,
    headers: &HeaderMap,
    ui: Ui,
    path: &str,
    body: &Bytes,
) -> Result<(Console, HashMap<String, String>), AppError> {
    let form = util::page_form(body)?;
    util::check_csrf(state, headers, &form)?;
    Ok((console(state, headers, ui, path).await?, form))
}

/// A console form for a sensitive action (see [`console_fresh`]).
async fn console_fresh_form(
    state: &AppState,
    headers: &HeaderMap,
    ui: Ui,
    path: &str,
    body: &Bytes,
) -> Result<(Console, HashMap<String, String>), AppError> {
    let form = util::page_form(body)?;
    util::check_csrf(state, headers, &form)?;
    Ok((console_fresh(state, headers, ui, path).await?, form))
}

/// Renders a console page: `nav` names the navigation entry that is current.
fn render(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    template: &str,
    nav: &str,
    status: StatusCode,
    ctx: Value,
) -> Response {
    let (csrf, set) = util::csrf_token(state, headers);
    let html = state.web.page(
        &c.ui,
        template,
        context! { csrf, nav, email => c.user.email.clone(), ..ctx },
    );
    let mut r = (status, Html(html)).into_response();
    if let Some(s) = set {
        r.headers_mut().append(header::SET_COOKIE, s);
    }
    r
}
