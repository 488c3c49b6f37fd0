//! Change of the email address and of the mobile number: behind two factors (step-up asks
//! for what is missing), a code sent to the new address, saved only once the code is
//! confirmed, and a security notice to the old address. A taken email address gives the
//! same pages and changes nothing; its owner is told instead.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{Console, console_form, console_fresh, console_fresh_form, profile, render};
use crate::{
    accounts::{
        self,
        notices::{self, What},
    },
    audit,
    authn::sms_otp::{self, Check, Sent},
    http::{client::ClientMeta, error::AppError, ratelimit},
    state::AppState,
    storage::{StorageError, User, ephemeral},
    web::render::Ui,
};

/// Codes one account may have sent to new addresses per rate-limit window.
const SENDS_PER_WINDOW: u32 = 5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Phone,
}

/// A change waiting for its code.
#[derive(Serialize, Deserialize)]
struct Pending {
    value: String,
    /// The address belongs to another account: no code was sent and none is right.
    taken: bool,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Kind::Email => "/account/email",
            Kind::Phone => "/account/phone",
        }
    }

    fn purpose(self) -> &'static str {
        match self {
            Kind::Email => "change_email",
            Kind::Phone => "change_phone",
        }
    }

    fn pending_key(self, user_id: &str) -> String {
        format!("contact-change:{}:{user_id}", self.name())
    }

    /// The new value in its stored form, or the message key of what is wrong with it.
    fn parse(self, state: &AppState, user: &User, raw: &str) -> Result<String, &'static str> {
        let (value, invalid, current) = match self {
            Kind::Email => (
                accounts::normalize_email(raw),
                "email-invalid",
                Some(user.email.as_str()),
            ),
            Kind::Phone => (
                accounts::normalize_phone(raw, &state.config.accounts.default_calling_code),
                "contact-phone-invalid",
                user.phone.as_deref(),
            ),
        };
        let value = value.ok_or(invalid)?;
        if current == Some(value.as_str()) {
            return Err(match self {
                Kind::Email => "contact-email-same",
                Kind::Phone => "contact-phone-same",
            });
        }
        Ok(value)
    }

    async fn send_code(self, state: &AppState, c: &Console, to: &str) -> Result<Sent, AppError> {
        let lang = c.ui.lang;
        let subject = format!("{}:{to}", c.user.id);
        let key = match self {
            Kind::Email => "contact-email-code",
            Kind::Phone => "contact-sms-code",
        };
        let Some(code) = sms_otp::issue(state, self.purpose(), &subject).await? else {
            return Ok(Sent::Throttled);
        };
        let body = state.web.t(lang, key, &[("code", code.as_str().into())]);

        let delivered = match self {
            Kind::Email => {
                let title = state.web.t(lang, "contact-email-code.subject", &[]);
                state.notifier.email(to, &title, &body).await.is_ok()
            }
            Kind::Phone => state.notifier.sms(to, &body).await.is_ok(),
        };
        if delivered {
            return Ok(Sent::Sent);
        }
        sms_otp::not_delivered(state, self.purpose(), &subject).await?;
        Ok(Sent::Failed)
    }
}

fn show(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    kind: Kind,
    stage: &str,
    value: &str,
    error: Option<&str>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(
        state,
        headers,
        c,
        "console_contact.html",
        "profile",
        status,
        context! { kind => kind.name(), action => kind.path(), stage, value, error },
    )
}

async fn start_page(
    state: AppState,
    ui: Ui,
    headers: HeaderMap,
    kind: Kind,
) -> Result<Response, AppError> {
    let c = console_fresh(&state, &headers, ui, kind.path()).await?;
    Ok(show(&state, &headers, &c, kind, "start", "", None))
}

async fn start(
    state: AppState,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> Result<Response, AppError> {
    let (c, form) = console_fresh_form(&state, &headers, ui, kind.path(), &body).await?;
    let raw = form.get("value").map(String::as_str).unwrap_or_default();
    // Each new address gets its own code: bound the messages one account can send.
    ratelimit::hit(&state, "contact_send", &c.user.id, SENDS_PER_WINDOW, false).await?;
    let value = match kind.parse(&state, &c.user, raw) {
        Ok(v) => v,
        Err(e) => return Ok(show(&state, &headers, &c, kind, "start", raw, Some(e))),
    };
    let owner = match kind {
        Kind::Email => state.stores.users.find_user_by_email(&value).await?,
        Kind::Phone => None,
    };
    let taken = owner.as_ref().is_some_and(|o| o.id != c.user.id);
    if let Some(o) = owner.filter(|_| taken) {
        // The same page as for a free address; the owner learns that someone tried.
        let lang = notices::lang_of(&o);
        notices::send(&state, &o.email, lang, "contact-email-taken-notice", &[]).await;
    } else if kind.send_code(&state, &c, &value).await? == Sent::Failed {
        let error = Some("contact-send-failed");
        return Ok(show(&state, &headers, &c, kind, "start", raw, error));
    }
    let pending = Pending {
        value: value.clone(),
        taken,
    };
    let ttl = state.config.session.login_ttl;
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &kind.pending_key(&c.user.id),
        &pending,
        ttl,
    )
    .await?;
    Ok(show(&state, &headers, &c, kind, "code", &value, None))
}

async fn confirm(
    state: AppState,
    ui: Ui,
    meta: audit::RequestMeta,
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> Result<Response, AppError> {
    let (mut c, form) = console_form(&state, &headers, ui, kind.path(), &body).await?;
    // The pending address was entered after a fresh proof; the code sent to it is the
    // proof now, so the session needs only to be signed in.
    let code_limit = state.config.rate_limit.code_per_ip;
    ratelimit::per_ip(&state, "code-ip", &meta, code_limit).await?;
    let key = kind.pending_key(&c.user.id);
    let Some(pending) = ephemeral::get_json::<Pending>(state.ephemeral.as_ref(), &key).await?
    else {
        let error = Some("contact-code-expired");
        return Ok(show(&state, &headers, &c, kind, "start", "", error));
    };
    let code = form.get("code").map(String::as_str).unwrap_or_default();
    let check = if pending.taken {
        Check::Wrong
    } else {
        let subject = format!("{}:{}", c.user.id, pending.value);
        sms_otp::verify(&state, kind.purpose(), &subject, code).await?
    };
    let again = |error| {
        Ok(show(
            &state,
            &headers,
            &c,
            kind,
            "code",
            &pending.value,
            Some(error),
        ))
    };
    match check {
        Check::Valid => {}
        Check::Wrong => return again("contact-code-wrong"),
        Check::Expired | Check::TooManyTries => {
            state.ephemeral.delete(&key).await?;
            let error = Some("contact-code-expired");
            return Ok(show(&state, &headers, &c, kind, "start", "", error));
        }
    }
    state.ephemeral.delete(&key).await?;
    let old = c.user.clone();
    let mut user = c.user.clone();
    match kind {
        Kind::Email => {
            user.email = pending.value.clone();
            user.email_verified = true;
        }
        Kind::Phone => {
            user.phone = Some(pending.value.clone());
            user.phone_verified = true;
        }
    }
    user.updated_at = state.now();
    match state.stores.users.update_user(&user).await {
        Ok(()) => {}
        // Taken since the code was sent: nothing changes.
        Err(StorageError::Conflict) => {
            let error = Some("contact-code-expired");
            return Ok(show(&state, &headers, &c, kind, "start", "", error));
        }
        Err(e) => return Err(e.into()),
    }
    let (audit_kind, what, done) = match kind {
        Kind::Email => (
            audit::EMAIL_CHANGED,
            What::EmailChanged,
            "contact-email-changed",
        ),
        Kind::Phone => (
            audit::PHONE_CHANGED,
            What::PhoneChanged,
            "contact-phone-changed",
        ),
    };
    audit::user_success(
        &state,
        &old,
        &meta,
        audit_kind,
        &format!("{} changed", kind.name()),
    )
    .await;
    // To the old address: if it was not the owner, the owner still hears of it.
    notices::security_notice(&state, &old, what).await;
    c.user = user;
    Ok(profile::show_saved(&state, &headers, &c, done))
}

pub async fn email_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    start_page(state, ui, headers, Kind::Email).await
}

pub async fn phone_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    start_page(state, ui, headers, Kind::Phone).await
}

pub async fn email_start(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    start(state, ui, headers, body, Kind::Email).await
}

pub async fn phone_start(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    start(state, ui, headers, body, Kind::Phone).await
}

pub async fn email_confirm(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    confirm(state, ui, meta, headers, body, Kind::Email).await
}

pub async fn phone_confirm(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    confirm(state, ui, meta, headers, body, Kind::Phone).await
}
