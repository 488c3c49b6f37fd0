//! The browser side of sign-in: the authorization endpoint, the identifier-first login
//! pages and the consent page. The decisions are `protocol::authorize`'s; this file keeps
//! the sign-in transaction and speaks HTTP.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use super::{
    client::ClientMeta,
    csp::FormTarget,
    error::AppError,
    ratelimit,
    util::{self, PageQuery},
};
use crate::{
    authn::{
        check::{Attempt, Checked, check},
        session,
    },
    crypto::{Secret, new_token, token_hash},
    protocol::{
        authorize::{self, AuthRequest, AuthResponse, Invalid, Next, ResponseMode},
        types::Acr,
    },
    state::AppState,
    storage::{Client, ephemeral},
    web::render::Ui,
};
use minijinja::context;

/// A sign-in in progress: the request being served (or, for Postern's own account pages,
/// where to return) and what the user has done so far.
#[derive(Serialize, Deserialize)]
pub(super) struct LoginTx {
    pub request: Option<AuthRequest>,
    /// A path of Postern's own to return to when there is no authorization request.
    pub return_to: Option<String>,
    pub email: Option<String>,
    /// The user signed in during this transaction (satisfies `prompt=login`).
    pub fresh: bool,
    /// The second factor must be recent (`accounts.step_up_max_age`), not only present:
    /// the console's email and phone changes.
    #[serde(default)]
    pub recent: bool,
    /// For Postern's own pages: the level to reach (`guard`); a client's request says its
    /// own through `protocol::authorize::required_acr`.
    #[serde(default)]
    pub needs: Acr,
}

impl LoginTx {
    fn request(&self) -> Result<&AuthRequest, AppError> {
        self.request.as_ref().ok_or_else(AppError::expired_sign_in)
    }

    /// Where this sign-in's forms may end: the client's redirect URI, if it serves one.
    pub(super) fn form_target(&self) -> Option<FormTarget> {
        self.request
            .as_ref()
            .and_then(|r| FormTarget::of(&r.redirect_uri))
    }

    /// The page language with the relying party's `ui_locales`. The user's saved language
    /// is not used before the password: it would tell who has an account.
    pub(super) fn ui(&self, ui: Ui) -> Ui {
        ui.prefer(
            self.request.as_ref().and_then(|r| r.ui_locales.as_deref()),
            None,
        )
    }
}

async fn client_name(state: &AppState, ui: &Ui, tx: &LoginTx) -> Result<String, AppError> {
    Ok(match &tx.request {
        Some(req) => client_of(state, req).await?.name,
        None => state.web.t(ui.lang, "signin-your-account", &[]),
    })
}

fn login_email_page(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    tx_id: &str,
    client: &str,
    email: &str,
    error: Option<&'static str>,
) -> String {
    state.web.page(
        ui,
        "login_email.html",
        context! {
            csrf, tx => tx_id, client, email,
            errors => context! { email => error },
            passkeys => state.webauthn.is_some(),
            register_href => format!("/register?tx={}", crate::web::pages::urlencode(tx_id)),
        },
    )
}

fn login_password_page(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    tx_id: &str,
    email: &str,
    alert: Option<&'static str>,
) -> String {
    state.web.page(
        ui,
        "login_password.html",
        context! { csrf, tx => tx_id, email, alert },
    )
}

/// The lock page. The words depend only on the lock, never on whether the account exists.
pub(super) fn locked_page(state: &AppState, ui: &Ui, until: Option<i64>) -> Response {
    let until = until.and_then(|t| {
        chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%H:%M UTC").to_string())
    });
    let mut r = Html(state.web.page(ui, "locked.html", context! { until })).into_response();
    *r.status_mut() = StatusCode::FORBIDDEN;
    r
}

fn tx_key(tx: &str) -> String {
    format!("tx:{}", token_hash(tx))
}

pub(super) async fn save_tx(state: &AppState, id: &str, tx: &LoginTx) -> Result<(), AppError> {
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &tx_key(id),
        tx,
        state.config.session.login_ttl,
    )
    .await?;
    Ok(())
}

pub(super) async fn load_tx(state: &AppState, id: &str) -> Result<LoginTx, AppError> {
    ephemeral::get_json(state.ephemeral.as_ref(), &tx_key(id))
        .await?
        .ok_or_else(AppError::expired_sign_in)
}

pub(super) async fn client_of(state: &AppState, req: &AuthRequest) -> Result<Client, AppError> {
    state
        .stores
        .clients
        .find_client(&req.client_id)
        .await?
        .ok_or_else(|| AppError::bad_request("err-client-gone"))
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

async fn start_tx(state: &AppState, req: AuthRequest, to: &str) -> Result<Response, AppError> {
    let id = new_token();
    save_tx(
        state,
        &id,
        &LoginTx {
            request: Some(req),
            return_to: None,
            email: None,
            fresh: false,
            recent: false,
            needs: Acr::OneFactor,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("{to}?tx={id}")).into_response())
}

/// Sends a visitor of Postern's own pages (the account console) through sign-in and back
/// to `return_to`, a path of ours.
pub(super) async fn start_own_sign_in(
    state: &AppState,
    return_to: &str,
) -> Result<Response, AppError> {
    let id = own_tx(state, return_to).await?;
    Ok(Redirect::to(&format!("/login?tx={id}")).into_response())
}

/// A sign-in transaction of Postern's own that ends at `return_to`; returns its id.
pub(super) async fn own_tx(state: &AppState, return_to: &str) -> Result<String, AppError> {
    let id = new_token();
    save_tx(
        state,
        &id,
        &LoginTx {
            request: None,
            return_to: Some(return_to.to_owned()),
            email: None,
            fresh: false,
            recent: false,
            needs: Acr::OneFactor,
        },
    )
    .await?;
    Ok(id)
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
            return Ok(Redirect::to(&format!("/login/factor?tx={tx_id}")).into_response());
        }
        state.ephemeral.delete(&tx_key(tx_id)).await?;
        return Ok(super::respond::local_redirect(
            tx.return_to.as_deref().unwrap_or("/account"),
        ));
    };
    let client = client_of(state, &req).await?;
    Ok(
        match authorize::decide(state, &req, &client, Some(&sso.authn), tx.fresh, false).await? {
            Next::Respond(resp) => {
                state.ephemeral.delete(&tx_key(tx_id)).await?;
                respond(resp)
            }
            Next::Consent => {
                save_tx(state, tx_id, &tx).await?;
                Redirect::to(&format!("/consent?tx={tx_id}")).into_response()
            }
            Next::StepUp(_) => {
                save_tx(state, tx_id, &tx).await?;
                Redirect::to(&format!("/login/factor?tx={tx_id}")).into_response()
            }
            Next::SelectOrg => {
                save_tx(state, tx_id, &tx).await?;
                Redirect::to(&format!("/login/org?tx={tx_id}")).into_response()
            }
            Next::Register => {
                save_tx(state, tx_id, &tx).await?;
                Redirect::to(&format!("/register?tx={tx_id}")).into_response()
            }
            Next::Login => return Err(AppError::expired_sign_in()),
        },
    )
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
    match authorize::decide(
        &state,
        &req,
        &client,
        sso.as_ref().map(|s| &s.authn),
        false,
        false,
    )
    .await?
    {
        Next::Respond(resp) => Ok(respond(resp)),
        Next::Login => start_tx(&state, req, "/login").await,
        Next::Register => start_tx(&state, req, "/register").await,
        Next::StepUp(_) => start_tx(&state, req, "/login/factor").await,
        Next::SelectOrg => start_tx(&state, req, "/login/org").await,
        Next::Consent => start_tx(&state, req, "/consent").await,
    }
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

/// A sign-in page whose forms may end at `target` (see `csp`).
fn page(target: Option<FormTarget>, csrf_cookie: Option<HeaderValue>, html: String) -> Response {
    let mut r = Html(html).into_response();
    FormTarget::allow(target, &mut r);
    if let Some(c) = csrf_cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

#[derive(Deserialize)]
pub struct TxQuery {
    pub tx: Option<String>,
}

pub async fn login_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, &tx_id).await?;
    let ui = tx.ui(ui);
    let client = client_name(&state, &ui, &tx).await?;
    let (csrf, set) = util::csrf_token(&state, &headers);
    let email = tx
        .email
        .clone()
        .or(tx.request.as_ref().and_then(|r| r.login_hint.clone()))
        .unwrap_or_default();
    // The identifier form only ever leads to the password page.
    Ok(page(
        None,
        set,
        login_email_page(&state, &ui, &csrf, &tx_id, &client, &email, None),
    ))
}

pub async fn login_identify(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let limits = &state.config.rate_limit;
    ratelimit::hit(
        &state,
        "sign-in-ip",
        meta.ip.as_deref().unwrap_or(""),
        limits.sign_in_per_ip,
        false,
    )
    .await?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let mut tx = load_tx(&state, tx_id).await?;
    let ui = tx.ui(ui);
    let (csrf, set) = util::csrf_token(&state, &headers);
    let email = form.get("email").map(|e| e.trim()).unwrap_or_default();
    if crate::accounts::normalize_email(email).is_none() {
        let client = client_name(&state, &ui, &tx).await?;
        let html = login_email_page(
            &state,
            &ui,
            &csrf,
            tx_id,
            &client,
            email,
            Some("email-invalid"),
        );
        return Ok(page(None, set, html));
    }
    // The next page is the same whether or not the address has an account.
    tx.email = Some(email.to_owned());
    save_tx(&state, tx_id, &tx).await?;
    Ok(page(
        tx.form_target(),
        set,
        login_password_page(&state, &ui, &csrf, tx_id, email, None),
    ))
}

pub async fn login_password(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let mut tx = load_tx(&state, tx_id).await?;
    let Some(email) = tx.email.clone() else {
        return Ok(Redirect::to(&format!("/login?tx={tx_id}")).into_response());
    };
    let password = Secret::new(form.get("password").cloned().unwrap_or_default());
    let attempt = Attempt::Password {
        email: &email,
        password: &password,
    };
    let user = match check(&state, attempt, &meta).await? {
        Checked::Proven { user, .. } => *user,
        Checked::Refused(refusal) => {
            let (csrf, set) = util::csrf_token(&state, &headers);
            let html = login_password_page(
                &state,
                &tx.ui(ui),
                &csrf,
                tx_id,
                &email,
                Some(refusal.key()),
            );
            let mut r = page(tx.form_target(), set, html);
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            return Ok(r);
        }
        Checked::Locked(until) => return Ok(locked_page(&state, &tx.ui(ui), until)),
        Checked::Limited(l) => return Err(AppError::limited(l)),
    };
    let (set_session, sso) = new_session(&state, &headers, &user, &meta).await?;
    tx.fresh = true;
    let mut r = continue_tx(&state, tx_id, tx, &sso).await?;
    r.headers_mut().append(header::SET_COOKIE, set_session);
    Ok(r)
}

/// A one-factor session after a password (sign-in, or a registration just confirmed); it
/// replaces whatever session this browser had. Returns the cookie to set and the session.
pub(super) async fn new_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &crate::storage::User,
    meta: &crate::audit::RequestMeta,
) -> Result<(HeaderValue, session::SsoSession), AppError> {
    if let Some(old) = util::session_cookie(state, headers) {
        session::end(state, old).await?;
    }
    let floor = crate::authn::step_up::Options::load(state, user)
        .await?
        .floor(state);
    let (cookie, sso) = session::create(
        state,
        &user.id,
        vec![crate::model::Amr::Pwd],
        Acr::OneFactor,
        floor,
        meta,
    )
    .await?;
    Ok((util::set_session_cookie(state, &cookie), sso))
}

pub async fn consent_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, &tx_id).await?;
    let Some(sso) = current_session(&state, &headers).await? else {
        return Ok(Redirect::to(&format!("/login?tx={tx_id}")).into_response());
    };
    let req = tx.request()?;
    let client = client_of(&state, req).await?;
    let (csrf, set) = util::csrf_token(&state, &headers);
    let scopes: Vec<&str> = req.scope.iter().collect();
    let saved = state.stores.users.find_user(&sso.authn.sub).await?;
    let ui = ui.prefer(
        req.ui_locales.as_deref(),
        saved.as_ref().and_then(|u| u.locale.as_deref()),
    );
    let html = state.web.page(
        &ui,
        "consent.html",
        context! {
            csrf, tx => tx_id, client => client.name,
            scopes => minijinja::Value::from(minijinja::value::Serde(&scopes)),
            known_scopes => ["openid", "profile", "email", "phone", "address", "offline_access", "org"],
        },
    );
    Ok(page(tx.form_target(), set, html))
}

pub async fn consent_submit(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, tx_id).await?;
    let Some(sso) = current_session(&state, &headers).await? else {
        return Ok(Redirect::to(&format!("/login?tx={tx_id}")).into_response());
    };
    state.ephemeral.delete(&tx_key(tx_id)).await?;
    let req = tx.request()?;
    if form.get("decision").map(String::as_str) != Some("allow") {
        return Ok(respond(authorize::error_response(
            &state,
            &req.redirect_uri,
            req.response_mode,
            req.state.as_deref(),
            crate::protocol::error::AuthorizeError::new(
                "access_denied",
                "the user denied the request",
            ),
        )));
    }
    authorize::record_consent(&state, req, &sso.authn.sub).await?;
    crate::audit::record(
        &state,
        crate::audit::Entry {
            kind: crate::audit::CONSENT_GIVEN,
            outcome: crate::audit::Outcome::Success,
            user_id: Some(&sso.authn.sub),
            client_id: Some(&req.client_id),
            meta: Some(&meta),
            detail: Some(req.scope.to_string()),
            ..Default::default()
        },
    )
    .await;
    let client = client_of(&state, req).await?;
    match authorize::decide(&state, req, &client, Some(&sso.authn), tx.fresh, true).await? {
        Next::Respond(resp) => Ok(respond(resp)),
        Next::Login => start_tx(&state, req.clone(), "/login").await,
        Next::Register => start_tx(&state, req.clone(), "/register").await,
        Next::StepUp(_) => start_tx(&state, req.clone(), "/login/factor").await,
        Next::SelectOrg => start_tx(&state, req.clone(), "/login/org").await,
        Next::Consent => Err(AppError::expired_sign_in()),
    }
}
