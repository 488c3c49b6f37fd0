//! RP-initiated logout: the end_session_endpoint and its confirmation form.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, header},
    response::{Html, IntoResponse, Redirect, Response},
};

use super::{
    csp::FormTarget,
    error::AppError,
    util::{self, PageQuery},
};
use crate::{
    authn::session,
    protocol::logout::{self, LogoutRequest},
    state::AppState,
    web::render::Ui,
};

async fn handle(
    state: AppState,
    ui: Ui,
    headers: HeaderMap,
    req: LogoutRequest,
    confirmed: bool,
) -> Result<Response, AppError> {
    let cookie = util::session_cookie(&state, &headers);
    let sso = match cookie {
        Some(c) => session::load(&state, c).await?,
        None => None,
    };
    let sid = sso.as_ref().map(|s| s.authn.sid.as_str());
    let ui = ui.prefer(req.ui_locales.as_deref(), None);
    let valid = logout::validate(&state, &req, sid)
        .await?
        .map_err(AppError::bad_request)?;
    if valid.confirm && !confirmed {
        let (csrf, set) = util::csrf_token(&state, &headers);
        let fields: Vec<(&str, &str)> = [
            ("id_token_hint", &req.id_token_hint),
            ("client_id", &req.client_id),
            ("post_logout_redirect_uri", &req.post_logout_redirect_uri),
            ("state", &req.state),
            ("ui_locales", &req.ui_locales),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect();
        let html = state.web.page(
            &ui,
            "logout_confirm.html",
            minijinja::context! { csrf, fields => minijinja::Value::from(minijinja::value::Serde(&fields)) },
        );
        let mut r = Html(html).into_response();
        // Confirming ends at the client's post-logout redirect URI.
        let target = valid.redirect.as_deref().and_then(FormTarget::of);
        FormTarget::allow(target, &mut r);
        if let Some(c) = set {
            r.headers_mut().append(header::SET_COOKIE, c);
        }
        return Ok(r);
    }
    if let Some(c) = cookie {
        session::end(&state, c).await?;
    }
    let mut r = match valid.redirect {
        Some(url) => Redirect::to(&url).into_response(),
        None => Html(
            state
                .web
                .page(&ui, "logged_out.html", minijinja::context! {}),
        )
        .into_response(),
    };
    if cookie.is_some() {
        r.headers_mut()
            .append(header::SET_COOKIE, util::clear_session_cookie(&state));
    }
    Ok(r)
}

pub async fn logout_get(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(req): PageQuery<LogoutRequest>,
) -> Result<Response, AppError> {
    handle(state, ui, headers, req, false).await
}

pub async fn logout_post(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let req: LogoutRequest = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::bad_request("err-logout-request"))?;
    handle(state, ui, headers, req, false).await
}

pub async fn logout_confirm(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let req = LogoutRequest {
        id_token_hint: form.get("id_token_hint").cloned(),
        client_id: form.get("client_id").cloned(),
        post_logout_redirect_uri: form.get("post_logout_redirect_uri").cloned(),
        state: form.get("state").cloned(),
        ui_locales: form.get("ui_locales").cloned(),
    };
    handle(state, ui, headers, req, true).await
}
