//! The verification page of the device authorization grant (RFC 8628 §3.3): the person
//! types the code their device shows, signs in through the one sign-in (`guard`, at the
//! level the device's client requires), and confirms or denies. The decisions are
//! `protocol::device`'s; this file only adapts them.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use minijinja::context;
use serde::Deserialize;

use super::{
    authorize::shown,
    client::ClientMeta,
    error::AppError,
    guard::{self, SignedIn},
    ratelimit,
    respond::local_redirect,
    signin::page,
    util::{self, CsrfForm, PageQuery},
};
use crate::{
    protocol::{
        claims,
        device::{self, Answer, Pending},
    },
    state::AppState,
    storage::Client,
    web::render::Ui,
};

/// Every unknown, expired or decided code gets this one message: nothing says which.
const CODE_INVALID: &str = "device-code-invalid";
const GONE: &str = "err-device-code";

#[derive(Deserialize)]
pub struct CodeQuery {
    user_code: Option<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    user_code: String,
}

#[derive(Deserialize)]
pub struct VisitQuery {
    visit: Option<String>,
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    visit: String,
    #[serde(default)]
    decision: String,
}

/// The code form, prefilled from `verification_uri_complete`; the person still presses
/// Continue, and sees what the device asks before anything is decided.
fn code_form(
    state: &AppState,
    ui: &Ui,
    headers: &HeaderMap,
    user_code: &str,
    error: Option<&str>,
) -> Response {
    let (csrf, set) = util::csrf_token(state, headers);
    let html = state
        .web
        .page(ui, "device.html", context! { csrf, user_code, error });
    page(None, set, html)
}

pub async fn code_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<CodeQuery>,
) -> Response {
    let code = q.user_code.unwrap_or_default();
    // Only a code's length is shown back; anything longer was not one.
    let code: String = code.chars().take(20).collect();
    code_form(&state, &ui, &headers, &code, None)
}

/// A typed code: counted per address and for everyone (the code space is large, but only
/// the limits make guessing a live one slower than codes live), then looked up.
pub async fn code_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    let limits = &state.config.rate_limit;
    ratelimit::per_ip(&state, "usercode-ip", &meta, limits.device_code_per_ip).await?;
    let global = limits.device_code_global;
    ratelimit::hit(&state, "usercode-global", "", global, false).await?;
    let Some(p) = device::find(&state, &f.user_code).await? else {
        let code: String = f.user_code.chars().take(20).collect();
        let mut r = code_form(&state, &ui, &headers, &code, Some(CODE_INVALID));
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(r);
    };
    let visit = device::open_visit(&state, &p).await?;
    Ok(local_redirect(&confirm_path(&visit)))
}

fn confirm_path(visit: &str) -> String {
    let q = serde_urlencoded::to_string([("visit", visit)]).unwrap_or_default();
    format!("/device/confirm?{q}")
}

/// The waiting device of a visit and its client, or the page that says the code is gone.
async fn waiting(state: &AppState, visit: &str) -> Result<(Pending, Client), AppError> {
    let gone = || AppError::bad_request(GONE);
    let p = device::visit(state, visit).await?.ok_or_else(gone)?;
    let client = state
        .stores
        .clients
        .find_client(&p.record.client_id)
        .await?
        .filter(|c| !c.disabled)
        .ok_or_else(gone)?;
    Ok((p, client))
}

/// The person, signed in at the level the device's client requires.
async fn person(
    state: &AppState,
    headers: &HeaderMap,
    visit: &str,
    p: &Pending,
    client: &Client,
) -> Result<SignedIn, AppError> {
    let needs = p.required_acr(state, client);
    guard::signed_in_at(state, headers, confirm_path(visit), needs).await
}

/// The page of a service that admits verified identities only, for an unverified person.
fn not_verified(state: &AppState, ui: &Ui, client: &Client) -> Response {
    let html = state.web.page(
        ui,
        "device_done.html",
        context! { outcome => "unverified", service => shown(client, ui) },
    );
    (StatusCode::FORBIDDEN, page(None, None, html)).into_response()
}

pub async fn confirm_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<VisitQuery>,
) -> Result<Response, AppError> {
    let visit = q.visit.ok_or_else(|| AppError::bad_request(GONE))?;
    let (p, client) = waiting(&state, &visit).await?;
    let s = person(&state, &headers, &visit, &p, &client).await?;
    let ui = ui.prefer(None, s.user.locale.as_deref());
    if !client.admits(&s.user) {
        return Ok(not_verified(&state, &ui, &client));
    }
    let shared = claims::shared(&p.record.scope, &Default::default());
    let items: Vec<&str> = shared.items.iter().map(|i| i.message_key()).collect();
    let (csrf, set) = util::csrf_token(&state, &headers);
    let html = state.web.page(
        &ui,
        "device_confirm.html",
        context! {
            csrf, visit, service => shown(&client, &ui), user_code => p.user_code(),
            email => s.user.email, items, other_scopes => shared.other_scopes,
        },
    );
    Ok(page(None, set, html))
}

pub async fn confirm_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<AnswerForm>,
) -> Result<Response, AppError> {
    let (p, client) = waiting(&state, &f.visit).await?;
    let s = person(&state, &headers, &f.visit, &p, &client).await?;
    let ui = ui.prefer(None, s.user.locale.as_deref());
    let answer = if f.decision == "confirm" {
        if !client.admits(&s.user) {
            return Ok(not_verified(&state, &ui, &client));
        }
        Answer::Confirm(s.sso.authn.clone())
    } else {
        Answer::Deny
    };
    let outcome = match answer {
        Answer::Confirm(_) => "confirmed",
        Answer::Deny => "denied",
    };
    if !device::decide(&state, &p, answer, &meta).await? {
        // Answered a moment ago, in this browser or another.
        return Err(AppError::bad_request(GONE));
    }
    let html = state.web.page(
        &ui,
        "device_done.html",
        context! { outcome, service => shown(&client, &ui) },
    );
    Ok(page(None, None, html))
}
