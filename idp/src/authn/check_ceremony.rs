//! The proofs `check` hands on whose ceremony is their own: a passkey assertion, which says
//! whose account it claims (so the lockout is taken after it), and the first code of an
//! authenticator app enrolled during sign-in (which proves the enrolling person's own new
//! secret, so it takes no lockout ticket). The audit and lockout steps are `check`'s.

use webauthn_rs::prelude::PublicKeyCredential;

use super::check::{CheckError, Checked, Refusal, detail, entry, failed};
use crate::{
    audit::{self, Entry, Outcome, RequestMeta},
    authn::{
        lockout::{self, Gate},
        passkey::{self, PasskeyError},
        step_up::Factor,
        totp,
    },
    state::AppState,
    storage::User,
};

/// The first code of an app enrolled during sign-in: the enrolment and the sign-in with it
/// are audited here.
pub(super) async fn check_new_totp(
    state: &AppState,
    user: &User,
    session: &str,
    code: &str,
    meta: &RequestMeta,
) -> Result<Checked, CheckError> {
    if !totp::confirm_enrolment(state, &user.id, session, code).await? {
        return Ok(Checked::Refused(Refusal::TotpWrong));
    }
    let enrolled = Entry {
        kind: audit::FACTOR_ENROLLED,
        ..entry(Outcome::Success, &user.email, Some(&user.id), meta, "totp")
    };
    audit::record(state, enrolled).await;
    let d = "second factor: new totp";
    audit::record(
        state,
        entry(Outcome::Success, &user.email, Some(&user.id), meta, d),
    )
    .await;
    Ok(Checked::Proven {
        user: Box::new(user.clone()),
        factor: Factor::Totp,
    })
}

/// A passkey: the assertion tells whose account it claims, so the lockout comes after it.
/// A proven passkey ends the failure count like any success; a refused assertion for a
/// known credential counts against its owner.
pub(super) async fn check_passkey(
    state: &AppState,
    flow: &str,
    response: &PublicKeyCredential,
    meta: &RequestMeta,
) -> Result<Checked, CheckError> {
    let outcome = passkey::finish_authentication(state, flow, response).await;
    let owner = match &outcome {
        Ok(id) => Some(id.clone()),
        Err(r) => r.owner.clone(),
    };
    let user = match owner {
        Some(id) => state.stores.users.find_user(&id).await?,
        None => None,
    };
    let Some(user) = user else {
        let refusal = match outcome {
            Err(r) => passkey_refusal(r.error)?,
            Ok(_) => Refusal::PasskeyUnknown,
        };
        audit::record(
            state,
            Entry {
                kind: audit::SIGN_IN,
                outcome: Outcome::Failure,
                meta: Some(meta),
                detail: Some("passkey".into()),
                ..Default::default()
            },
        )
        .await;
        return Ok(Checked::Refused(refusal));
    };
    // A lock stops passkeys too: the lock is the account's, whatever the credential.
    let ticket = match lockout::enter(state, &user.email).await? {
        Gate::Open(t) => lockout::Held::new(state, t),
        Gate::Locked(until) => {
            audit::record(
                state,
                entry(Outcome::Failure, &user.email, None, meta, "locked"),
            )
            .await;
            return Ok(Checked::Locked(until));
        }
    };
    match outcome {
        Ok(_) if user.disabled => {
            lockout::succeeded(state, ticket.ticket()).await?;
            ticket.done();
            Ok(Checked::Refused(Refusal::AccountBlocked))
        }
        Ok(_) => {
            lockout::succeeded(state, ticket.ticket()).await?;
            ticket.done();
            let d = detail(Factor::Passkey);
            audit::record(
                state,
                entry(Outcome::Success, &user.email, Some(&user.id), meta, d),
            )
            .await;
            Ok(Checked::Proven {
                user: Box::new(user),
                factor: Factor::Passkey,
            })
        }
        Err(r) => {
            let refusal = passkey_refusal(r.error)?;
            let email = user.email.clone();
            let checked = failed(
                state,
                ticket.ticket(),
                &email,
                Some(&user.id),
                meta,
                detail(Factor::Passkey),
                refusal,
            )
            .await;
            ticket.done();
            checked
        }
    }
}

fn passkey_refusal(e: PasskeyError) -> Result<Refusal, CheckError> {
    Ok(match e {
        PasskeyError::Expired => Refusal::PasskeyExpired,
        PasskeyError::UnknownCredential => Refusal::PasskeyUnknown,
        PasskeyError::Rejected => Refusal::PasskeyRejected,
        PasskeyError::Disabled => return Err(CheckError::PasskeysOff),
        PasskeyError::Storage(s) => return Err(CheckError::Storage(s)),
    })
}
