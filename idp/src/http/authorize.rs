//! The authorization endpoint and the sign-in transaction around it: where a sign-in
//! starts, which page each next step is on (`page_of`, the one mapping), and how the
//! response reaches the client. The decisions are `protocol::authorize`'s.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::HeaderMap,
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{csp::FormTarget, error::AppError, util};
use crate::{
    authn::{session, transaction},
    model::ShownService,
    protocol::{
        authorize::{self, AuthRequest, AuthResponse, Invalid, Next, ResponseMode},
        types::Acr,
    },
    state::AppState,
    storage::Client,
    web::render::Ui,
};

pub(super) use crate::authn::transaction::LoginTx;

/// What the pages make of a sign-in transaction.
pub(super) trait TxPage {
    /// The authorization request, or the page that says the sign-in expired.
    fn request_or_expired(&self) -> Result<&AuthRequest, AppError>;
    /// Where this sign-in's forms may end: the client's redirect URI, if it serves one.
    fn form_target(&self) -> Option<FormTarget>;
    /// The page language with the relying party's `ui_locales`. The user's saved language
    /// is not used before the password: it would tell who has an account.
    fn ui(&self, ui: Ui) -> Ui;
}

impl TxPage for LoginTx {
    fn request_or_expired(&self) -> Result<&AuthRequest, AppError> {
        self.request.as_ref().ok_or_else(AppError::expired_sign_in)
    }

    fn form_target(&self) -> Option<FormTarget> {
        self.request
            .as_ref()
            .and_then(|r| FormTarget::of(&r.redirect_uri))
    }

    fn ui(&self, ui: Ui) -> Ui {
        ui.prefer(
            self.request.as_ref().and_then(|r| r.ui_locales.as_deref()),
            None,
        )
    }
}

pub(super) async fn save_tx(state: &AppState, id: &str, tx: &LoginTx) -> Result<(), AppError> {
    Ok(transaction::save(state, id, tx).await?)
}

/// The `tx` query parameter of the sign-in pages.
#[derive(Deserialize)]
pub struct TxQuery {
    pub tx: Option<String>,
}

/// The transaction `id`, or the page that says the sign-in expired.
pub(super) async fn load_tx(state: &AppState, id: &str) -> Result<LoginTx, AppError> {
    transaction::load(state, id)
        .await?
        .ok_or_else(AppError::expired_sign_in)
}

/// The transaction `tx_id` and this browser's session; without a session, the way back to
/// the sign-in page of that transaction.
pub(super) async fn tx_and_session(
    state: &AppState,
    headers: &HeaderMap,
    tx_id: &str,
) -> Result<(LoginTx, session::SsoSession), AppError> {
    let tx = load_tx(state, tx_id).await?;
    match current_session(state, headers).await? {
        Some(sso) => Ok((tx, sso)),
        None => Err(AppError::Redirect(format!("/login?tx={tx_id}"))),
    }
}

pub(super) async fn client_of(state: &AppState, req: &AuthRequest) -> Result<Client, AppError> {
    state
        .stores
        .clients
        .find_client(&req.client_id)
        .await?
        .ok_or_else(|| AppError::bad_request("err-client-gone"))
        .and_then(|c| {
            // Disabled while the person was signing in: nothing is issued to it.
            if c.disabled {
                Err(AppError::bad_request("err-client-disabled"))
            } else {
                Ok(c)
            }
        })
}

/// What a page says of `client`, in the page's language, for the templates' `service`:
/// `model::ClientFace::shown`, its name and logo, never its client id.
pub(super) fn shown(client: &Client, ui: &Ui) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(client.face.shown(ui.lang)))
}

/// [`shown`] for the service this sign-in is for. A sign-in that serves no client is to
/// the person's own account, and says so.
pub(super) async fn service_of(
    state: &AppState,
    ui: &Ui,
    tx: &LoginTx,
) -> Result<minijinja::Value, AppError> {
    Ok(match &tx.request {
        Some(req) => shown(&client_of(state, req).await?, ui),
        None => minijinja::Value::from(minijinja::value::Serde(ShownService {
            name: Some(state.web.t(ui.lang, "signin-your-account", &[])),
            logo: None,
        })),
    })
}

pub(super) async fn current_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<session::SsoSession>, AppError> {
    match util::session_cookie(state, headers) {
        Some(c) => Ok(session::load(state, c).await?),
        None => Ok(None),
    }
}

/// Sends the authorization response to the client.
pub(super) fn respond(resp: AuthResponse) -> Response {
    match resp.mode {
        ResponseMode::Query => Redirect::to(&resp.location()).into_response(),
        ResponseMode::FormPost => {
            let target = Some(FormTarget::Anywhere);
            let mut r = Html(crate::web::pages::form_post(
                &resp.redirect_uri,
                &resp.params,
            ))
            .into_response();
            FormTarget::allow(target, &mut r);
            r
        }
    }
}

/// Sends a visitor of Postern's own pages (the account console) through `page` (sign-in
/// or registration) and back to `return_to`, a path of ours.
pub(super) fn start_own_sign_in(return_to: &str, page: &'static str) -> Response {
    let tx = LoginTx::for_page(return_to, Acr::OneFactor, false, None);
    super::begin::begin(tx, page)
}

/// The next step of a sign-in after the user proved something (password, factor, consent):
/// a code for the client, consent, the missing factor, or back to our own page. `tx.fresh`
/// says whether this transaction saw a full sign-in (for `prompt=login`).
pub(super) async fn continue_tx(
    state: &AppState,
    tx_id: &str,
    tx: LoginTx,
    sso: &session::SsoSession,
) -> Result<Response, AppError> {
    let Some(req) = tx.request.clone() else {
        // Postern's own page: the session must reach its floor and what the page asked
        // for, like any client's sign-in; the page's guard checks again.
        if sso.authn.acr < tx.needs.max(sso.authn.floor) {
            save_tx(state, tx_id, &tx).await?;
            let level = tx.needs.max(sso.authn.floor);
            return Ok(to_step(&Next::StepUp(level), tx_id));
        }
        transaction::finish(state, tx_id).await?;
        return Ok(super::respond::local_redirect(
            tx.return_to.as_deref().unwrap_or("/account"),
        ));
    };
    let client = client_of(state, &req).await?;
    match authorize::decide(state, &req, &client, Some(&sso.authn), tx.fresh, false).await? {
        Next::Respond(resp) => {
            transaction::finish(state, tx_id).await?;
            Ok(respond(resp))
        }
        // A full sign-in was just asked for: this transaction cannot go back to it.
        Next::Login => Err(AppError::expired_sign_in()),
        next => {
            save_tx(state, tx_id, &tx).await?;
            Ok(to_step(&next, tx_id))
        }
    }
}

/// The page of each step of a sign-in: the one place that maps a step to a route.
pub(super) fn page_of(next: &Next) -> &'static str {
    match next {
        Next::Login => "/login",
        Next::Register => "/register",
        Next::StepUp(_) => "/login/factor",
        Next::NeedVerified => "/login/verify",
        Next::SelectOrg => "/login/org",
        Next::Consent => "/consent",
        // Not a page: the response goes to the client (see `respond`).
        Next::Respond(_) => "/login",
    }
}

/// Sends the browser to the page of `next` for transaction `tx_id`.
fn to_step(next: &Next, tx_id: &str) -> Response {
    super::respond::local_redirect(&format!("{}?tx={tx_id}", page_of(next)))
}

/// Starts a transaction for `req` at the page of `next`, or answers the client.
pub(super) fn start_at(req: AuthRequest, next: Next) -> Response {
    match next {
        Next::Respond(resp) => respond(resp),
        next => super::begin::begin(LoginTx::for_request(req), page_of(&next)),
    }
}

async fn authorize(
    state: AppState,
    headers: HeaderMap,
    params: HashMap<String, Vec<String>>,
) -> Result<Response, AppError> {
    let (req, client) = match authorize::validate(&state, &params).await {
        Ok(v) => v,
        Err(Invalid::Page(message)) => return Err(AppError::bad_request(message)),
        Err(Invalid::Redirect(resp)) => return Ok(respond(resp)),
        Err(Invalid::Unavailable) => {
            return Err(crate::storage::StorageError::Unavailable("authorize".into()).into());
        }
    };
    let sso = current_session(&state, &headers).await?;
    let authn = sso.as_ref().map(|s| &s.authn);
    let next = authorize::decide(&state, &req, &client, authn, false, false).await?;
    Ok(start_at(req, next))
}

pub async fn authorize_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    let params = util::parse_multi(q.as_deref().unwrap_or(""))
        .ok_or_else(|| AppError::bad_request("err-params"))?;
    authorize(state, headers, params).await
}

pub async fn authorize_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let params = std::str::from_utf8(&body)
        .ok()
        .and_then(util::parse_multi)
        .ok_or_else(|| AppError::bad_request("err-params"))?;
    authorize(state, headers, params).await
}
