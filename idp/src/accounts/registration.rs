//! Self-service registration. The account is created only once the mobile number (SMS code)
//! and the email address (single-use link) are confirmed; until then the registration waits
//! in the ephemeral store with the argon2 hash of the password (never the password).
//!
//! An address that already has an account goes through exactly the same steps and the same
//! work (the password is hashed, a code is sent); only the email differs: its owner is told
//! that someone tried to register with it, and no link is sent.
//!
//! The emailed link creates the account only in the browser that started the registration
//! (see [`BrowserBinding`]). A click elsewhere discards the registration, so nobody can
//! register someone else's address with their own password and mobile number and wait for
//! its owner to confirm it (account pre-hijacking, Sudhodanan & Paverd 2022).

use serde::{Deserialize, Serialize};

use crate::{
    accounts::{check_password_policy, normalize_email, normalize_phone, parse_birthdate},
    authn::sms_otp::{self, Check, Sent},
    crypto::{Secret, ct_eq, new_token, token_hash},
    state::AppState,
    storage::{StorageError, StorageResult, User, ephemeral},
    web::i18n::Lang,
};

use super::notices;

/// The SMS code's purpose (see `sms_otp`).
const OTP_PURPOSE: &str = "register";

/// What the registration form sent, as typed (the passwords apart).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Entered {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub email2: String,
    pub phone: String,
    pub birthdate: String,
    /// The terms version the user accepted (the checkbox's value), if ticked.
    pub terms: Option<String>,
}

/// A field and the message key of what is wrong with it.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

/// A registration waiting for its confirmations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub phone: String,
    pub birthdate: Option<String>,
    pub password_hash: String,
    pub terms_version: String,
    pub terms_accepted_at: i64,
    /// The page language, for the messages and the new account's saved language.
    pub lang: String,
    /// The sign-in transaction to continue when done.
    pub tx: Option<String>,
    /// The address already has an account: its owner gets a notice, never a link.
    pub taken: bool,
    pub phone_verified: bool,
    /// The hash of the [`BrowserBinding`] of the browser that started it. Empty (a
    /// registration stored before bindings existed) matches no browser.
    #[serde(default)]
    pub browser: String,
}

/// The secret that ties a registration to the browser that started it: kept in a cookie
/// there, stored only hashed. The link proves the mailbox, the binding proves the person
/// who chose the password and the mobile number; only both together create the account.
pub struct BrowserBinding(Secret);

impl BrowserBinding {
    pub fn cookie_value(&self) -> &str {
        self.0.expose()
    }
}

impl Pending {
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or(Lang::En)
    }

    /// Whether `cookie` is the binding of the browser that started this registration
    /// (compared in constant time).
    pub fn started_in(&self, cookie: Option<&str>) -> bool {
        cookie.is_some_and(|c| {
            !self.browser.is_empty() && ct_eq(token_hash(c).as_bytes(), self.browser.as_bytes())
        })
    }
}

fn pending_key(id: &str) -> String {
    format!("reg:{}", token_hash(id))
}

fn link_key(token: &str) -> String {
    format!("reg-link:{}", token_hash(token))
}

fn name_ok(s: &str) -> bool {
    let n = s.chars().count();
    (1..=100).contains(&n) && !s.chars().any(char::is_control)
}

/// Checks the form. Every wrong field is named, so all messages show at once.
pub fn validate(
    state: &AppState,
    e: &Entered,
    password: &Secret,
    password2: &str,
) -> Result<(String, String, Option<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    if !name_ok(e.given_name.trim()) {
        errors.push(("given_name", "register-name-missing"));
    }
    if !name_ok(e.family_name.trim()) {
        errors.push(("family_name", "register-name-missing"));
    }
    let email = normalize_email(&e.email);
    match &email {
        None => errors.push(("email", "email-invalid")),
        Some(first) => {
            if normalize_email(&e.email2).as_ref() != Some(first) {
                errors.push(("email2", "register-emails-differ"));
            }
        }
    }
    let policy_email = email
        .clone()
        .unwrap_or_else(|| e.email.trim().to_lowercase());
    if let Err(p) = check_password_policy(&state.config.password_policy, &policy_email, password) {
        errors.push(("password", p.key()));
    } else if !crate::crypto::ct_eq(password.expose().as_bytes(), password2.as_bytes()) {
        errors.push(("password2", "passwords-differ"));
    }
    let phone = normalize_phone(&e.phone, &state.config.accounts.default_calling_code);
    if phone.is_none() {
        errors.push(("phone", "register-phone-invalid"));
    }
    let today = chrono::DateTime::from_timestamp(state.now(), 0)
        .map(|d| d.date_naive())
        .unwrap_or_default();
    let birthdate = if e.birthdate.trim().is_empty() {
        None
    } else {
        let d = parse_birthdate(&e.birthdate, today);
        if d.is_none() {
            errors.push(("birthdate", "register-birthdate-invalid"));
        }
        d
    };
    if e.terms.as_deref() != Some(state.config.accounts.terms_version.as_str()) {
        errors.push(("terms", "register-terms-required"));
    }
    match (email, phone) {
        (Some(email), Some(phone)) if errors.is_empty() => Ok((email, phone, birthdate)),
        _ => Err(errors),
    }
}

fn sms_text(state: &AppState, lang: Lang) -> impl FnOnce(&str) -> String + '_ {
    move |code| state.web.t(lang, "register-sms", &[("code", code.into())])
}

/// Stores a valid registration and sends the SMS code; returns the registration's id (the
/// browser keeps it in the form) and the browser's binding (its cookie). The same work
/// whether or not the address is taken.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    state: &AppState,
    e: &Entered,
    email: String,
    phone: String,
    birthdate: Option<String>,
    password: &Secret,
    lang: Lang,
    tx: Option<String>,
) -> StorageResult<(String, BrowserBinding, Sent)> {
    let password_hash = state
        .passwords
        .hash(password)
        .await
        .map_err(|e| StorageError::Internal(e.to_string()))?;
    let taken = state
        .stores
        .users
        .find_user_by_email(&email)
        .await?
        .is_some();
    let binding = BrowserBinding(Secret::new(new_token()));
    let pending = Pending {
        email,
        given_name: e.given_name.trim().to_owned(),
        family_name: e.family_name.trim().to_owned(),
        phone: phone.clone(),
        birthdate,
        password_hash,
        terms_version: state.config.accounts.terms_version.clone(),
        terms_accepted_at: state.now(),
        lang: lang.code().to_owned(),
        tx,
        taken,
        phone_verified: false,
        browser: token_hash(binding.cookie_value()),
    };
    let id = new_token();
    save(state, &id, &pending).await?;
    let sent = sms_otp::send(state, OTP_PURPOSE, &id, &phone, sms_text(state, lang)).await?;
    Ok((id, binding, sent))
}

async fn save(state: &AppState, id: &str, p: &Pending) -> StorageResult<()> {
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &pending_key(id),
        p,
        state.config.accounts.registration_ttl,
    )
    .await
}

pub async fn load(state: &AppState, id: &str) -> StorageResult<Option<Pending>> {
    ephemeral::get_json(state.ephemeral.as_ref(), &pending_key(id)).await
}

/// Sends a new SMS code (at most one a minute).
pub async fn resend_code(state: &AppState, id: &str, p: &Pending) -> StorageResult<Sent> {
    sms_otp::send(state, OTP_PURPOSE, id, &p.phone, sms_text(state, p.lang())).await
}

/// Checks the SMS code; when right, the phone is confirmed and the email goes out: the
/// single-use link, or for a taken address the notice to its owner.
pub async fn confirm_phone(
    state: &AppState,
    id: &str,
    mut p: Pending,
    code: &str,
) -> StorageResult<Check> {
    let check = sms_otp::verify(state, OTP_PURPOSE, id, code).await?;
    if check != Check::Valid {
        return Ok(check);
    }
    p.phone_verified = true;
    save(state, id, &p).await?;
    let lang = p.lang();
    // A failure is logged by the notifier; the page is the same either way.
    if p.taken {
        let sign_in = state.url("/account");
        let args = [("link", sign_in), ("email", p.email.clone())];
        notices::send(state, &p.email, lang, "register-taken-email", &args).await;
    } else {
        let token = new_token();
        state
            .ephemeral
            .put(
                &link_key(&token),
                id.as_bytes().to_vec(),
                state.config.accounts.registration_ttl,
            )
            .await?;
        let link = state.url(&format!("/register/confirm?token={token}"));
        let minutes = state.config.accounts.registration_ttl.as_secs() / 60;
        let args = [
            ("link", link),
            ("minutes", minutes.to_string()),
            ("name", p.given_name.clone()),
        ];
        notices::send(state, &p.email, lang, "register-email", &args).await;
    }
    Ok(Check::Valid)
}

/// The registration behind an email link, if the link is still valid (without using it).
pub async fn by_link(state: &AppState, token: &str) -> StorageResult<Option<Pending>> {
    let Some(id) = state.ephemeral.get(&link_key(token)).await? else {
        return Ok(None);
    };
    load(state, &String::from_utf8_lossy(&id)).await
}

/// What using an email link did.
pub enum Completion {
    /// The account exists, with both the email and the phone verified.
    Created(Box<User>, Box<Pending>),
    /// The link was used in another browser than the one that started the registration: the
    /// registration is discarded (its password and mobile number were chosen by whoever
    /// started it, who need not be the owner of the mailbox).
    OtherBrowser,
    /// An unknown, used or expired link, or an address taken meanwhile.
    Invalid,
}

/// Uses the email link from the browser whose binding cookie is `browser`.
pub async fn complete(
    state: &AppState,
    token: &str,
    browser: Option<&str>,
) -> StorageResult<Completion> {
    // Single use: of two clicks only one takes the link.
    let Some(id) = state.ephemeral.take(&link_key(token)).await? else {
        return Ok(Completion::Invalid);
    };
    let id = String::from_utf8_lossy(&id).into_owned();
    let Some(p) =
        ephemeral::take_json::<Pending>(state.ephemeral.as_ref(), &pending_key(&id)).await?
    else {
        return Ok(Completion::Invalid);
    };
    if !p.started_in(browser) {
        return Ok(Completion::OtherBrowser);
    }
    if p.taken || !p.phone_verified {
        return Ok(Completion::Invalid);
    }
    let now = state.now();
    let user = User {
        id: uuid::Uuid::new_v4().to_string(),
        email: p.email.clone(),
        email_verified: true,
        password_hash: Some(p.password_hash.clone()),
        given_name: Some(p.given_name.clone()),
        family_name: Some(p.family_name.clone()),
        phone: Some(p.phone.clone()),
        phone_verified: true,
        locale: Some(p.lang.clone()),
        disabled: false,
        created_at: now,
        updated_at: now,
        birthdate: p.birthdate.clone(),
        terms_version: Some(p.terms_version.clone()),
        terms_accepted_at: Some(p.terms_accepted_at),
        ..User::default()
    };
    match state.stores.users.create_user(&user).await {
        Ok(()) => Ok(Completion::Created(Box::new(user), Box::new(p))),
        // Two registrations of one address: the first to confirm wins.
        Err(StorageError::Conflict) => Ok(Completion::Invalid),
        Err(e) => Err(e),
    }
}
