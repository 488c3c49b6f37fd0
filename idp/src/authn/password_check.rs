//! The verification of a password at sign-in, for `check`: Postern's own hash or, for an
//! imported account, the old services' ones (`legacy`). `check` holds the ticket and the
//! audit around it.

use super::check::{CheckError, Refusal};
use crate::{
    crypto::Secret,
    legacy::{self, signin::LegacyProof},
    state::AppState,
    storage::{LegacyAccount, User},
};

/// What a proven secret opened.
pub(super) enum Proof {
    Account(Box<User>),
    Legacy(Box<LegacyProof>),
    Mailbox(super::check::MailboxProof),
}

/// The first step of a sign-in: Postern's own password of the account, or else an old
/// password of one of the `candidates` (each verified in its own format, costing its own
/// work). With neither, one argon2 verification of a dummy hash, as for an unknown address.
pub(super) async fn verify_sign_in(
    state: &AppState,
    candidates: legacy::signin::Candidates,
    password: &Secret,
) -> Result<Result<Proof, Refusal>, CheckError> {
    let legacy::signin::Candidates { user, accounts, .. } = candidates;
    // Postern's own password, or the dummy hash when there is none: every refusal costs at
    // least one argon2 verification, so a known old username with a cheap old hash is not
    // told apart from an unknown one by its answer's time.
    match verify_password(state, user.clone(), password).await? {
        Ok(u) => return Ok(Ok(Proof::Account(Box::new(u)))),
        Err(r) if accounts.is_empty() || r != Refusal::Password => return Ok(Err(r)),
        Err(_) => {}
    }
    let mut proven: Vec<LegacyAccount> = Vec::new();
    for a in accounts {
        let Some(hash) = a.password_hash.as_deref() else {
            continue;
        };
        let valid = state
            .passwords
            .verify_legacy(password, hash)
            .await
            .map_err(|_| CheckError::Internal)?;
        if valid {
            proven.push(a);
        }
    }
    // Accounts of one identity are one person; a username of two people (in two services)
    // with the same old password needs the service chosen.
    let mut owners: Vec<Option<&str>> = proven.iter().map(|a| a.user_id.as_deref()).collect();
    owners.sort_unstable();
    owners.dedup();
    let pending = proven.iter().filter(|a| a.user_id.is_none()).count();
    if owners.len() > 1 || pending > 1 {
        return Ok(Err(Refusal::ChooseService));
    }
    let Some(account) = proven.into_iter().next() else {
        return Ok(Err(Refusal::Password));
    };
    let owner = match &account.user_id {
        Some(id) if user.as_ref().is_some_and(|u| &u.id == id) => user,
        Some(id) => state.stores.users.find_user(id).await?,
        None => None,
    };
    match owner {
        Some(u) if u.disabled => Ok(Err(Refusal::Password)),
        // An identity that vanished (erased) takes its old logins with it.
        None if account.user_id.is_some() => Ok(Err(Refusal::Password)),
        user => Ok(Ok(Proof::Legacy(Box::new(LegacyProof { account, user })))),
    }
}

/// `user` when `password` is its password and the account may sign in.
pub(super) async fn verify_password(
    state: &AppState,
    user: Option<User>,
    password: &Secret,
) -> Result<Result<User, Refusal>, CheckError> {
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let check = state
        .passwords
        .verify(password, stored)
        .await
        .map_err(|_| CheckError::Internal)?;
    let Some(user) = user.filter(|u| check.valid && !u.disabled) else {
        return Ok(Err(Refusal::Password));
    };
    if user
        .password_expires_at
        .is_some_and(|expiry| state.now() >= expiry)
    {
        return Ok(Err(Refusal::TemporaryExpired));
    }
    // A password about to be replaced is not worth a rehash, and storing one would end the
    // required change (`set_password_hash` stores a chosen password).
    if check.needs_rehash && !user.password_change_required {
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
