//! Counter credentials: a temporary password handed over in person (shown once, valid for
//! `accounts.temporary_password_ttl`, replaced at the first sign-in), and a password
//! change required at the next sign-in. The sign-in side is `authn::check` and
//! `authn::policy::password_change`.

use rand::Rng;

use super::assurance::{AssuranceError, account, audited};
use crate::{
    accounts,
    audit::{Actor, RequestMeta},
    authn::lockout,
    crypto::Secret,
    state::AppState,
    storage::{PasswordKind, StorageError, User},
};

/// Letters and digits nobody confuses when reading them aloud or off a slip of paper (no
/// 0/o, 1/l/i).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const GROUPS: usize = 4;
const GROUP_LEN: usize = 4;

/// A random password of 4 groups of 4 (`k7mq-3xtr-…`): 16 characters of 31, about 79 bits,
/// from the operating system's generator.
pub fn readable_password() -> Secret {
    let mut rng = rand::rngs::OsRng;
    let groups: Vec<String> = (0..GROUPS)
        .map(|_| {
            (0..GROUP_LEN)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    Secret::new(groups.join("-"))
}

/// A temporary password, to be shown once.
#[derive(Debug)]
pub struct Issued {
    pub user: User,
    pub password: Secret,
    pub expires_at: i64,
}

/// Replaces the password of account `id` with a new temporary one. Like a reset by the
/// owner, it ends every session and grant (whoever held the old password is out) and
/// lifts a lock (the person was just checked in front of the counter).
pub async fn issue_temporary_password(
    state: &AppState,
    id: &str,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<Issued, AssuranceError> {
    let mut user = account(state, id).await?;
    let password = readable_password();
    let hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(|_| StorageError::Internal("password hashing failed".into()))?;
    let now = state.now();
    let expires_at = now + state.config.accounts.temporary_password_ttl.as_secs() as i64;
    let kind = PasswordKind::Temporary { expires_at };
    if !state
        .stores
        .users
        .set_password(id, None, &hash, kind, now)
        .await?
    {
        return Err(AssuranceError::NotFound);
    }
    // Handed over at a counter, it replaces every password, the old services' too.
    state
        .stores
        .legacy
        .retire_user_legacy_passwords(id, now)
        .await?;
    accounts::revoke_everything(state, id).await?;
    lockout::unlock(state, &user.email).await?;
    user.password_hash = Some(hash);
    user.password_change_required = true;
    user.password_expires_at = Some(expires_at);
    user.updated_at = now;
    audited(state, &user, actor, meta, "temporary password".into()).await;
    Ok(Issued {
        user,
        password,
        expires_at,
    })
}

/// Requires account `id` to choose a new password at its next sign-in, before the sign-in
/// completes. The current password keeps working for that sign-in. Every session and grant
/// ends now: an operator asks for this after a suspected compromise, and a session opened
/// before (perhaps the intruder's) would otherwise never meet the sign-in that enforces it.
pub async fn require_password_change(
    state: &AppState,
    id: &str,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, AssuranceError> {
    let mut user = account(state, id).await?;
    let now = state.now();
    match state
        .stores
        .users
        .require_password_change(id, true, now)
        .await
    {
        Err(StorageError::NotFound) => return Err(AssuranceError::NotFound),
        r => r?,
    }
    accounts::revoke_everything(state, id).await?;
    user.password_change_required = true;
    user.updated_at = now;
    audited(state, &user, actor, meta, "password change required".into()).await;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_are_readable_and_differ() {
        let a = readable_password();
        let b = readable_password();
        assert_ne!(a.expose(), b.expose());
        let groups: Vec<&str> = a.expose().split('-').collect();
        assert_eq!(groups.len(), GROUPS);
        for g in groups {
            assert_eq!(g.len(), GROUP_LEN);
            assert!(g.bytes().all(|c| ALPHABET.contains(&c)));
        }
    }
}
