//! The account console's security page: authenticator app, passkeys, recovery codes and
//! the password. Behind sign-in; every change is audited and the owner is told by email.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    client::ClientMeta,
    error::AppError,
    guard,
    passkey::passkey_error,
    respond::json_message as json_error,
    util::{self, CsrfForm, NoFields},
};
use crate::{
    accounts::check_password_policy,
    accounts::notices,
    audit,
    authn::{
        check::{Attempt, Checked, check},
        passkey, recovery_codes,
        step_up::{self, Factor, Options},
        totp,
    },
    crypto::Secret,
    state::AppState,
    storage::{CREDENTIAL_PASSKEY, CREDENTIAL_TOTP, User},
    web::render::Ui,
};
use minijinja::context;

const SECURITY: &str = "/account/security";

/// The signed-in user, or the way to sign in first and back to `return_to`.
pub(super) async fn signed_in_for(
    state: &AppState,
    headers: &HeaderMap,
    return_to: &str,
) -> Result<User, AppError> {
    Ok(guard::signed_in(state, headers, return_to.to_owned())
        .await?
        .user)
}

/// A visitor of the security page: every setting here adds or removes a way into the
/// account, so all of it needs a fresh proof of the user's strongest factor (`guard::Fresh`).
pub struct Visitor {
    user: User,
    /// The session's id: a pending authenticator-app enrolment is this session's own.
    sid: String,
    session: guard::SignedIn,
}

impl Visitor {
    /// The visitor after `factor` was proven here (an enrolment's first use).
    async fn raised(self, state: &AppState, factor: Factor) -> Result<Visitor, AppError> {
        let s = self.session;
        let sso = step_up::add_enrolled(state, &s.cookie, s.sso, factor).await?;
        Ok(Visitor {
            session: guard::SignedIn { sso, ..s },
            ..self
        })
    }
}

async fn visitor(state: &AppState, headers: &HeaderMap) -> Result<Visitor, AppError> {
    let guard::Fresh(s) = guard::fresh(state, headers, SECURITY.to_owned()).await?;
    Ok(Visitor {
        user: s.user.clone(),
        sid: s.sso.authn.sid.clone(),
        session: s,
    })
}

impl axum::extract::FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, AppError> {
        visitor(state, &parts.headers).await
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
pub struct PasskeyForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
    /// The checkbox "keep me signed in on my other devices".
    #[serde(default)]
    keep_sessions: Option<String>,
}

/// What the security page shows besides the settings: a message or errors (catalogue
/// keys; an error of a field sits beside it), new recovery codes once.
#[derive(Default)]
struct Show {
    message: Option<&'static str>,
    error: Option<&'static str>,
    fields: Vec<(&'static str, &'static str)>,
    new_codes: Option<Vec<String>>,
    status: Option<StatusCode>,
}

impl Show {
    fn message(m: &'static str) -> Show {
        Show {
            message: Some(m),
            ..Default::default()
        }
    }

    fn error(e: &'static str, status: StatusCode) -> Show {
        Show {
            error: Some(e),
            status: Some(status),
            ..Default::default()
        }
    }

    fn field(field: &'static str, e: &'static str) -> Show {
        Show {
            fields: vec![(field, e)],
            status: Some(StatusCode::BAD_REQUEST),
            ..Default::default()
        }
    }
}

/// The console's language: the switch in this browser, the saved choice, the browser's.
pub(super) fn console_ui(headers: &HeaderMap, user: &User, path: &str) -> Ui {
    let mut ui = super::ui::from_headers(headers).prefer(None, user.locale.as_deref());
    ui.return_to = Some(path.to_owned());
    ui
}

#[derive(serde::Serialize)]
struct PasskeyRow {
    id: String,
    name: String,
    created: String,
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    v: &Visitor,
    show: Show,
) -> Result<Response, AppError> {
    let user = &v.user;
    let creds = state.stores.credentials.list_credentials(&user.id).await?;
    let opts = Options::of(user, &creds);
    let enrolment = if opts.totp {
        None
    } else {
        totp::pending_enrolment(state, &user.id, &v.sid).await?
    };
    let qr = enrolment.as_ref().map(|e| totp::qr_svg(&e.otpauth_url));
    let passkeys: Vec<PasskeyRow> = creds
        .iter()
        .filter(|c| c.kind == CREDENTIAL_PASSKEY)
        .map(|c| PasskeyRow {
            id: c.id.clone(),
            name: c.name.clone(),
            created: chrono::DateTime::from_timestamp(c.created_at, 0)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        })
        .collect();
    let (csrf, set) = util::csrf_token(state, headers);
    let errors: std::collections::BTreeMap<_, _> = show.fields.into_iter().collect();
    let html = state.web.page(
        &console_ui(headers, user, SECURITY),
        "security.html",
        context! {
            csrf, nav => "security", email => &user.email, totp => opts.totp,
            enrol_secret => enrolment.as_ref().map(|e| e.secret.clone()),
            enrol_qr => qr,
            passkeys => minijinja::Value::from(minijinja::value::Serde(&passkeys)),
            passkeys_available => state.webauthn.is_some(),
            codes_left => opts.recovery_codes,
            new_codes => show.new_codes,
            notice => show.message, alert => show.error, errors,
            min_length => state.config.password_policy.min_length,
        },
    );
    let mut r = Html(html).into_response();
    if let Some(s) = show.status {
        *r.status_mut() = s;
    }
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

pub async fn security_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    v: Visitor,
) -> Result<Response, AppError> {
    page(&state, &headers, &v, Show::default()).await
}

pub async fn totp_start(
    State(state): State<AppState>,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let user = &v.user;
    totp::start_enrolment(&state, &user.id, &v.sid, &user.email).await?;
    page(&state, &headers, &v, Show::default()).await
}

pub async fn totp_confirm(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    let user = &v.user;
    if !totp::confirm_enrolment(&state, &user.id, &v.sid, &form.code).await? {
        let show = Show::error("otp-wrong-totp", StatusCode::BAD_REQUEST);
        return page(&state, &headers, &v, show).await;
    }
    audit::user_success(
        &state,
        user,
        &meta,
        audit::FACTOR_ENROLLED,
        "authenticator app added",
    )
    .await;
    notices::security_notice(&state, user, notices::What::FactorAdded).await;
    // The confirming code proved the new factor: the session holds it from now on, so the
    // next change here does not ask for it again at once.
    let v = v.raised(&state, Factor::Totp).await?;
    let show = Show::message("security-totp-done");
    page(&state, &headers, &v, show).await
}

pub async fn totp_remove(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let user = &v.user;
    if state
        .stores
        .credentials
        .delete_credentials_of_kind(&user.id, CREDENTIAL_TOTP)
        .await?
        > 0
    {
        audit::user_success(
            &state,
            user,
            &meta,
            audit::FACTOR_REMOVED,
            "authenticator app removed",
        )
        .await;
        notices::security_notice(&state, user, notices::What::FactorRemoved).await;
    }
    let show = Show::message("security-totp-removed");
    page(&state, &headers, &v, show).await
}

pub async fn passkey_rename(
    State(state): State<AppState>,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, AppError> {
    let user = &v.user;
    let id = form.id.as_str();
    let name: String = form.name.trim().chars().take(64).collect();
    let show = if name.is_empty() {
        Show::error("security-passkey-name-missing", StatusCode::BAD_REQUEST)
    } else if state
        .stores
        .credentials
        .rename_credential(&user.id, id, &name)
        .await?
    {
        Show::message("security-passkey-renamed")
    } else {
        Show::error("security-passkey-unknown", StatusCode::NOT_FOUND)
    };
    page(&state, &headers, &v, show).await
}

pub async fn passkey_remove(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, AppError> {
    let user = &v.user;
    let id = form.id.as_str();
    let creds = state.stores.credentials.list_credentials(&user.id).await?;
    let is_passkey = creds
        .iter()
        .any(|c| c.id == id && c.kind == CREDENTIAL_PASSKEY);
    let show = if is_passkey
        && state
            .stores
            .credentials
            .delete_credential(&user.id, id)
            .await?
    {
        audit::user_success(
            &state,
            user,
            &meta,
            audit::FACTOR_REMOVED,
            "passkey removed",
        )
        .await;
        notices::security_notice(&state, user, notices::What::FactorRemoved).await;
        Show::message("security-passkey-removed")
    } else {
        Show::error("security-passkey-unknown", StatusCode::NOT_FOUND)
    };
    page(&state, &headers, &v, show).await
}

pub async fn recovery_regenerate(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let user = &v.user;
    let codes = recovery_codes::regenerate(&state, &user.id).await?;
    audit::user_success(
        &state,
        user,
        &meta,
        audit::FACTOR_ENROLLED,
        "new recovery codes",
    )
    .await;
    notices::security_notice(&state, user, notices::What::RecoveryCodes).await;
    let show = Show {
        new_codes: Some(codes),
        ..Default::default()
    };
    page(&state, &headers, &v, show).await
}

pub async fn password_change(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    v: Visitor,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let user = &v.user;
    let (current, new, again) = (
        Secret::new(form.current),
        Secret::new(form.password),
        Secret::new(form.password2),
    );
    let problem: Option<Show> = if new.expose() != again.expose() {
        Some(Show::field("password2", "passwords-differ"))
    } else if let Err(e) = check_password_policy(&state.config.password_policy, &user.email, &new) {
        Some(Show::field("password", e.key()))
    } else {
        // The current password goes through the same lockout as a sign-in.
        let attempt = Attempt::CurrentPassword {
            user,
            password: &current,
        };
        match check(&state, attempt, &meta).await? {
            Checked::Proven { .. } => None,
            Checked::Locked(_) => Some(Show::field("current", "security-password-locked")),
            Checked::Refused(_) => Some(Show::field("current", "security-password-wrong")),
            Checked::Limited(l) => return Err(AppError::limited(l)),
        }
    };
    if let Some(show) = problem {
        return page(&state, &headers, &v, show).await;
    }
    let hash = state
        .passwords
        .hash(&new)
        .await
        .map_err(|_| AppError::internal())?;
    let keep_others = form.keep_sessions.as_deref() == Some("on");
    crate::accounts::change_password(&state, user, &hash, &v.sid, keep_others).await?;
    audit::user_success(
        &state,
        user,
        &meta,
        audit::PASSWORD_CHANGED,
        "password changed",
    )
    .await;
    notices::security_notice(&state, user, notices::What::PasswordChanged).await;
    let show = Show::message(if keep_others {
        "security-password-changed"
    } else {
        "security-password-others-ended"
    });
    page(&state, &headers, &v, show).await
}

/// The visitor of the page script's calls: a JSON message instead of a redirect.
async fn json_visitor(state: &AppState, headers: &HeaderMap) -> Result<Visitor, Response> {
    if !util::csrf_header_ok(state, headers) {
        return Err(json_error(StatusCode::FORBIDDEN, "js-page-expired"));
    }
    visitor(state, headers)
        .await
        .map_err(IntoResponse::into_response)
}

pub async fn passkey_register_options(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    let user = match json_visitor(&state, &headers).await {
        Ok(v) => v.user,
        Err(r) => return r,
    };
    match passkey::start_registration(&state, &user).await {
        Ok(ccr) => Json(ccr).into_response(),
        Err(e) => passkey_error(e),
    }
}

#[derive(Deserialize)]
pub struct NewPasskey {
    #[serde(default)]
    name: String,
    credential: webauthn_rs::prelude::RegisterPublicKeyCredential,
}

pub async fn passkey_register(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let v = match json_visitor(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let user = v.user.clone();
    let Ok(new) = serde_json::from_slice::<NewPasskey>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "js-passkey-unreadable");
    };
    match passkey::finish_registration(&state, &user.id, &new.name, &new.credential).await {
        Ok(id) => {
            audit::user_success(
                &state,
                &user,
                &meta,
                audit::FACTOR_ENROLLED,
                "passkey added",
            )
            .await;
            notices::security_notice(&state, &user, notices::What::FactorAdded).await;
            // The ceremony proved the new key with user verification, like a sign-in with it.
            if let Err(e) = v.raised(&state, Factor::Passkey).await {
                return e.into_response();
            }
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Err(e) => passkey_error(e),
    }
}
