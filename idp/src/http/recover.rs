//! Recovery pages: the forgotten password (request, then the emailed link's new-password
//! form, which the permanent-lock email uses too) and the forgotten email address.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use minijinja::context;
use serde::Deserialize;

use super::{
    authorize::{self, TxPage, TxQuery},
    client::ClientMeta,
    error::AppError,
    ratelimit,
    register::{error_map, page},
    util::{self, PageQuery},
};
use crate::{
    accounts::{
        normalize_email, normalize_phone, parse_birthdate,
        recovery::{self, Link, ResetError},
    },
    authn::sms_otp::{Check, Sent},
    crypto::Secret,
    state::AppState,
    web::render::Ui,
};

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

fn invalid_link() -> AppError {
    AppError::bad_request("err-link-invalid")
}

/// The sign-in a recovery page came from, if it is still going: its language applies and
/// the pages lead back to it.
async fn sign_in_of(state: &AppState, ui: Ui, tx: Option<&str>) -> (Ui, Option<String>) {
    let Some(id) = tx.filter(|t| !t.is_empty()) else {
        return (ui, None);
    };
    match authorize::load_tx(state, id).await {
        Ok(tx) => (tx.ui(ui), Some(id.to_owned())),
        Err(_) => (ui, None),
    }
}

/// Field errors: field name to message key.
type Errors = Vec<(&'static str, &'static str)>;

async fn recovery_limit(
    state: &AppState,
    meta: &crate::audit::RequestMeta,
) -> Result<(), AppError> {
    ratelimit::per_ip(
        state,
        "recovery-ip",
        meta,
        state.config.rate_limit.recovery_per_ip,
    )
    .await
}

// ---- Forgotten password ----

fn forgot_password_form(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    tx: Option<&str>,
    email: &str,
    errors: &Errors,
) -> String {
    state.web.page(
        ui,
        "recover_password.html",
        context! { csrf, tx, email, errors => error_map(errors) },
    )
}

/// `GET /recover/password?tx=…`
pub async fn forgot_password_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let (ui, tx) = sign_in_of(&state, ui, q.tx.as_deref()).await;
    let email = match &tx {
        Some(id) => authorize::load_tx(&state, id)
            .await
            .ok()
            .and_then(|t| t.email)
            .unwrap_or_default(),
        None => String::new(),
    };
    let (csrf, set) = util::csrf_token(&state, &headers);
    let html = forgot_password_form(&state, &ui, &csrf, tx.as_deref(), &email, &vec![]);
    Ok(page(set, html, StatusCode::OK))
}

/// `POST /recover/password`: the same answer whether or not the address has an account.
pub async fn forgot_password_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    recovery_limit(&state, &meta).await?;
    let (ui, tx) = sign_in_of(&state, ui, form.get("tx").map(String::as_str)).await;
    let typed = form.get("email").map(|e| e.trim()).unwrap_or_default();
    let (csrf, set) = util::csrf_token(&state, &headers);
    let Some(email) = normalize_email(typed) else {
        let errors = vec![("email", "email-invalid")];
        let html = forgot_password_form(&state, &ui, &csrf, tx.as_deref(), typed, &errors);
        return Ok(page(set, html, StatusCode::BAD_REQUEST));
    };
    // Per address too, so nobody floods a mailbox from many places.
    ratelimit::hit(
        &state,
        "recovery-email",
        &email,
        state.config.rate_limit.recovery_per_ip,
        false,
    )
    .await?;
    {
        let (state, email, tx, lang) = (state.clone(), email.clone(), tx.clone(), ui.lang);
        // Apart from the request: the answer takes as long with or without an account.
        tokio::spawn(async move { recovery::request_reset(&state, &email, lang, tx).await });
    }
    let minutes = (state.config.accounts.reset_link_ttl.as_secs() / 60) as i64;
    let html = state.web.page(
        &ui,
        "recover_password_sent.html",
        context! { email, minutes, tx },
    );
    Ok(page(set, html, StatusCode::OK))
}

// ---- The new-password form behind the emailed link ----

struct ResetForm<'a> {
    token: &'a str,
    link: &'a Link,
    code: &'a str,
    errors: Errors,
}

fn reset_form(state: &AppState, ui: &Ui, csrf: &str, f: &ResetForm) -> String {
    state.web.page(
        ui,
        "reset_password.html",
        context! {
            csrf, token => f.token, code => f.code,
            errors => error_map(&f.errors),
            action => "/recover/reset",
            code_needed => f.link.code_needed(),
            email => &f.link.user.email,
            min_length => state.config.password_policy.min_length,
        },
    )
}

/// `GET /recover/reset?token=…`: the form, and the SMS code when the account has a
/// verified mobile number.
pub async fn reset_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TokenQuery>,
) -> Result<Response, AppError> {
    let token = q.token.unwrap_or_default();
    let link = recovery::link(&state, &token)
        .await?
        .ok_or_else(invalid_link)?;
    let ui = ui.prefer(None, Some(link.lang.code()));
    let mut errors = vec![];
    if link.code_needed() {
        match recovery::send_reset_code(&state, &token, &link).await? {
            Sent::Sent | Sent::Throttled => {}
            Sent::OverBudget => errors.push(("code", "factor-err-sms-budget")),
            Sent::Failed => errors.push(("code", "recover-sms-failed")),
        }
    }
    let (csrf, set) = util::csrf_token(&state, &headers);
    let form = ResetForm {
        token: &token,
        link: &link,
        code: "",
        errors,
    };
    Ok(page(
        set,
        reset_form(&state, &ui, &csrf, &form),
        StatusCode::OK,
    ))
}

/// `POST /recover/reset`
pub async fn reset_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    recovery_limit(&state, &meta).await?;
    let token = form.get("token").cloned().unwrap_or_default();
    let link = recovery::link(&state, &token)
        .await?
        .ok_or_else(invalid_link)?;
    let ui = ui.prefer(None, Some(link.lang.code()));
    let code = form.get("code").map(|c| c.trim()).unwrap_or_default();
    let password = Secret::new(form.get("password").cloned().unwrap_or_default());
    let again = form.get("password2").cloned().unwrap_or_default();
    let retry = |errors: Errors| {
        let (csrf, set) = util::csrf_token(&state, &headers);
        let f = ResetForm {
            token: &token,
            link: &link,
            code,
            errors,
        };
        page(
            set,
            reset_form(&state, &ui, &csrf, &f),
            StatusCode::BAD_REQUEST,
        )
    };
    if !crate::crypto::ct_eq(password.expose().as_bytes(), again.as_bytes()) {
        return Ok(retry(vec![("password2", "passwords-differ")]));
    }
    match recovery::reset_password(&state, &token, &password, code, &meta).await {
        Ok(link) => {
            let (ui, tx) = sign_in_of(&state, ui, link.tx.as_deref()).await;
            let html = state.web.page(&ui, "reset_done.html", context! { tx });
            Ok(page(None, html, StatusCode::OK))
        }
        Err(ResetError::Policy(e)) => Ok(retry(vec![("password", e.key())])),
        Err(ResetError::Code(Check::Wrong)) => Ok(retry(vec![("code", "recover-code-wrong")])),
        Err(ResetError::Code(_)) => Ok(retry(vec![("code", "recover-code-expired")])),
        Err(ResetError::Locked(until)) => Ok(super::signin::locked_page(&state, &ui, until)),
        Err(ResetError::Limited(l)) => Err(AppError::limited(l)),
        Err(ResetError::InvalidLink) => Err(invalid_link()),
        Err(ResetError::Storage(e)) => Err(e.into()),
    }
}

// ---- Forgotten email address ----

fn forgot_email_form(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    tx: Option<&str>,
    (phone, birthdate): (&str, &str),
    errors: &Errors,
) -> String {
    state.web.page(
        ui,
        "recover_email.html",
        context! { csrf, tx, phone, birthdate, errors => error_map(errors) },
    )
}

/// `GET /recover/email?tx=…`
pub async fn forgot_email_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let (ui, tx) = sign_in_of(&state, ui, q.tx.as_deref()).await;
    let (csrf, set) = util::csrf_token(&state, &headers);
    let html = forgot_email_form(&state, &ui, &csrf, tx.as_deref(), ("", ""), &vec![]);
    Ok(page(set, html, StatusCode::OK))
}

fn email_code_page(
    state: &AppState,
    ui: &Ui,
    csrf: &str,
    (id, phone, tx): (&str, &str, Option<&str>),
    code: &str,
    error: Option<&'static str>,
) -> String {
    state.web.page(
        ui,
        "recover_email_code.html",
        context! { csrf, id, phone, tx, code, errors => context! { code => error } },
    )
}

/// `POST /recover/email`: the same answer whether or not the details match an account.
pub async fn forgot_email_submit(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    recovery_limit(&state, &meta).await?;
    let (ui, tx) = sign_in_of(&state, ui, form.get("tx").map(String::as_str)).await;
    let typed_phone = form.get("phone").map(|p| p.trim()).unwrap_or_default();
    let typed_date = form.get("birthdate").map(|d| d.trim()).unwrap_or_default();
    let (csrf, set) = util::csrf_token(&state, &headers);
    let phone = normalize_phone(typed_phone, &state.config.accounts.default_calling_code);
    let today = chrono::DateTime::from_timestamp(state.now(), 0)
        .map(|d| d.date_naive())
        .unwrap_or_default();
    let birthdate = parse_birthdate(typed_date, today);
    let (phone, birthdate) = match (phone, birthdate) {
        (Some(p), Some(b)) => (p, b),
        (p, b) => {
            let mut errors = vec![];
            if p.is_none() {
                errors.push(("phone", "register-phone-invalid"));
            }
            if b.is_none() {
                errors.push(("birthdate", "register-birthdate-invalid"));
            }
            let typed = (typed_phone, typed_date);
            let html = forgot_email_form(&state, &ui, &csrf, tx.as_deref(), typed, &errors);
            return Ok(page(set, html, StatusCode::BAD_REQUEST));
        }
    };
    // Per number too: guessing birth dates from many places is as slow as from one.
    ratelimit::hit(
        &state,
        "recovery-phone",
        &phone,
        state.config.rate_limit.recovery_per_ip,
        false,
    )
    .await?;
    let id = recovery::request_email(&state, &phone, &birthdate, ui.lang).await?;
    let html = email_code_page(&state, &ui, &csrf, (&id, &phone, tx.as_deref()), "", None);
    Ok(page(set, html, StatusCode::OK))
}

/// `POST /recover/email/code`
pub async fn forgot_email_code(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    ratelimit::per_ip(
        &state,
        "code-ip",
        &meta,
        state.config.rate_limit.code_per_ip,
    )
    .await?;
    let (ui, tx) = sign_in_of(&state, ui, form.get("tx").map(String::as_str)).await;
    let id = form.get("id").cloned().unwrap_or_default();
    if !recovery::email_request_open(&state, &id).await? {
        return Err(AppError::bad_request("err-recovery-expired"));
    }
    let phone = form.get("phone").cloned().unwrap_or_default();
    let code = form.get("code").map(|c| c.trim()).unwrap_or_default();
    let error = match recovery::confirm_email_request(&state, &id, code).await? {
        Check::Valid => {
            let html = state
                .web
                .page(&ui, "recover_email_done.html", context! { tx });
            return Ok(page(None, html, StatusCode::OK));
        }
        Check::Wrong => "recover-code-wrong",
        Check::Expired | Check::TooManyTries => "recover-email-code-expired",
    };
    let (csrf, set) = util::csrf_token(&state, &headers);
    let html = email_code_page(
        &state,
        &ui,
        &csrf,
        (&id, &phone, tx.as_deref()),
        code,
        Some(error),
    );
    Ok(page(set, html, StatusCode::BAD_REQUEST))
}
