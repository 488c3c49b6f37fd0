//! The password itself: verified with the same argon2 work whether or not the account
//! exists, and re-hashed when the parameters changed. The steps around it (rate limit,
//! lockout, audit) are `check`'s.

use crate::{
    accounts::normalize_email,
    authn::check::{CheckError, Refusal},
    crypto::Secret,
    state::AppState,
    storage::User,
};

/// The key an attempt is counted under: the normalised address, or for input that is not
/// an address, the trimmed lower-cased input (it gets locked all the same).
pub fn attempt_identifier(email: &str) -> String {
    normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase())
}

/// The account of `email` when `password` is its password and the account may sign in.
pub(super) async fn verify_password(
    state: &AppState,
    email: &str,
    password: &Secret,
) -> Result<Result<User, Refusal>, CheckError> {
    let user = state.stores.users.find_user_by_email(email).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let check = state
        .passwords
        .verify(password, stored)
        .await
        .map_err(|_| CheckError::Internal)?;
    let Some(user) = user.filter(|u| check.valid && !u.disabled) else {
        return Ok(Err(Refusal::Password));
    };
    if check.needs_rehash {
        // Parameters changed since this hash was made: upgrade it now that we know the
        // password. A failure here must not fail the sign-in.
        if let Ok(h) = state.passwords.hash(password).await
            && let Err(e) = state
                .stores
                .users
                .set_password_hash(&user.id, &h, state.now())
                .await
        {
            tracing::warn!(error = %e, "could not store a re-hashed password");
        }
    }
    Ok(Ok(user))
}
