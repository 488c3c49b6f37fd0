//! The first sign-in of an imported account. The person types their email address or (until
//! `migration.cutover`) an old username, and an old password; `authn::check` verifies it
//! like any password (same rate limits, lockout and audit), each hash in its own format.
//! What follows is here: the address is confirmed with an emailed code unless the old
//! service had confirmed it (an account without one adds one first), then a new password is
//! chosen under the policy. Only then are the old hashes deleted and the argon2id hash
//! stored, and the sign-in goes on as after any password.
//!
//! An old service that never checked addresses may hold someone else's address: the code
//! proves the mailbox before a password of that service can open the identity of that
//! address.

use serde::{Deserialize, Serialize};

use crate::{
    accounts::{PolicyError, check_password_policy},
    audit::{self, RequestMeta},
    authn::{check::MailboxProof, sms_otp},
    crypto::{Secret, ct_eq, new_token, token_hash},
    model::contact::normalize_email,
    notices::{self, What},
    state::AppState,
    storage::{
        LegacyAccount, LegacyKey, PasswordKind, StorageError, StorageResult, User,
        legacy::username_key,
    },
    web::i18n::Lang,
};

/// The purpose of the emailed codes (see `sms_otp`).
pub const CODE_PURPOSE: &str = "legacy_email";

/// What one typed identifier may open.
#[derive(Debug, Default)]
pub struct Candidates {
    /// The key its attempts are counted and locked under: the identity's address when the
    /// identifier leads to one, so an old username and the address share one lockout.
    pub lock_key: String,
    /// The account of the address typed (or the one identity all usernames lead to).
    pub user: Option<User>,
    /// Old accounts whose password may be the one typed.
    pub accounts: Vec<LegacyAccount>,
    /// The identifier leads to more than one person (one username in several services,
    /// none chosen): `lock_key` is then the identifier's, and no one's success clears it.
    pub shared: bool,
}

/// What `typed` (an address, or an old username in `service` or in any) may open at `now`.
/// Usernames count only before the cut-over; the caller shows the cut-over page for them.
pub async fn candidates(
    state: &AppState,
    typed: &str,
    service: Option<&str>,
) -> StorageResult<Candidates> {
    let fallback = crate::authn::lockout::attempt_identifier(typed);
    let legacy = &state.stores.legacy;
    let mut accounts = Vec::new();
    let mut user = None;
    if let Some(email) = normalize_email(typed) {
        user = state.stores.users.find_user_by_email(&email).await?;
        if let Some(u) = &user {
            accounts = legacy.legacy_of_user(&u.id).await?;
        }
    }
    // An old username may itself look like an address.
    if state.config.migration.usernames_open(state.now()) {
        for a in legacy
            .legacy_by_username(&username_key(typed), service)
            .await?
        {
            if !accounts.iter().any(|b| b.key() == a.key()) {
                accounts.push(a);
            }
        }
    }
    accounts.retain(|a| a.password_hash.is_some());
    // Whose the accounts are: an identity, or each pending account on its own.
    let mut owners: Vec<(Option<&str>, Option<LegacyKey>)> = accounts
        .iter()
        .map(|a| match &a.user_id {
            Some(id) => (Some(id.as_str()), None),
            None => (None, Some(a.key())),
        })
        .collect();
    owners.sort();
    owners.dedup();
    let shared = owners.len() > 1
        || (user.is_some()
            && owners
                .iter()
                .any(|(id, _)| *id != user.as_ref().map(|u| u.id.as_str())));
    if user.is_none()
        && let [(Some(id), None)] = owners.as_slice()
    {
        user = state.stores.users.find_user(id).await?;
    }
    let lock_key = match &user {
        Some(u) if !shared => u.email.clone(),
        _ => fallback,
    };
    Ok(Candidates {
        lock_key,
        user,
        accounts,
        shared,
    })
}

/// An old password proven at sign-in: the account it belongs to, and its identity (`None`
/// while the account waits for an address).
#[derive(Debug, Clone)]
pub struct LegacyProof {
    pub account: LegacyAccount,
    pub user: Option<User>,
}

/// A first sign-in under way (kept in the sign-in transaction). Never holds a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Migrating {
    pub key: LegacyKey,
    /// SHA-256 of the proven old hash: the change is refused once it is gone.
    replaces: String,
    pub user_id: Option<String>,
    /// The address being confirmed, or the identity's.
    pub email: Option<String>,
    pub confirmed: bool,
    /// Keys this sign-in's emailed codes.
    code_key: String,
}

/// The page a first sign-in is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The account has no address: ask for one.
    AddEmail,
    /// A code went to `email`.
    Code,
    NewPassword,
}

impl Migrating {
    pub fn step(&self) -> Step {
        match (&self.email, self.confirmed) {
            (None, _) => Step::AddEmail,
            (Some(_), false) => Step::Code,
            (Some(_), true) => Step::NewPassword,
        }
    }

    /// What the code for the address being confirmed is sent under.
    pub fn code_subject(&self) -> Option<String> {
        self.email
            .as_ref()
            .map(|e| format!("{}:{e}", self.code_key))
    }

    /// What wrong codes count on: the identity's address, or while the old account has no
    /// identity the account itself (never the address typed, which may be anyone's: wrong
    /// codes must not lock a stranger out).
    pub fn lock_key(&self) -> String {
        match (&self.user_id, &self.email) {
            (Some(_), Some(email)) => email.clone(),
            _ => format!("legacy:{}:{}", self.key.service, self.key.username_key),
        }
    }
}

/// Whether the address must be confirmed with the emailed code before `proof` may lead to
/// a new password. Only the old service's own word spares it, for the address it had, when
/// that is the identity's address, and only while the identity has no password of Postern's
/// own. That the identity's address is confirmed says nothing: an old service that never
/// checked addresses may have let anyone register someone's address, and that account's
/// password must not open its owner's identity without the code; nor may an old password
/// alone replace one the owner chose here.
pub fn needs_code(proof: &LegacyProof) -> bool {
    let a = &proof.account;
    !proof.user.as_ref().is_some_and(|u| {
        u.password_hash.is_none()
            && a.email_verified
            && a.email.as_deref() == Some(u.email.as_str())
    })
}

/// Starts the first sign-in after `proof`; sends the code when the address needs one.
pub async fn begin(state: &AppState, proof: &LegacyProof, lang: Lang) -> StorageResult<Migrating> {
    let a = &proof.account;
    let email = proof.user.as_ref().map(|u| u.email.clone());
    let confirmed = !needs_code(proof);
    let m = Migrating {
        key: a.key(),
        replaces: token_hash(a.password_hash.as_deref().unwrap_or_default()),
        user_id: proof.user.as_ref().map(|u| u.id.clone()),
        email,
        confirmed,
        code_key: new_token(),
    };
    if m.step() == Step::Code {
        send_code(state, &m, lang).await?;
    }
    Ok(m)
}

/// Sends a code to the address being confirmed; false when one went out less than a minute
/// ago (that one is still the one to enter).
pub async fn send_code(state: &AppState, m: &Migrating, lang: Lang) -> StorageResult<bool> {
    let (Some(subject), Some(to)) = (m.code_subject(), m.email.as_deref()) else {
        return Ok(false);
    };
    let Some(code) = sms_otp::issue(state, CODE_PURPOSE, &subject).await? else {
        return Ok(false);
    };
    let body = state.web.t(
        lang,
        "contact-email-code",
        &[("code", code.as_str().into())],
    );
    let title = state.web.t(lang, "contact-email-code.subject", &[]);
    if state.notifier.email(to, &title, &body).await.is_err() {
        sms_otp::not_delivered(state, CODE_PURPOSE, &subject).await?;
    }
    Ok(true)
}

/// The address a pending account's owner typed; a code goes to it. Whether it already has
/// an account is not told here: the code proves the mailbox, and the account of that
/// address then takes the old login in.
pub async fn add_email(
    state: &AppState,
    m: &mut Migrating,
    typed: &str,
    lang: Lang,
) -> Result<(), &'static str> {
    if m.user_id.is_some() {
        return Err("email-invalid");
    }
    let email = normalize_email(typed).ok_or("email-invalid")?;
    m.email = Some(email);
    m.confirmed = false;
    send_code(state, m, lang)
        .await
        .map_err(|_| "error-unavailable")?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(transparent)]
    Policy(PolicyError),
    #[error("the new password must differ from the old one")]
    Same,
    /// Another browser finished this first sign-in meanwhile, or the account is gone or
    /// disabled: sign in again.
    #[error("the old password is no longer valid")]
    Stale,
    #[error("password hashing failed")]
    Hash,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The address is confirmed (`authn::check` checked the code): a pending account is then
/// joined to the account of that address, or to a new identity made from its old details.
pub async fn confirm(
    state: &AppState,
    m: &mut Migrating,
    proof: MailboxProof,
    meta: &RequestMeta,
) -> Result<(), MigrationError> {
    let (Some(subject), Some(email)) = (m.code_subject(), m.email.clone()) else {
        return Err(MigrationError::Stale);
    };
    if !ct_eq(proof.subject().as_bytes(), subject.as_bytes()) {
        return Err(MigrationError::Stale);
    }
    let account = current(state, m).await?;
    let user = match &m.user_id {
        Some(id) => state.stores.users.find_user(id).await?,
        None => Some(join(state, &account, &email, meta).await?),
    };
    let Some(mut user) = user.filter(|u| !u.disabled) else {
        return Err(MigrationError::Stale);
    };
    if !user.email_verified && user.email == email {
        user.email_verified = true;
        user.updated_at = state.now();
        state.stores.users.update_user(&user).await?;
    }
    m.user_id = Some(user.id);
    m.confirmed = true;
    Ok(())
}

/// The old account as stored, if the password this sign-in proved is still its own.
async fn current(state: &AppState, m: &Migrating) -> Result<LegacyAccount, MigrationError> {
    let found = state
        .stores
        .legacy
        .find_legacy(std::slice::from_ref(&m.key))
        .await?;
    found
        .into_iter()
        .find(|a| {
            a.password_hash
                .as_deref()
                .is_some_and(|h| ct_eq(token_hash(h).as_bytes(), m.replaces.as_bytes()))
        })
        .ok_or(MigrationError::Stale)
}

/// Joins a pending account to the identity of `email`, made from its old details when there
/// is none yet.
async fn join(
    state: &AppState,
    account: &LegacyAccount,
    email: &str,
    meta: &RequestMeta,
) -> Result<User, MigrationError> {
    // Taken in by another browser meanwhile: nothing is made for this address.
    if account.user_id.is_some() {
        return Err(MigrationError::Stale);
    }
    let users = &state.stores.users;
    let mut made = None;
    let user = match users.find_user_by_email(email).await? {
        Some(u) => u,
        None => {
            let now = state.now();
            let new = User {
                id: uuid::Uuid::new_v4().to_string(),
                email: email.to_owned(),
                email_verified: true,
                given_name: account.given_name.clone(),
                family_name: account.family_name.clone(),
                phone: account.phone.clone(),
                created_at: now,
                updated_at: now,
                ..User::default()
            };
            match users.create_user(&new).await {
                Ok(()) => {
                    made = Some(new.id.clone());
                    new
                }
                // Made by a concurrent sign-in or registration a moment ago.
                Err(StorageError::Conflict) => users
                    .find_user_by_email(email)
                    .await?
                    .ok_or(MigrationError::Stale)?,
                Err(e) => return Err(e.into()),
            }
        }
    };
    if !state
        .stores
        .legacy
        .attach_legacy(&account.key(), &user.id)
        .await?
    {
        // Another browser attached it first: the identity made here holds nothing.
        if let Some(id) = made {
            state.stores.accounts.erase_user(&id).await?;
        }
        return Err(MigrationError::Stale);
    }
    if made.is_some() {
        let d = "from a legacy account";
        audit::user_success(state, &user, meta, audit::ACCOUNT_CREATED, d).await;
    }
    Ok(user)
}

/// Stores `password` as the identity's, in place of every old one; returns the account,
/// ready for its session.
pub async fn finish(
    state: &AppState,
    m: &Migrating,
    password: &Secret,
    meta: &RequestMeta,
) -> Result<User, MigrationError> {
    let (true, Some(user_id)) = (m.confirmed, m.user_id.as_deref()) else {
        return Err(MigrationError::Stale);
    };
    let account = current(state, m).await?;
    let Some(mut user) = state.stores.users.find_user(user_id).await? else {
        return Err(MigrationError::Stale);
    };
    if user.disabled || account.user_id.as_deref() != Some(user_id) {
        return Err(MigrationError::Stale);
    }
    check_password_policy(&state.config.password_policy, &user.email, password)
        .map_err(MigrationError::Policy)?;
    let old = account.password_hash.clone().unwrap_or_default();
    let passwords = &state.passwords;
    if passwords
        .verify_legacy(password, &old)
        .await
        .map_err(|_| MigrationError::Hash)?
    {
        return Err(MigrationError::Same);
    }
    let hash = passwords
        .hash(password)
        .await
        .map_err(|_| MigrationError::Hash)?;
    let now = state.now();
    let legacy = &state.stores.legacy;
    // The conditional removal decides which of two browsers finishing at once wins.
    if !legacy.retire_legacy_password(&m.key, &old, now).await? {
        return Err(MigrationError::Stale);
    }
    let kind = PasswordKind::Chosen;
    state
        .stores
        .users
        .set_password(&user.id, None, &hash, kind, now)
        .await?;
    let others = legacy.retire_user_legacy_passwords(&user.id, now).await?;
    // As after a reset: whatever was signed in before ends, and the proven mailbox and
    // new password lift any lock the address had.
    crate::accounts::revoke_everything(state, &user.id).await?;
    crate::authn::lockout::unlock(state, &user.email).await?;
    user.password_hash = Some(hash);
    user.password_change_required = false;
    user.password_expires_at = None;
    user.updated_at = now;
    let detail = format!(
        "{}/{}; {} other legacy passwords removed",
        account.service, account.username, others
    );
    audit::user_success(state, &user, meta, audit::LEGACY_MIGRATION, &detail).await;
    notices::security_notice(state, &user, What::PasswordChanged).await;
    Ok(user)
}
