//! The registration pages: the form, the SMS code, the emailed link, then back to the
//! relying party (or to the account) signed in.

use std::collections::{BTreeMap, HashMap};

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use minijinja::context;
use serde::Deserialize;

use super::{
    authorize::{self, TxPage, TxQuery},
    client::ClientMeta,
    error::AppError,
    ratelimit,
    respond::local_redirect,
    util::{self, PageQuery},
};
use crate::{
    accounts::registration::{self, Completion, Entered, FieldErrors, Pending},
    authn::sms_otp::{Check, Sent},
    crypto::Secret,
    state::AppState,
    web::render::Ui,
};

pub(super) fn page(set: Option<header::HeaderValue>, html: String, status: StatusCode) -> Response {
    let mut r = (status, Html(html)).into_response();
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

pub(super) fn error_map(errors: &FieldErrors) -> BTreeMap<&'static str, &'static str> {
    errors.iter().copied().collect()
}

fn form_page(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    tx_id: &str,
    service: &minijinja::Value,
    entered: &Entered,
    errors: &FieldErrors,
) -> String {
    let accounts = &state.config.accounts;
    state.web.page(
        ui,
        "register.html",
        context! {
            csrf, tx => tx_id, service,
            errors => error_map(errors),
            min_length => state.config.password_policy.min_length,
            terms_version => &accounts.terms_version,
            terms_url => &accounts.terms_url,
            terms_checked => entered.terms.is_some(),
            ..minijinja::Value::from(minijinja::value::Serde(entered))
        },
    )
}

/// `GET /register?tx=…`; without a sign-in transaction, registration ends in the account.
pub async fn register_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let Some(tx_id) = q.tx else {
        return Ok(authorize::start_own_sign_in("/account", "/register"));
    };
    let tx = authorize::load_tx(&state, &tx_id).await?;
    let ui = tx.ui(ui);
    let service = authorize::service_of(&state, &ui, &tx).await?;
    let (csrf, set) = util::csrf_token(&state, &headers);
    let entered = Entered {
        email: tx
            .request
            .as_ref()
            .and_then(|r| r.login_hint.clone())
            .unwrap_or_default(),
        ..Default::default()
    };
    let html = form_page(&state, &ui, &csrf, &tx_id, &service, &entered, &vec![]);
    Ok(page(set, html, StatusCode::OK))
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn phone_page(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    reg: &str,
    p: &Pending,
    code: &str,
    (error, notice): (Option<&'static str>, Option<&'static str>),
) -> String {
    state.web.page(
        ui,
        "register_phone.html",
        context! { csrf, reg, phone => &p.phone, code, errors => context! { code => error }, notice },
    )
}

/// `POST /register`: checks the form; a valid one gets the SMS code page.
pub async fn register_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    ratelimit::per_ip(
        &state,
        "registration-ip",
        &meta,
        state.config.rate_limit.registration_per_ip,
    )
    .await?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let tx = authorize::load_tx(&state, tx_id).await?;
    let ui = tx.ui(ui);
    let entered = Entered {
        given_name: field(&form, "given_name"),
        family_name: field(&form, "family_name"),
        email: field(&form, "email").trim().to_owned(),
        email2: field(&form, "email2").trim().to_owned(),
        phone: field(&form, "phone"),
        birthdate: field(&form, "birthdate"),
        terms: form.get("terms").cloned(),
    };
    let password = Secret::new(field(&form, "password"));
    let (csrf, set) = util::csrf_token(&state, &headers);
    let (email, phone, birthdate) =
        match registration::validate(&state, &entered, &password, &field(&form, "password2")) {
            Ok(v) => v,
            Err(errors) => {
                let service = authorize::service_of(&state, &ui, &tx).await?;
                let html = form_page(&state, &ui, &csrf, tx_id, &service, &entered, &errors);
                return Ok(page(set, html, StatusCode::BAD_REQUEST));
            }
        };
    let (reg, binding, sent) = registration::start(
        &state,
        &entered,
        email,
        phone,
        birthdate,
        &password,
        ui.lang,
        Some(tx_id.clone()),
    )
    .await?;
    let p = registration::load(&state, &reg)
        .await?
        .ok_or_else(AppError::internal)?;
    let error = match sent {
        Sent::Sent | Sent::Throttled => None,
        Sent::OverBudget => Some("factor-err-sms-budget"),
        Sent::Failed => Some("register-sms-failed"),
    };
    let html = phone_page(&state, &ui, &csrf, &reg, &p, "", (error, None));
    let mut r = page(set, html, StatusCode::OK);
    r.headers_mut().append(
        header::SET_COOKIE,
        util::set_registration_cookie(&state, binding.cookie_value()),
    );
    Ok(r)
}

/// What both code forms (enter, send again) start with: the checks, the registration and
/// its language.
struct CodeStep {
    form: HashMap<String, String>,
    reg: String,
    p: Pending,
    ui: Ui,
    csrf: String,
    set: Option<header::HeaderValue>,
}

async fn code_step(
    state: &AppState,
    ui: Ui,
    meta: &crate::audit::RequestMeta,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<CodeStep, AppError> {
    let form = util::checked_form(state, headers, body)?;
    ratelimit::per_ip(state, "code-ip", meta, state.config.rate_limit.code_per_ip).await?;
    let reg = field(&form, "reg");
    let Some(p) = registration::load(state, &reg).await? else {
        return Err(AppError::bad_request("err-registration-expired"));
    };
    let ui = ui.prefer(None, Some(&p.lang));
    let (csrf, set) = util::csrf_token(state, headers);
    Ok(CodeStep {
        form,
        reg,
        p,
        ui,
        csrf,
        set,
    })
}

/// `POST /register/phone`: the SMS code; when right, the email goes out.
pub async fn phone_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let CodeStep {
        form,
        reg,
        p,
        ui,
        csrf,
        set,
    } = code_step(&state, ui, &meta, &headers, &body).await?;
    let code = field(&form, "code");
    let email = p.email.clone();
    let error = match registration::confirm_phone(&state, &reg, p.clone(), &code).await? {
        Check::Valid => {
            let html = state
                .web
                .page(&ui, "register_email_sent.html", context! { email });
            let mut r = page(set, html, StatusCode::OK);
            // The emailed link lives from now: so does the browser's binding, or the
            // owner's own click late in the link's life would count as another browser.
            if let Some(binding) = util::registration_cookie(&state, &headers) {
                r.headers_mut().append(
                    header::SET_COOKIE,
                    util::set_registration_cookie(&state, binding),
                );
            }
            return Ok(r);
        }
        Check::Wrong => "register-code-wrong",
        Check::Expired | Check::TooManyTries => "register-code-expired",
    };
    let html = phone_page(
        &state,
        &ui,
        &csrf,
        &reg,
        &p,
        code.trim(),
        (Some(error), None),
    );
    Ok(page(set, html, StatusCode::BAD_REQUEST))
}

/// `POST /register/phone/resend`: a new SMS code, at most one a minute.
pub async fn phone_resend(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let CodeStep {
        reg,
        p,
        ui,
        csrf,
        set,
        ..
    } = code_step(&state, ui, &meta, &headers, &body).await?;
    let messages = match registration::resend_code(&state, &reg, &p).await? {
        Sent::Sent => (None, Some("register-code-resent")),
        Sent::Throttled => (None, Some("register-code-throttled")),
        Sent::OverBudget => (Some("factor-err-sms-budget"), None),
        Sent::Failed => (Some("register-sms-failed"), None),
    };
    let html = phone_page(&state, &ui, &csrf, &reg, &p, "", messages);
    Ok(page(set, html, StatusCode::OK))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `GET /register/confirm?token=…`: a button, so that a mail scanner opening the link does
/// not use it up. In another browser than the one that started the registration the page
/// says so, and its button starts a registration of this browser's own instead.
pub async fn confirm_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TokenQuery>,
) -> Result<Response, AppError> {
    let token = q.token.unwrap_or_default();
    let Some(p) = registration::by_link(&state, &token).await? else {
        return Err(AppError::bad_request("err-link-invalid"));
    };
    let ui = ui.prefer(None, Some(&p.lang));
    let (csrf, set) = util::csrf_token(&state, &headers);
    let elsewhere = !p.started_in(util::registration_cookie(&state, &headers));
    // Confirming continues the sign-in that started the registration, at its client
    // (elsewhere it only leads to a registration form here).
    let target = match &p.tx {
        Some(id) if !elsewhere => authorize::load_tx(&state, id)
            .await
            .ok()
            .and_then(|t| t.form_target()),
        _ => None,
    };
    let html = state.web.page(
        &ui,
        "register_confirm.html",
        context! { csrf, token, email => p.email, elsewhere },
    );
    let mut r = page(set, html, StatusCode::OK);
    super::csp::FormTarget::allow(target, &mut r);
    Ok(r)
}

/// `POST /register/confirm`: creates the account, signs the browser in and continues the
/// sign-in that started the registration. From another browser the registration is
/// discarded and this browser goes to a registration form of its own.
pub async fn confirm_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    let token = field(&form, "token");
    let browser = util::registration_cookie(&state, &headers);
    let (user, p) = match registration::complete(&state, &token, browser).await? {
        Completion::Created(user, p) => (*user, *p),
        Completion::OtherBrowser => return Ok(local_redirect("/register")),
        Completion::Invalid => return Err(AppError::bad_request("err-link-invalid")),
    };
    let detail = format!("terms {}", p.terms_version);
    crate::audit::user_success(&state, &user, &meta, crate::audit::ACCOUNT_CREATED, &detail).await;
    let (set_session, sso) = super::signin::new_session(&state, &headers, &user, &meta).await?;
    let tx = match &p.tx {
        Some(id) => authorize::load_tx(&state, id).await.ok().map(|t| (id, t)),
        None => None,
    };
    let mut r = match tx {
        Some((tx_id, mut tx)) => {
            tx.fresh = true;
            tx.email = Some(user.email.clone());
            authorize::continue_tx(&state, tx_id, tx, &sso).await?
        }
        None => {
            let ui = ui.prefer(None, Some(&p.lang));
            Html(state.web.page(&ui, "register_done.html", context! {})).into_response()
        }
    };
    r.headers_mut().append(header::SET_COOKIE, set_session);
    Ok(r)
}
