//! The pages of the first sign-in of an imported account: add an address (an account that
//! had none), confirm it with the emailed code, choose the new password. What each step
//! does is `legacy::signin`'s; these handlers only ask and show.

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
    authn::check::{Checked, Refusal, SignIn, check_email_code},
    crypto::Secret,
    legacy::signin::{self, Migrating, MigrationError, Step},
    state::AppState,
    web::render::Ui,
};

/// The page of the step `tx` is at, with an error on its field.
pub(super) fn step_page(
    state: &AppState,
    ui: Ui,
    headers: &HeaderMap,
    tx_id: &str,
    tx: &LoginTx,
    error: Option<(&str, &'static str)>,
) -> Response {
    let (csrf, set) = util::csrf_token(state, headers);
    let ui = tx.ui(ui);
    let Some(m) = &tx.legacy else {
        return super::respond::local_redirect(&format!("/login?tx={tx_id}"));
    };
    let errors: std::collections::BTreeMap<&str, &str> = error.into_iter().collect();
    let email = m.email.clone().unwrap_or_default();
    let service = service_name(state, m);
    let (template, target) = match m.step() {
        Step::AddEmail => ("legacy_email.html", None),
        Step::Code => ("legacy_code.html", None),
        // The last form's answer may be the redirect to the client.
        Step::NewPassword => ("login_new_password.html", tx.form_target()),
    };
    let html = state.web.page(
        &ui,
        template,
        context! {
            csrf, tx => tx_id, errors, email, service,
            pending => m.user_id.is_none(),
            legacy => true,
            min_length => state.config.password_policy.min_length,
        },
    );
    let mut r = page(target, set, html);
    if error.is_some() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    r
}

/// What the sign-in page calls the old service.
fn service_name(state: &AppState, m: &Migrating) -> String {
    state
        .config
        .migration
        .services
        .get(&m.key.service)
        .map(|s| s.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| m.key.service.clone())
}

/// `GET /login/legacy?tx=…`: the current step again (a reload, the back button).
pub async fn legacy_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, &tx_id).await?;
    Ok(step_page(&state, ui, &headers, &tx_id, &tx, None))
}

/// The transaction of a posted step, with its first sign-in.
async fn posted(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<
    (
        String,
        LoginTx,
        Migrating,
        std::collections::HashMap<String, String>,
    ),
    AppError,
> {
    let form = util::checked_form(state, headers, body)?;
    let tx_id = form
        .get("tx")
        .cloned()
        .ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(state, &tx_id).await?;
    let Some(m) = tx.legacy.clone() else {
        return Err(AppError::Redirect(format!("/login?tx={tx_id}")));
    };
    Ok((tx_id, tx, m, form))
}

/// `POST /login/legacy/email`: the address of an account that had none; a code goes to it.
pub async fn legacy_email(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (tx_id, mut tx, mut m, form) = posted(&state, &headers, &body).await?;
    let limits = &state.config.rate_limit;
    ratelimit::per_ip(&state, "code-ip", &meta, limits.code_per_ip).await?;
    let typed = form.get("email").map(String::as_str).unwrap_or_default();
    let lang = tx.ui(ui.clone()).lang;
    if let Err(key) = signin::add_email(&state, &mut m, typed, lang).await {
        return Ok(step_page(
            &state,
            ui,
            &headers,
            &tx_id,
            &tx,
            Some(("email", key)),
        ));
    }
    tx.legacy = Some(m);
    save_tx(&state, &tx_id, &tx).await?;
    Ok(step_page(&state, ui, &headers, &tx_id, &tx, None))
}

/// `POST /login/legacy/code`: the emailed code; `resend` asks for another one, `change`
/// (an account that had no address) goes back to typing the address.
pub async fn legacy_code(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (tx_id, mut tx, mut m, form) = posted(&state, &headers, &body).await?;
    let limits = &state.config.rate_limit;
    ratelimit::per_ip(&state, "code-ip", &meta, limits.code_per_ip).await?;
    if form.contains_key("resend") && m.step() == Step::Code {
        signin::send_code(&state, &m, tx.ui(ui.clone()).lang).await?;
        return Ok(step_page(&state, ui, &headers, &tx_id, &tx, None));
    }
    if form.contains_key("change") && m.user_id.is_none() {
        m.email = None;
        tx.legacy = Some(m);
        save_tx(&state, &tx_id, &tx).await?;
        return Ok(step_page(&state, ui, &headers, &tx_id, &tx, None));
    }
    let code = form.get("code").map(String::as_str).unwrap_or_default();
    let Some(subject) = m.code_subject() else {
        return Ok(step_page(&state, ui, &headers, &tx_id, &tx, None));
    };
    let proof = match check_email_code(&state, &m.lock_key(), &subject, code, &meta).await? {
        SignIn::Mailbox(proof) => proof,
        SignIn::Checked(Checked::Refused(r)) => {
            let key = match r {
                Refusal::SmsWrong => "otp-wrong-email",
                other => other.key(),
            };
            let e = Some(("code", key));
            return Ok(step_page(&state, ui, &headers, &tx_id, &tx, e));
        }
        SignIn::Checked(Checked::Locked(until)) => {
            return Ok(super::signin::locked_page(&state, &tx.ui(ui), until));
        }
        SignIn::Checked(Checked::Limited(l)) => return Err(AppError::limited(l)),
        SignIn::Checked(Checked::Proven { .. }) | SignIn::Legacy(_) => {
            return Err(AppError::internal());
        }
    };
    if let Err(e) = signin::confirm(&state, &mut m, proof, &meta).await {
        return stale(&state, &tx_id, tx, e).await;
    }
    tx.legacy = Some(m);
    save_tx(&state, &tx_id, &tx).await?;
    Ok(step_page(&state, ui, &headers, &tx_id, &tx, None))
}

/// This first sign-in cannot go on (finished in another browser, the account gone): the
/// person signs in again, now with the new password if one was chosen.
async fn stale(
    state: &AppState,
    tx_id: &str,
    mut tx: LoginTx,
    e: MigrationError,
) -> Result<Response, AppError> {
    match e {
        MigrationError::Storage(e) => Err(e.into()),
        MigrationError::Hash => Err(AppError::internal()),
        _ => {
            tx.legacy = None;
            save_tx(state, tx_id, &tx).await?;
            Err(AppError::Redirect(format!("/login?tx={tx_id}")))
        }
    }
}

/// `POST /login/legacy/password`: the new password; then the sign-in goes on as after any
/// password (a session, a second factor if due, consent, the client).
pub async fn legacy_password(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (tx_id, mut tx, m, form) = posted(&state, &headers, &body).await?;
    // Each attempt costs a legacy verification and an argon2 hash.
    let limits = &state.config.rate_limit;
    ratelimit::per_ip(&state, "sign-in-ip", &meta, limits.sign_in_per_ip).await?;
    if m.step() != Step::NewPassword {
        return Ok(step_page(&state, ui, &headers, &tx_id, &tx, None));
    }
    let password = Secret::new(form.get("password").cloned().unwrap_or_default());
    let again = form.get("password2").cloned().unwrap_or_default();
    if !crate::crypto::ct_eq(password.expose().as_bytes(), again.as_bytes()) {
        let e = Some(("password2", "passwords-differ"));
        return Ok(step_page(&state, ui, &headers, &tx_id, &tx, e));
    }
    let user = match signin::finish(&state, &m, &password, &meta).await {
        Ok(user) => user,
        Err(MigrationError::Policy(e)) => {
            let e = Some(("password", e.key()));
            return Ok(step_page(&state, ui, &headers, &tx_id, &tx, e));
        }
        Err(MigrationError::Same) => {
            let e = Some(("password", "newpw-same"));
            return Ok(step_page(&state, ui, &headers, &tx_id, &tx, e));
        }
        Err(e) => return stale(&state, &tx_id, tx, e).await,
    };
    tx.legacy = None;
    tx.email = Some(user.email.clone());
    let (set_session, sso) = new_session(&state, &headers, &user, &meta).await?;
    tx.fresh = true;
    let mut r = continue_tx(&state, &tx_id, tx, &sso).await?;
    r.headers_mut().append(header::SET_COOKIE, set_session);
    Ok(r)
}
