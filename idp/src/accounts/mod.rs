//! Accounts: creation and the rules every account follows.

pub mod deletion;
pub use crate::notices;
pub mod profile;
pub mod recovery;
pub mod registration;

pub use crate::model::contact::{is_calling_code, is_e164, normalize_email, normalize_phone};
use crate::{
    crypto::Secret,
    state::AppState,
    storage::{StorageError, User},
};

/// A birth date as `YYYY-MM-DD`: a real date, not in the future, at most 130 years ago.
/// `today` is the server's date.
pub fn parse_birthdate(raw: &str, today: chrono::NaiveDate) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()?;
    let oldest = today.checked_sub_months(chrono::Months::new(130 * 12))?;
    (d <= today && d >= oldest).then(|| d.format("%Y-%m-%d").to_string())
}

/// Why a password is refused. The same rules apply on every page that sets one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the password must have at least {0} characters")]
    TooShort(usize),
    #[error("the password must not contain the email address")]
    ContainsEmail,
    #[error("the password is too easy to guess; add more words or characters")]
    TooWeak,
}

impl PolicyError {
    /// The message key of the catalogue (its argument is `min`).
    pub fn key(&self) -> &'static str {
        match self {
            PolicyError::TooShort(_) => "password-too-short",
            PolicyError::ContainsEmail => "password-contains-email",
            PolicyError::TooWeak => "password-too-weak",
        }
    }
}

/// The password rules every place that sets a password applies: a minimum length, a
/// strength estimate (zxcvbn, which knows common passwords, keyboard patterns, dates and
/// the user's own data) and not containing the email address.
pub fn check_password_policy(
    policy: &crate::config::PasswordPolicy,
    email: &str,
    password: &Secret,
) -> Result<(), PolicyError> {
    let pw = password.expose();
    if pw.chars().count() < policy.min_length {
        return Err(PolicyError::TooShort(policy.min_length));
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if local.len() >= 3 && pw.to_lowercase().contains(&local) {
        return Err(PolicyError::ContainsEmail);
    }
    let estimate = zxcvbn::zxcvbn(pw, &[email, &local]);
    if u8::from(estimate.score()) < policy.min_score {
        return Err(PolicyError::TooWeak);
    }
    Ok(())
}

/// Ends every session of the user and revokes every grant, which makes their refresh and
/// access tokens invalid (password reset, account deletion).
pub async fn revoke_everything(state: &AppState, user_id: &str) -> Result<(), StorageError> {
    crate::authn::session::end_all_for_user(state, user_id).await?;
    state
        .stores
        .grants
        .revoke_user_grants(user_id, state.now())
        .await?;
    Ok(())
}

/// A new password, after the current one was proven: stored, and (unless the person chose
/// to keep them) every other session of the user ends and every grant is revoked, so a thief
/// who knew the old password loses the sessions and refresh tokens it got them.
pub async fn change_password(
    state: &AppState,
    user: &User,
    hash: &str,
    this_session: &str,
    keep_others: bool,
) -> Result<(), StorageError> {
    state
        .stores
        .users
        .set_password_hash(&user.id, hash, state.now())
        .await?;
    // A password of Postern's own replaces the old services' ones (`legacy`).
    let legacy = &state.stores.legacy;
    legacy
        .retire_user_legacy_passwords(&user.id, state.now())
        .await?;
    if keep_others {
        return Ok(());
    }
    for s in crate::authn::session::list_for_user(state, &user.id).await? {
        if s.id != this_session {
            crate::authn::session::end_by_sid(state, &user.id, &s.id).await?;
        }
    }
    state
        .stores
        .grants
        .revoke_user_grants(&user.id, state.now())
        .await?;
    Ok(())
}

/// The user withdraws their consent to `client_id`: the consent goes, with every grant (so
/// every refresh and access token) of that client, and the audit trail says so. False when
/// there was no consent to withdraw.
pub async fn revoke_service(
    state: &AppState,
    user: &User,
    client_id: &str,
    meta: &crate::audit::RequestMeta,
) -> Result<bool, StorageError> {
    let consents = &state.stores.consents;
    if consents.find_consent(&user.id, client_id).await?.is_none() {
        return Ok(false);
    }
    consents.revoke_consent(&user.id, client_id).await?;
    let grants = state
        .stores
        .grants
        .revoke_client_grants(Some(&user.id), client_id, state.now())
        .await?;
    crate::audit::record(
        state,
        crate::audit::Entry {
            kind: crate::audit::CONSENT_REVOKED,
            outcome: crate::audit::Outcome::Success,
            user_id: Some(&user.id),
            email: Some(&user.email),
            client_id: Some(client_id),
            meta: Some(meta),
            detail: Some(format!("from the console; {grants} grants revoked")),
            ..Default::default()
        },
    )
    .await;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("{0:?} is not a valid email address")]
    BadEmail(String),
    #[error("{0:?} is not a phone number in E.164 form (+41791234567)")]
    BadPhone(String),
    #[error(transparent)]
    WeakPassword(PolicyError),
    #[error("an account with this email already exists")]
    Exists,
    #[error(transparent)]
    Storage(StorageError),
    #[error("password hashing failed")]
    Hash,
}

pub struct NewUser {
    pub email: String,
    pub password: Secret,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone: Option<String>,
}

/// Creates an account entered by an operator: the email and phone count as verified.
pub async fn create_user(state: &AppState, new: NewUser) -> Result<User, CreateUserError> {
    let email =
        normalize_email(&new.email).ok_or_else(|| CreateUserError::BadEmail(new.email.clone()))?;
    if let Some(p) = &new.phone
        && !is_e164(p)
    {
        return Err(CreateUserError::BadPhone(p.clone()));
    }
    check_password_policy(&state.config.password_policy, &email, &new.password)
        .map_err(CreateUserError::WeakPassword)?;
    let hash = state
        .passwords
        .hash(&new.password)
        .await
        .map_err(|_| CreateUserError::Hash)?;
    let now = state.now();
    let user = User {
        id: uuid::Uuid::new_v4().to_string(),
        email,
        email_verified: true,
        password_hash: Some(hash),
        given_name: new.given_name,
        family_name: new.family_name,
        phone_verified: new.phone.is_some(),
        phone: new.phone,
        locale: None,
        disabled: false,
        created_at: now,
        updated_at: now,
        ..User::default()
    };
    match state.stores.users.create_user(&user).await {
        Ok(()) => Ok(user),
        Err(StorageError::Conflict) => Err(CreateUserError::Exists),
        Err(e) => Err(CreateUserError::Storage(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            normalize_email("  Anna.Muster@Post.CH ").as_deref(),
            Some("anna.muster@post.ch")
        );
        assert!(normalize_email("no-at-sign").is_none());
        assert!(normalize_email("a@b").is_none());
        assert!(normalize_email("a b@c.ch").is_none());
        assert!(is_e164("+41791234567"));
        assert!(!is_e164("0791234567"));
    }

    #[test]
    fn phones_and_birth_dates() {
        for raw in [
            "+41 79 123 45 67",
            "0041791234567",
            "079 123 45 67",
            "079/123.45-67",
        ] {
            assert_eq!(
                normalize_phone(raw, "+41").as_deref(),
                Some("+41791234567"),
                "{raw}"
            );
        }
        assert_eq!(normalize_phone("079 123 45 67", ""), None);
        assert_eq!(normalize_phone("+41 79", "+41"), None);
        assert_eq!(normalize_phone("hello", "+41"), None);
        assert_eq!(normalize_phone("+41 79x1234567", "+41"), None);
        assert!(is_calling_code("+358") && !is_calling_code("41") && !is_calling_code("+0"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            parse_birthdate("1980-02-29", today).as_deref(),
            Some("1980-02-29")
        );
        for bad in ["1981-02-29", "2027-01-01", "1850-01-01", "23.11.1980", ""] {
            assert_eq!(parse_birthdate(bad, today), None, "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        let policy = crate::config::PasswordPolicy {
            min_length: 10,
            min_score: 3,
        };
        let check =
            |pw: &str| check_password_policy(&policy, "anna.muster@post.ch", &Secret::new(pw));
        assert_eq!(check("short"), Err(PolicyError::TooShort(10)));
        assert_eq!(check("password123"), Err(PolicyError::TooWeak));
        assert_eq!(check("qwertyuiop"), Err(PolicyError::TooWeak));
        assert_eq!(check("xxanna.muster!!99"), Err(PolicyError::ContainsEmail));
        assert!(check("correct horse battery staple").is_ok());
        assert!(check("Lugano-Bellinzona 1847 Gotthard").is_ok());
        // The dev profile seeds its demo user through the same rules.
        use crate::admin::seed::{DEMO_EMAIL, DEMO_PASSWORD};
        let defaults = crate::Config::default().password_policy;
        assert!(check_password_policy(&defaults, DEMO_EMAIL, &Secret::new(DEMO_PASSWORD)).is_ok());
    }
}
