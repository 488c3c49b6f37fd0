//! The second step of sign-in: the missing factor (SMS code, TOTP, passkey, recovery code),
//! TOTP enrolment for users who have none, and passwordless sign-in with a passkey. Every
//! wrong code counts against the account's lockout like a wrong password.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::{
    authorize::{LoginTx, TxPage, client_of, continue_tx, current_session, load_tx, service_of},
    client::ClientMeta,
    error::AppError,
    ratelimit,
    util::{self, PageQuery},
};
use crate::{
    authn::{
        check::{Attempt, Checked, check},
        session::{self, SsoSession},
        sms_otp::{self, Sent},
        step_up::{self, Factor, Options},
        totp,
    },
    model::Acr,
    protocol::authorize::required_acr,
    state::AppState,
    storage::User,
    web::render::Ui,
};
use minijinja::context;

/// A sign-in waiting for its second factor.
struct Step {
    tx_id: String,
    tx: LoginTx,
    cookie: String,
    sso: SsoSession,
    user: User,
    required: Acr,
    ui: Ui,
}

async fn step(
    state: &AppState,
    ui: Ui,
    headers: &HeaderMap,
    tx_id: &str,
) -> Result<Step, AppError> {
    let tx = load_tx(state, tx_id).await?;
    let (Some(cookie), Some(sso)) = (
        util::session_cookie(state, headers),
        current_session(state, headers).await?,
    ) else {
        return Err(AppError::Redirect(format!("/login?tx={tx_id}")));
    };
    let Some(user) = state.stores.users.find_user(&sso.authn.sub).await? else {
        return Err(AppError::expired_sign_in());
    };
    // What this step must reach: the client's request or the page's need, never below the
    // session's floor.
    let required = match &tx.request {
        Some(req) => required_acr(state, req, &client_of(state, req).await?),
        None => tx.needs,
    }
    .max(sso.authn.floor);
    let ui = ui.prefer(
        tx.request.as_ref().and_then(|r| r.ui_locales.as_deref()),
        user.locale.as_deref(),
    );
    Ok(Step {
        ui,
        tx_id: tx_id.to_owned(),
        tx,
        cookie: cookie.to_owned(),
        sso,
        user,
        required,
    })
}

/// "+41 •• ••• •• 67": enough to recognise the number, not to learn it.
fn mask_phone(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("•••• {tail}")
}

fn sms_text<'a>(state: &'a AppState, s: &'a Step) -> impl FnOnce(&str) -> String + 'a {
    move |code| {
        state.web.t(
            s.ui.lang,
            "sms-sign-in-code",
            &[("code", code.to_owned().into())],
        )
    }
}

/// Renders the factor page for `s`, sending an SMS code first when that is the only way.
async fn render(
    state: &AppState,
    headers: &HeaderMap,
    s: &Step,
    mut sms_sent: bool,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let opts = Options::load(state, &s.user).await?;
    let passkey_only = s.required == Acr::PhishingResistant;
    let only_sms = !opts.totp && opts.passkeys == 0 && opts.recovery_codes == 0;
    let mut error = error;
    if !passkey_only
        && only_sms
        && !sms_sent
        && let Some(phone) = &opts.phone
    {
        match sms_otp::send(
            state,
            sms_otp::SIGN_IN,
            &s.user.id,
            phone,
            sms_text(state, s),
        )
        .await?
        {
            // A pending code (sent less than a minute ago) is still the one to enter.
            Sent::Sent | Sent::Throttled => sms_sent = true,
            Sent::OverBudget => error = Some("factor-err-sms-budget"),
            Sent::Failed => error = Some("factor-err-sms-failed"),
        }
    }
    let enrolment = if !passkey_only && !opts.can_reach(s.required) {
        totp::start_enrolment(state, &s.user.id, &s.sso.authn.sid, &s.user.email).await?
    } else {
        None
    };
    let qr = enrolment.as_ref().map(|e| totp::qr_svg(&e.otpauth_url));
    let masked = opts.phone.as_deref().map(mask_phone);
    let service = service_of(state, &s.ui, &s.tx).await?;
    let (csrf, set) = util::csrf_token(state, headers);
    let html = state.web.page(
        &s.ui,
        "factor.html",
        context! {
            csrf, tx => &s.tx_id, alert => error, service,
            totp => opts.totp,
            passkeys => opts.passkeys > 0 && state.webauthn.is_some(),
            recovery_codes => opts.recovery_codes > 0,
            phone => masked,
            sms_sent, passkey_only,
            enrol_secret => enrolment.as_ref().map(|e| e.secret.clone()),
            enrol_qr => qr,
        },
    );
    let mut r = Html(html).into_response();
    *r.status_mut() = status;
    super::csp::FormTarget::allow(s.tx.form_target(), &mut r);
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

pub async fn factor_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<super::authorize::TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let s = step(&state, ui, &headers, &tx_id).await?;
    // A page's proof must be recent (`accounts.step_up_max_age`); a sign-in's may be older.
    let max_age = state.config.accounts.step_up_max_age.as_secs() as i64;
    let done = step_up::satisfies(&s.sso.authn, s.required)
        && (!s.tx.recent || state.now().saturating_sub(s.sso.authn.auth_time) <= max_age);
    if done {
        return continue_tx(&state, &s.tx_id, s.tx, &s.sso).await;
    }
    render(&state, &headers, &s, false, None, StatusCode::OK).await
}

async fn form_step(
    state: &AppState,
    ui: Ui,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Step, std::collections::HashMap<String, String>), AppError> {
    let form = util::page_form(body)?;
    util::check_csrf(state, headers, &form)?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    Ok((step(state, ui, headers, tx_id).await?, form))
}

pub async fn factor_sms(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    ratelimit::per_ip(
        &state,
        "code-ip",
        &meta,
        state.config.rate_limit.code_per_ip,
    )
    .await?;
    let (s, _) = form_step(&state, ui, &headers, &body).await?;
    let Some(phone) = s.user.phone.clone().filter(|_| s.user.phone_verified) else {
        return render(
            &state,
            &headers,
            &s,
            false,
            Some("factor-err-no-phone"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let sent = sms_otp::send(
        &state,
        sms_otp::SIGN_IN,
        &s.user.id,
        &phone,
        sms_text(&state, &s),
    )
    .await?;
    let (sent, error) = match sent {
        Sent::Sent => (true, None),
        Sent::Throttled => (true, Some("factor-err-sms-throttled")),
        Sent::OverBudget => (false, Some("factor-err-sms-budget")),
        Sent::Failed => (false, Some("factor-err-sms-failed")),
    };
    render(&state, &headers, &s, sent, error, StatusCode::OK).await
}

/// Raises the session with `factor` and goes on with the sign-in.
async fn factor_done(state: &AppState, s: Step, factor: Factor) -> Result<Response, AppError> {
    let sso = step_up::raise(state, &s.cookie, s.sso, factor).await?;
    continue_tx(state, &s.tx_id, s.tx, &sso).await
}

pub async fn factor_verify(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (s, form) = form_step(&state, ui, &headers, &body).await?;
    if s.required == Acr::PhishingResistant {
        return render(
            &state,
            &headers,
            &s,
            false,
            Some("factor-passkey-needed"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let code = form.get("code").map(String::as_str).unwrap_or_default();
    let method = form.get("method").map(String::as_str).unwrap_or_default();
    let user = &s.user;
    let attempt = match method {
        "sms" => Attempt::Sms { user, code },
        "totp" => Attempt::Totp { user, code },
        "recovery" => Attempt::RecoveryCode { user, code },
        _ => {
            let status = StatusCode::BAD_REQUEST;
            return render(
                &state,
                &headers,
                &s,
                false,
                Some("factor-err-choose"),
                status,
            )
            .await;
        }
    };
    match check(&state, attempt, &meta).await? {
        Checked::Proven { factor, .. } => factor_done(&state, s, factor).await,
        Checked::Refused(refusal) => {
            let status = StatusCode::UNAUTHORIZED;
            render(
                &state,
                &headers,
                &s,
                method == "sms",
                Some(refusal.key()),
                status,
            )
            .await
        }
        Checked::Locked(until) => {
            // A lock ends the session too: a guessed second factor must not be retried
            // elsewhere.
            session::end(&state, &s.cookie).await?;
            Ok(super::signin::locked_page(&state, &s.ui, until))
        }
        Checked::Limited(l) => Err(AppError::limited(l)),
    }
}

/// TOTP enrolment during sign-in, for a user with no second factor at all.
pub async fn factor_enrol(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (s, form) = form_step(&state, ui, &headers, &body).await?;
    let opts = Options::load(&state, &s.user).await?;
    if opts.can_reach(s.required) {
        // Enrolment here is only for those who have nothing else; others use what they have.
        return render(&state, &headers, &s, false, None, StatusCode::OK).await;
    }
    let code = form.get("code").map(String::as_str).unwrap_or_default();
    let sid = s.sso.authn.sid.clone();
    let attempt = Attempt::NewTotp {
        user: &s.user,
        session: &sid,
        code,
    };
    match check(&state, attempt, &meta).await? {
        Checked::Proven { factor, .. } => factor_done(&state, s, factor).await,
        Checked::Refused(refusal) => {
            let status = StatusCode::UNAUTHORIZED;
            render(&state, &headers, &s, false, Some(refusal.key()), status).await
        }
        Checked::Locked(until) => {
            // As for a guessed second factor: the lock ends the session.
            session::end(&state, &s.cookie).await?;
            Ok(super::signin::locked_page(&state, &s.ui, until))
        }
        Checked::Limited(l) => Err(AppError::limited(l)),
    }
}

/// Where the page goes on after a sign-in step done by script (passkeys).
pub async fn login_continue(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<super::authorize::TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, &tx_id).await?;
    let Some(sso) = current_session(&state, &headers).await? else {
        return Ok(super::respond::local_redirect(&format!(
            "/login?tx={tx_id}"
        )));
    };
    continue_tx(&state, &tx_id, tx, &sso).await
}
