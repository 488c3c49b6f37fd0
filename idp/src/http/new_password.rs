//! The "choose a new password" page of a sign-in whose password must be replaced first
//! (a temporary password, or a change an administrator required). What is due and how it
//! is stored is `authn::new_password`'s; this page only asks and shows.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use minijinja::context;

use super::{
    authorize::{LoginTx, TxPage, TxQuery, continue_tx, load_tx, save_tx},
    client::ClientMeta,
    error::AppError,
    ratelimit,
    signin::{new_session, page},
    util::{self, PageQuery},
};
use crate::{
    authn::new_password::{self, ChangeError},
    crypto::Secret,
    state::AppState,
    web::render::Ui,
};

/// The page for transaction `tx_id`, with the errors of a refused attempt.
pub(super) fn form(
    state: &AppState,
    ui: Ui,
    headers: &HeaderMap,
    tx_id: &str,
    tx: &LoginTx,
    errors: &[(&str, &'static str)],
) -> Response {
    let (csrf, set) = util::csrf_token(state, headers);
    let errors: std::collections::BTreeMap<&str, &str> = errors.iter().copied().collect();
    let html = state.web.page(
        &tx.ui(ui),
        "login_new_password.html",
        context! {
            csrf, tx => tx_id, errors,
            email => tx.email.clone().unwrap_or_default(),
            min_length => state.config.password_policy.min_length,
        },
    );
    // The form's answer may be the redirect to the client.
    page(tx.form_target(), set, html)
}

/// `GET /login/new-password?tx=…`: only for a transaction whose password was proven.
pub async fn new_password_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, &tx_id).await?;
    if tx.new_password.is_none() {
        return Err(AppError::Redirect(format!("/login?tx={tx_id}")));
    }
    Ok(form(&state, ui, &headers, &tx_id, &tx, &[]))
}

/// `POST /login/new-password`: stores the new password, then the sign-in goes on as after
/// any password (a session, the second factor if one is due, consent, the client).
pub async fn new_password_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form_data = util::checked_form(&state, &headers, &body)?;
    // Each attempt costs two password hashes.
    let limits = &state.config.rate_limit;
    ratelimit::per_ip(&state, "sign-in-ip", &meta, limits.sign_in_per_ip).await?;
    let tx_id = form_data
        .get("tx")
        .cloned()
        .ok_or_else(AppError::expired_sign_in)?;
    let mut tx = load_tx(&state, &tx_id).await?;
    let Some(pending) = tx.new_password.clone() else {
        return Err(AppError::Redirect(format!("/login?tx={tx_id}")));
    };
    let password = Secret::new(form_data.get("password").cloned().unwrap_or_default());
    let again = form_data.get("password2").cloned().unwrap_or_default();
    let refused = |errors: &[(&str, &'static str)]| {
        let mut r = form(&state, ui.clone(), &headers, &tx_id, &tx, errors);
        *r.status_mut() = StatusCode::BAD_REQUEST;
        Ok(r)
    };
    if !crate::crypto::ct_eq(password.expose().as_bytes(), again.as_bytes()) {
        return refused(&[("password2", "passwords-differ")]);
    }
    let user = match new_password::choose(&state, &pending, &password, &meta).await {
        Ok(user) => user,
        Err(ChangeError::Policy(e)) => return refused(&[("password", e.key())]),
        Err(ChangeError::Same) => return refused(&[("password", "newpw-same")]),
        Err(ChangeError::Stale) => {
            // Spent elsewhere: this transaction must prove the password again.
            tx.new_password = None;
            save_tx(&state, &tx_id, &tx).await?;
            return Err(AppError::Redirect(format!("/login?tx={tx_id}")));
        }
        Err(ChangeError::Hash) => return Err(AppError::internal()),
        Err(ChangeError::Storage(e)) => return Err(e.into()),
    };
    tx.new_password = None;
    let (set_session, sso) = new_session(&state, &headers, &user, &meta).await?;
    tx.fresh = true;
    let mut r = continue_tx(&state, &tx_id, tx, &sso).await?;
    r.headers_mut().append(header::SET_COOKIE, set_session);
    Ok(r)
}
