//! The sign-in pages: the identifier page, the password page and the lock page, and the
//! session a password starts. The credential itself is checked by `authn::check`.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use minijinja::context;

use super::{
    authorize::{LoginTx, TxPage, TxQuery, continue_tx, load_tx, save_tx, service_of},
    client::ClientMeta,
    csp::FormTarget,
    error::AppError,
    ratelimit,
    util::{self, PageQuery},
};
use crate::{
    authn::{
        check::{Checked, SignIn, check_sign_in},
        session,
    },
    crypto::Secret,
    protocol::types::Acr,
    state::AppState,
    web::render::Ui,
};

fn login_email_page(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    tx_id: &str,
    service: &minijinja::Value,
    email: &str,
    error: Option<&'static str>,
) -> String {
    // Until the cut-over the field also takes an old username, and the old services are
    // offered for a username that exists in several.
    let migration = &state.config.migration;
    let usernames = migration.usernames_open(state.now()) && !migration.services.is_empty();
    // After the cut-over a text field still, so an old username reaches the page that says
    // what to do instead of the browser's own "not an address".
    let address_type = if migration.cutover.is_empty() {
        "email"
    } else {
        "text"
    };
    let services: Vec<(String, String)> = migration
        .services
        .iter()
        .map(|(k, s)| {
            let name = if s.name.is_empty() { k } else { &s.name };
            (k.clone(), name.clone())
        })
        .collect();
    state.web.page(
        ui,
        "login_email.html",
        context! {
            csrf, tx => tx_id, service, email, usernames, services, address_type,
            errors => context! { email => error },
            passkeys => state.webauthn.is_some(),
            register_href => format!("/register?tx={}", crate::web::pages::urlencode(tx_id)),
        },
    )
}

async fn login_password_page(
    state: &AppState,
    ui: &Ui,
    tx: &LoginTx,
    csrf: &str,
    tx_id: &str,
    email: &str,
    alert: Option<&'static str>,
) -> Result<String, AppError> {
    let service = service_of(state, ui, tx).await?;
    Ok(state.web.page(
        ui,
        "login_password.html",
        context! { csrf, tx => tx_id, service, email, alert },
    ))
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

/// A sign-in page whose forms may end at `target` (see `csp`).
pub(super) fn page(
    target: Option<FormTarget>,
    csrf_cookie: Option<HeaderValue>,
    html: String,
) -> Response {
    let mut r = Html(html).into_response();
    FormTarget::allow(target, &mut r);
    if let Some(c) = csrf_cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
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
    let service = service_of(&state, &ui, &tx).await?;
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
        login_email_page(&state, &ui, &csrf, &tx_id, &service, &email, None),
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
    ratelimit::per_ip(&state, "sign-in-ip", &meta, limits.sign_in_per_ip).await?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let mut tx = load_tx(&state, tx_id).await?;
    let ui = tx.ui(ui);
    let (csrf, set) = util::csrf_token(&state, &headers);
    let email = form.get("email").map(|e| e.trim()).unwrap_or_default();
    let is_address = crate::accounts::normalize_email(email).is_some();
    let usernames = state.config.migration.usernames_open(state.now());
    if !is_address && !email.is_empty() && !usernames && !state.config.migration.cutover.is_empty()
    {
        // After the cut-over, whatever is typed that is not an address gets the same page,
        // whether or not it was ever a username.
        let html = state
            .web
            .page(&ui, "legacy_cutover.html", context! { tx => tx_id });
        return Ok(page(None, set, html));
    }
    let username = usernames && crate::legacy::is_username(email);
    if !(is_address || username) {
        let service = service_of(&state, &ui, &tx).await?;
        let html = login_email_page(
            &state,
            &ui,
            &csrf,
            tx_id,
            &service,
            email,
            Some("email-invalid"),
        );
        return Ok(page(None, set, html));
    }
    // The next page is the same whether or not the address (or username) has an account.
    tx.email = Some(email.to_owned());
    tx.legacy = None;
    tx.service = form
        .get("service")
        .filter(|s| state.config.migration.services.contains_key(s.as_str()))
        .cloned();
    save_tx(&state, tx_id, &tx).await?;
    let html = login_password_page(&state, &ui, &tx, &csrf, tx_id, email, None).await?;
    Ok(page(tx.form_target(), set, html))
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
        return Ok(super::respond::local_redirect(&format!(
            "/login?tx={tx_id}"
        )));
    };
    let password = Secret::new(form.get("password").cloned().unwrap_or_default());
    let service = tx.service.clone();
    let checked = check_sign_in(&state, &email, service.as_deref(), &password, &meta).await?;
    let checked = match checked {
        SignIn::Checked(c) => c,
        // Only an emailed code proves a mailbox; a password never does.
        SignIn::Mailbox(_) => return Err(AppError::internal()),
        SignIn::Legacy(proof) => {
            // No session until the address is confirmed and a new password chosen.
            let m = crate::legacy::signin::begin(&state, &proof, tx.ui(ui.clone()).lang).await?;
            tx.new_password = None;
            tx.legacy = Some(m);
            save_tx(&state, tx_id, &tx).await?;
            return Ok(super::legacy::step_page(
                &state, ui, &headers, tx_id, &tx, None,
            ));
        }
    };
    let user = match checked {
        Checked::Proven { user, .. } => *user,
        Checked::Refused(refusal) => {
            let (csrf, set) = util::csrf_token(&state, &headers);
            let html = login_password_page(
                &state,
                &tx.ui(ui),
                &tx,
                &csrf,
                tx_id,
                &email,
                Some(refusal.key()),
            )
            .await?;
            let mut r = page(tx.form_target(), set, html);
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            return Ok(r);
        }
        Checked::Locked(until) => return Ok(locked_page(&state, &tx.ui(ui), until)),
        Checked::Limited(l) => return Err(AppError::limited(l)),
    };
    // A password to replace first: no session until the new one is stored.
    if let Some(pending) = crate::authn::new_password::due(&user) {
        tx.new_password = Some(pending);
        save_tx(&state, tx_id, &tx).await?;
        return Ok(super::new_password::form(
            &state,
            ui,
            &headers,
            tx_id,
            &tx,
            &[],
        ));
    }
    // A change another account's password left pending here is not this sign-in's.
    tx.new_password = None;
    tx.legacy = None;
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
    let sid = match util::session_cookie(state, headers) {
        Some(old) => session::replace(state, old, &user.id).await?,
        None => None,
    };
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
        sid,
    )
    .await?;
    Ok((util::set_session_cookie(state, &cookie), sso))
}
