//! Recovery: a new password from an emailed single-use link (the forgotten-password request
//! and the permanent-lock email share it), and the forgotten email address sent by SMS.
//!
//! A link of an account with a verified mobile number also needs an SMS code, so a read
//! mailbox alone is not enough. A new password lifts every lock and ends every session and
//! grant of the account. Nothing here tells whether an address or a number has an account.

use serde::{Deserialize, Serialize};

use crate::{
    accounts::{
        PolicyError, check_password_policy,
        notices::{self, What},
        revoke_everything,
    },
    audit::{self, RequestMeta},
    authn::{
        check::{Attempt, CheckError, Checked, Refusal, check},
        lockout,
        reset_link::{self, LinkKind, LinkRecord, lang_of},
        sms_otp::{self, Check, Sent},
    },
    crypto::{Secret, new_token, token_hash},
    ratelimit::Limited,
    state::AppState,
    storage::{StorageError, StorageResult, User, ephemeral},
    web::i18n::Lang,
};

/// The SMS code's purpose for a forgotten email address.
const EMAIL_CODE: &str = "forgot-email";

fn forgot_email_key(id: &str) -> String {
    format!("forgot-email:{}", token_hash(id))
}

/// The forgotten-password request for a normalised address: a link to its owner, if any.
/// Runs apart from the request (see the handler), so the answer takes as long either way.
pub async fn request_reset(state: &AppState, email: &str, page: Lang, tx: Option<String>) {
    match state.stores.users.find_user_by_email(email).await {
        Ok(Some(u)) if !u.disabled => {
            let lang = lang_of(&u, page);
            reset_link::send(state, &u, LinkKind::Forgotten, lang, tx).await;
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "new-password link not sent"),
    }
}

/// A valid new-password link.
#[derive(Debug, Clone)]
pub struct Link {
    pub user: User,
    pub tx: Option<String>,
    /// The language of the pages and the SMS: the account's, else that of the request.
    pub lang: Lang,
}

impl Link {
    /// A verified mobile number makes the SMS code part of the reset.
    pub fn code_needed(&self) -> bool {
        self.user.phone_verified && self.user.phone.is_some()
    }
}

/// The link's account, if the link is still valid (for showing the form), without using it.
pub async fn link(state: &AppState, token: &str) -> StorageResult<Option<Link>> {
    if token.is_empty() {
        return Ok(None);
    }
    let Some(record) =
        ephemeral::get_json::<LinkRecord>(state.ephemeral.as_ref(), &reset_link::key(token))
            .await?
    else {
        return Ok(None);
    };
    Ok(state
        .stores
        .users
        .find_user(&record.user_id)
        .await?
        .map(|user| {
            let asked = record
                .lang
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or(Lang::En);
            Link {
                lang: lang_of(&user, asked),
                user,
                tx: record.tx,
            }
        }))
}

/// Sends the SMS code of a link (at most one a minute; the same code stays valid).
pub async fn send_reset_code(state: &AppState, token: &str, link: &Link) -> StorageResult<Sent> {
    let Some(phone) = &link.user.phone else {
        return Ok(Sent::Failed);
    };
    let lang = link.lang;
    sms_otp::send(state, sms_otp::RESET, &token_hash(token), phone, |code| {
        state
            .web
            .t(lang, "recover-reset-sms", &[("code", code.into())])
    })
    .await
}

#[derive(Debug, PartialEq, Eq)]
pub enum ResetError {
    /// Unknown, expired or already used.
    InvalidLink,
    Policy(PolicyError),
    /// The SMS code is wrong, expired or was tried too often.
    Code(Check),
    /// Too many wrong codes (or passwords): the account is locked until then.
    Locked(Option<i64>),
    Limited(Limited),
    Storage(StorageError),
}

impl From<CheckError> for ResetError {
    fn from(e: CheckError) -> Self {
        match e {
            CheckError::Storage(e) => ResetError::Storage(e),
            CheckError::Internal | CheckError::PasskeysOff => {
                ResetError::Storage(StorageError::Internal("checking the reset code".into()))
            }
        }
    }
}

impl From<StorageError> for ResetError {
    fn from(e: StorageError) -> Self {
        ResetError::Storage(e)
    }
}

/// Sets the new password (consuming the link), lifts every lock of the account and ends
/// every session and grant. The policy is checked before the code, so a refused password
/// does not use the code up.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &Secret,
    code: &str,
    meta: &RequestMeta,
) -> Result<Link, ResetError> {
    let link = link(state, token).await?.ok_or(ResetError::InvalidLink)?;
    let user = &link.user;
    check_password_policy(&state.config.password_policy, &user.email, password)
        .map_err(ResetError::Policy)?;
    if link.code_needed() {
        let attempt = Attempt::ResetCode {
            user,
            link: &token_hash(token),
            code,
        };
        match check(state, attempt, meta).await? {
            Checked::Proven { .. } => {}
            Checked::Refused(Refusal::CodeExpired) => return Err(ResetError::Code(Check::Expired)),
            Checked::Refused(Refusal::CodeTooManyTries) => {
                return Err(ResetError::Code(Check::TooManyTries));
            }
            Checked::Refused(_) => return Err(ResetError::Code(Check::Wrong)),
            Checked::Locked(until) => return Err(ResetError::Locked(until)),
            Checked::Limited(l) => return Err(ResetError::Limited(l)),
        }
    }
    // `take` keeps two concurrent submissions from both succeeding.
    if state
        .ephemeral
        .take(&reset_link::key(token))
        .await?
        .is_none()
    {
        return Err(ResetError::InvalidLink);
    }
    let hash = state
        .passwords
        .hash(password)
        .await
        .map_err(|e| ResetError::Storage(StorageError::Internal(e.to_string())))?;
    state
        .stores
        .users
        .set_password_hash(&user.id, &hash, state.now())
        .await?;
    // The link proved the mailbox: the old services' passwords (`legacy`) go too.
    let legacy = &state.stores.legacy;
    legacy
        .retire_user_legacy_passwords(&user.id, state.now())
        .await?;
    lockout::unlock(state, &user.email).await?;
    revoke_everything(state, &user.id).await?;
    audit::user_success(state, user, meta, audit::PASSWORD_CHANGED, "reset link").await;
    audit::user_success(state, user, meta, audit::UNLOCK, "reset link").await;
    notices::security_notice(state, user, What::PasswordChanged).await;
    Ok(link)
}

/// A forgotten-email request: who it is for, if the details matched an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct EmailRequest {
    user_id: Option<String>,
    lang: String,
}

/// Starts a forgotten-email request for a mobile number and birth date; returns its id.
/// A code is made either way and checked the same way; it is sent only when the details
/// match an account with that verified number.
pub async fn request_email(
    state: &AppState,
    phone: &str,
    birthdate: &str,
    page: Lang,
) -> StorageResult<String> {
    let user = state
        .stores
        .users
        .find_users_by_phone(phone)
        .await?
        .into_iter()
        .find(|u| u.phone_verified && !u.disabled && u.birthdate.as_deref() == Some(birthdate));
    let id = new_token();
    let lang = user.as_ref().map_or(page, |u| lang_of(u, page));
    let request = EmailRequest {
        user_id: user.as_ref().map(|u| u.id.clone()),
        lang: lang.code().to_owned(),
    };
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &forgot_email_key(&id),
        &request,
        std::time::Duration::from_secs(sms_otp::CODE_TTL_SECS as u64),
    )
    .await?;
    let code = sms_otp::issue(state, EMAIL_CODE, &id).await?;
    if let (Some(code), Some(_)) = (code, &user) {
        let text = state
            .web
            .t(lang, "recover-email-code-sms", &[("code", code.into())]);
        let phone = phone.to_owned();
        let notifier = state.notifier.clone();
        // Apart from the request, so the answer takes as long with or without an account.
        tokio::spawn(async move {
            let _ = notifier.sms(&phone, &text).await;
        });
    }
    Ok(id)
}

/// Whether a forgotten-email request is still open (its id known and not expired).
pub async fn email_request_open(state: &AppState, id: &str) -> StorageResult<bool> {
    Ok(!id.is_empty() && state.ephemeral.get(&forgot_email_key(id)).await?.is_some())
}

/// Checks the code of a forgotten-email request; when right, the address goes out by SMS
/// to the account's number.
pub async fn confirm_email_request(state: &AppState, id: &str, code: &str) -> StorageResult<Check> {
    let check = sms_otp::verify(state, EMAIL_CODE, id, code).await?;
    if check != Check::Valid {
        return Ok(check);
    }
    let Some(request) =
        ephemeral::take_json::<EmailRequest>(state.ephemeral.as_ref(), &forgot_email_key(id))
            .await?
    else {
        return Ok(Check::Expired);
    };
    let user = match &request.user_id {
        Some(uid) => state.stores.users.find_user(uid).await?,
        None => None,
    };
    if let Some(user) = user
        && let Some(phone) = &user.phone
    {
        let lang = Lang::parse(&request.lang).unwrap_or(Lang::En);
        let text = state.web.t(
            lang,
            "recover-email-sms",
            &[("email", user.email.clone().into())],
        );
        let _ = state.notifier.sms(phone, &text).await;
    }
    Ok(Check::Valid)
}
