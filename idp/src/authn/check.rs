//! The one place where a credential is checked. Every kind goes through the same steps, in
//! this order: the rate limit, the lockout ticket, the verification, success or failure on
//! the ticket, the audit entry and the metric. HTTP handlers parse a request, call
//! [`check`], and render what it says; they never hold a lockout ticket or write a sign-in
//! audit entry.
//!
//! Unknown accounts cost the same work and get the same answers as known ones, and every
//! refusal of a kind has one message, so nothing tells whether an address has an account.

use webauthn_rs::prelude::PublicKeyCredential;

use crate::{
    audit::{self, Entry, Outcome, RequestMeta},
    authn::{
        lockout::{self, AfterFailure, Gate, TicketId},
        recovery_codes, reset_link, sms_otp,
        step_up::Factor,
        totp::{self, TotpCheck},
    },
    crypto::Secret,
    legacy::{self, signin::LegacyProof},
    ratelimit::{self, LimitError, Limited},
    state::AppState,
    storage::{StorageError, User},
};

use super::{
    check_ceremony::{check_new_totp, check_passkey},
    password_check::{Proof, verify_password, verify_sign_in},
};

/// What someone offers as proof.
pub enum Attempt<'a> {
    /// The first step of a sign-in: an address (or, before the cut-over, an old username,
    /// in `service` or in any) and its password, Postern's own or an old one
    /// (`legacy::signin`).
    Password {
        email: &'a str,
        service: Option<&'a str>,
        password: &'a Secret,
    },
    /// The password of a signed-in user again (a change of password asks for it).
    CurrentPassword {
        user: &'a User,
        password: &'a Secret,
    },
    /// A second factor of a signed-in user.
    Sms {
        user: &'a User,
        code: &'a str,
    },
    Totp {
        user: &'a User,
        code: &'a str,
    },
    RecoveryCode {
        user: &'a User,
        code: &'a str,
    },
    /// The first code of an authenticator app being enrolled during sign-in (by a user with
    /// no second factor at all): it proves the new factor. The secret is the enrolling
    /// person's own, so a wrong code says nothing about the account and takes no lockout
    /// ticket.
    NewTotp {
        user: &'a User,
        session: &'a str,
        code: &'a str,
    },
    /// The SMS code of a new-password link (`link` is the code's key): whoever guesses it
    /// holds the mailbox, not the phone, so wrong codes count against the account like wrong
    /// passwords. A permanent lock does not stop it, since the link is the way out of one.
    ResetCode {
        user: &'a User,
        link: &'a str,
        code: &'a str,
    },
    /// The code emailed to confirm an address at the first sign-in of an imported account
    /// (`legacy::signin`), sent under `subject`. Whoever guesses it holds the mailbox, so
    /// wrong codes count on `lock_key` (the identity's address, or the old account's own
    /// key while it has no identity) like wrong passwords, across resends and sign-ins.
    EmailCode {
        lock_key: &'a str,
        subject: &'a str,
        code: &'a str,
    },
    /// A passkey assertion for the ceremony of sign-in `flow`.
    Passkey {
        flow: &'a str,
        response: &'a PublicKeyCredential,
    },
}

impl Attempt<'_> {
    fn factor(&self) -> Factor {
        match self {
            Attempt::Password { .. } | Attempt::CurrentPassword { .. } => Factor::Password,
            // A one-time code; `check_secret` names the email code in the audit itself.
            Attempt::Sms { .. } | Attempt::ResetCode { .. } | Attempt::EmailCode { .. } => {
                Factor::Sms
            }
            Attempt::Totp { .. } | Attempt::NewTotp { .. } => Factor::Totp,
            Attempt::RecoveryCode { .. } => Factor::RecoveryCode,
            Attempt::Passkey { .. } => Factor::Passkey,
        }
    }

    /// The rate-limit bucket per client address.
    fn ip_bucket(&self) -> &'static str {
        match self {
            Attempt::Password { .. }
            | Attempt::CurrentPassword { .. }
            | Attempt::Passkey { .. } => "sign-in-ip",
            _ => "code-ip",
        }
    }
}

/// Why a proof was refused; one message each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong address or password: deliberately one case.
    Password,
    SmsWrong,
    /// No code pending: never sent, expired, used, or its tries spent.
    CodeExpired,
    CodeTooManyTries,
    TotpWrong,
    TotpReplayed,
    RecoveryCodeInvalid,
    PasskeyExpired,
    PasskeyUnknown,
    PasskeyRejected,
    /// A proven passkey of a disabled account.
    AccountBlocked,
    /// The right temporary password, past its expiry. Only someone who knows it learns
    /// this; anyone else gets `Password`.
    TemporaryExpired,
    /// The password is the old one of accounts of one username in several services: the
    /// service must be chosen. Only someone who knows it learns this.
    ChooseService,
}

impl Refusal {
    /// The message key of the catalogue.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Password => "signin-wrong-password",
            Refusal::SmsWrong => "otp-wrong-sms",
            Refusal::CodeExpired => "otp-expired",
            Refusal::CodeTooManyTries => "otp-too-many",
            Refusal::TotpWrong => "otp-wrong-totp",
            Refusal::TotpReplayed => "otp-totp-replayed",
            Refusal::RecoveryCodeInvalid => "otp-recovery-invalid",
            Refusal::PasskeyExpired => "js-passkey-expired",
            Refusal::PasskeyUnknown => "js-passkey-unknown",
            Refusal::PasskeyRejected => "js-passkey-rejected",
            Refusal::AccountBlocked => "js-passkey-account-blocked",
            Refusal::TemporaryExpired => "signin-temporary-expired",
            Refusal::ChooseService => "signin-choose-service",
        }
    }
}

/// What a check found.
#[derive(Debug)]
pub enum Checked {
    /// Proven: whose, and with which factor.
    Proven {
        user: Box<User>,
        factor: Factor,
    },
    Refused(Refusal),
    /// The account is locked until then (`None`: until a password reset or an operator).
    Locked(Option<i64>),
    /// Too many attempts from this address or for this account in this window.
    Limited(Limited),
}

#[derive(Debug)]
pub enum CheckError {
    Storage(StorageError),
    /// Hashing failed: a bug or resource exhaustion, never the person's fault.
    Internal,
    /// Passkeys are off on this server.
    PasskeysOff,
}

impl From<StorageError> for CheckError {
    fn from(e: StorageError) -> Self {
        CheckError::Storage(e)
    }
}

/// What the first step of a sign-in found: a [`Checked`] as for any proof, or an old
/// password of an imported account, whose first sign-in goes on in `legacy::signin`.
#[derive(Debug)]
pub enum SignIn {
    Checked(Checked),
    Legacy(Box<LegacyProof>),
    /// The emailed code was right (only for [`Attempt::EmailCode`]).
    Mailbox(MailboxProof),
}

/// That the code sent under a subject was entered: what `legacy::signin::confirm` takes.
/// Made only here, so no handler can confirm an address without the check.
#[derive(Debug)]
pub struct MailboxProof {
    subject: String,
}

impl MailboxProof {
    pub fn subject(&self) -> &str {
        &self.subject
    }
}

/// Checks the code emailed under `subject`, counting wrong ones on `lock_key`.
pub async fn check_email_code(
    state: &AppState,
    lock_key: &str,
    subject: &str,
    code: &str,
    meta: &RequestMeta,
) -> Result<SignIn, CheckError> {
    let attempt = Attempt::EmailCode {
        lock_key,
        subject,
        code,
    };
    run(state, attempt, meta).await
}

/// Checks an address (or an old username, in `service` or in any) and a password.
pub async fn check_sign_in(
    state: &AppState,
    email: &str,
    service: Option<&str>,
    password: &Secret,
    meta: &RequestMeta,
) -> Result<SignIn, CheckError> {
    let attempt = Attempt::Password {
        email,
        service,
        password,
    };
    run(state, attempt, meta).await
}

/// Checks `attempt` from `meta`. A sign-in's password goes through [`check_sign_in`]: an
/// old password proven here is an internal error.
pub async fn check(
    state: &AppState,
    attempt: Attempt<'_>,
    meta: &RequestMeta,
) -> Result<Checked, CheckError> {
    match run(state, attempt, meta).await? {
        SignIn::Checked(c) => Ok(c),
        SignIn::Legacy(_) | SignIn::Mailbox(_) => Err(CheckError::Internal),
    }
}

async fn run(
    state: &AppState,
    attempt: Attempt<'_>,
    meta: &RequestMeta,
) -> Result<SignIn, CheckError> {
    let limits = &state.config.rate_limit;
    let per_ip = if attempt.ip_bucket() == "code-ip" {
        limits.code_per_ip
    } else {
        limits.sign_in_per_ip
    };
    if let Some(l) =
        limited(ratelimit::hit_address(state, attempt.ip_bucket(), meta, per_ip).await)?
    {
        return Ok(SignIn::Checked(Checked::Limited(l)));
    }
    if let Attempt::Password { email, .. } = &attempt {
        let id = lockout::attempt_identifier(email);
        let max = limits.sign_in_per_identifier;
        if let Some(l) = limited(ratelimit::hit(state, "sign-in-id", &id, max).await)? {
            return Ok(SignIn::Checked(Checked::Limited(l)));
        }
    }
    let checked = match attempt {
        Attempt::Passkey { flow, response } => {
            SignIn::Checked(check_passkey(state, flow, response, meta).await?)
        }
        Attempt::NewTotp {
            user,
            session,
            code,
        } => SignIn::Checked(check_new_totp(state, user, session, code, meta).await?),
        other => check_secret(state, other, meta).await?,
    };
    state.metrics.sign_in(match &checked {
        SignIn::Checked(Checked::Proven { .. }) | SignIn::Legacy(_) | SignIn::Mailbox(_) => {
            "success"
        }
        SignIn::Checked(Checked::Refused(_)) => "failure",
        SignIn::Checked(Checked::Locked(_)) => "locked",
        SignIn::Checked(Checked::Limited(_)) => "limited",
    });
    Ok(checked)
}

fn limited(r: Result<(), LimitError>) -> Result<Option<Limited>, CheckError> {
    match r {
        Ok(()) => Ok(None),
        Err(LimitError::Limited(l)) => Ok(Some(l)),
        Err(LimitError::Storage(e)) => Err(e.into()),
    }
}

pub(super) fn entry<'a>(
    outcome: Outcome,
    email: &'a str,
    user_id: Option<&'a str>,
    meta: &'a RequestMeta,
    detail: &str,
) -> Entry<'a> {
    Entry {
        kind: audit::SIGN_IN,
        outcome,
        user_id,
        email: Some(email),
        meta: Some(meta),
        detail: Some(detail.to_owned()),
        ..Default::default()
    }
}

pub(super) fn detail(factor: Factor) -> &'static str {
    match factor {
        Factor::Password => "password",
        Factor::Sms => "second factor: sms",
        Factor::Totp => "second factor: totp",
        Factor::RecoveryCode => "second factor: recovery code",
        Factor::Passkey => "passkey",
    }
}

/// A failed attempt on `ticket`: audited, counted, and the lock set and audited when it was
/// the last one allowed.
pub(super) async fn failed(
    state: &AppState,
    ticket: &TicketId,
    email: &str,
    user_id: Option<&str>,
    meta: &RequestMeta,
    what: &str,
    refusal: Refusal,
) -> Result<Checked, CheckError> {
    audit::record(state, entry(Outcome::Failure, email, user_id, meta, what)).await;
    Ok(match counted(state, ticket, email, meta).await? {
        None => Checked::Refused(refusal),
        Some(until) => Checked::Locked(until),
    })
}

/// Counts `ticket` as a try that did not succeed; when it was the last one allowed, the lock
/// is set and audited (and a permanent one emails the unlock link). Returns the lock.
async fn counted(
    state: &AppState,
    ticket: &TicketId,
    email: &str,
    meta: &RequestMeta,
) -> Result<Option<Option<i64>>, CheckError> {
    let lock = |kind: &str| Entry {
        kind: audit::LOCK,
        ..entry(Outcome::Info, email, None, meta, kind)
    };
    Ok(match lockout::failed(state, ticket).await? {
        AfterFailure::StillOpen => None,
        AfterFailure::LockedUntil(until) => {
            audit::record(state, lock("temporary")).await;
            Some(Some(until))
        }
        AfterFailure::LockedPermanently => {
            audit::record(state, lock("permanent")).await;
            reset_link::send_unlock_link(state, email).await;
            Some(None)
        }
    })
}

/// A password or a one-time code: the lockout ticket is taken before anything is verified.
async fn check_secret(
    state: &AppState,
    attempt: Attempt<'_>,
    meta: &RequestMeta,
) -> Result<SignIn, CheckError> {
    let factor = attempt.factor();
    // What an address or old username may open, looked up first: the lockout is keyed by
    // the identity it leads to.
    let mut candidates = None;
    let mut shared_identifier = false;
    let email = match &attempt {
        Attempt::Password { email, service, .. } => {
            let c = legacy::signin::candidates(state, email, *service).await?;
            let key = c.lock_key.clone();
            shared_identifier = c.shared;
            candidates = Some(c);
            key
        }
        Attempt::CurrentPassword { user, .. }
        | Attempt::Sms { user, .. }
        | Attempt::ResetCode { user, .. }
        | Attempt::Totp { user, .. }
        | Attempt::RecoveryCode { user, .. } => user.email.clone(),
        Attempt::EmailCode { lock_key, .. } => (*lock_key).to_owned(),
        // Checked by `check_passkey` and `check_new_totp`; never sent here.
        Attempt::Passkey { .. } | Attempt::NewTotp { .. } => return Err(CheckError::Internal),
    };
    // What the audit trail calls a success and a failure of this attempt.
    let (succeeded, failure) = match (&attempt, factor) {
        (Attempt::ResetCode { .. }, _) => ("password reset: sms", "password reset: sms"),
        (Attempt::EmailCode { .. }, _) => ("legacy: address code", "legacy: address code"),
        (_, Factor::Password | Factor::Passkey) => (detail(factor), detail(factor)),
        _ => (detail(factor), "second factor"),
    };
    let gate = match attempt {
        Attempt::ResetCode { .. } => lockout::enter_reset(state, &email).await?,
        _ => lockout::enter(state, &email).await?,
    };
    let ticket = match gate {
        Gate::Open(t) => lockout::Held::new(state, t),
        Gate::Locked(until) => {
            audit::record(state, entry(Outcome::Failure, &email, None, meta, "locked")).await;
            return Ok(SignIn::Checked(Checked::Locked(until)));
        }
    };
    let verified: Result<Proof, Refusal> = match attempt {
        Attempt::Password { password, .. } => {
            verify_sign_in(state, candidates.unwrap_or_default(), password).await?
        }
        Attempt::CurrentPassword { user, password } => {
            let found = state.stores.users.find_user_by_email(&user.email).await?;
            verify_password(state, found, password)
                .await?
                .and_then(|u| {
                    if u.id == user.id {
                        Ok(Proof::Account(Box::new(u)))
                    } else {
                        Err(Refusal::Password)
                    }
                })
        }
        Attempt::Sms { user, code } => {
            sms_refusal(sms_otp::verify(state, sms_otp::SIGN_IN, &user.id, code).await?)
                .map(|()| Proof::Account(Box::new(user.clone())))
        }
        Attempt::ResetCode { user, link, code } => {
            sms_refusal(sms_otp::verify(state, sms_otp::RESET, link, code).await?)
                .map(|()| Proof::Account(Box::new(user.clone())))
        }
        Attempt::EmailCode { subject, code, .. } => {
            let purpose = legacy::signin::CODE_PURPOSE;
            sms_refusal(sms_otp::verify(state, purpose, subject, code).await?).map(|()| {
                Proof::Mailbox(MailboxProof {
                    subject: subject.to_owned(),
                })
            })
        }
        Attempt::Totp { user, code } => match totp::verify(state, &user.id, code).await? {
            TotpCheck::Valid => Ok(Proof::Account(Box::new(user.clone()))),
            TotpCheck::Replayed => Err(Refusal::TotpReplayed),
            TotpCheck::Wrong | TotpCheck::NotEnrolled => Err(Refusal::TotpWrong),
        },
        Attempt::RecoveryCode { user, code } => {
            if recovery_codes::redeem(state, &user.id, code).await? {
                Ok(Proof::Account(Box::new(user.clone())))
            } else {
                Err(Refusal::RecoveryCodeInvalid)
            }
        }
        // Checked by `check_passkey` and `check_new_totp`; never sent here.
        Attempt::Passkey { .. } | Attempt::NewTotp { .. } => return Err(CheckError::Internal),
    };
    match verified {
        Ok(proof) => {
            // An old password that still needs the emailed code, or one proven through a
            // username several people share, is no success of the key it was counted under:
            // it counts as a try, so neither a squatter of an address nor a namesake can
            // clear someone else's failures. It still leads on to its own first sign-in.
            let settled = match &proof {
                Proof::Legacy(p) => !legacy::signin::needs_code(p) && !shared_identifier,
                _ => true,
            };
            if settled {
                lockout::succeeded(state, ticket.ticket()).await?;
            } else {
                counted(state, ticket.ticket(), &email, meta).await?;
            }
            ticket.done();
            let (user_id, what) = match &proof {
                Proof::Account(u) => (Some(u.id.as_str()), succeeded.to_owned()),
                Proof::Legacy(p) => (
                    p.account.user_id.as_deref(),
                    format!("legacy password: {}", p.account.service),
                ),
                Proof::Mailbox(_) => (None, succeeded.to_owned()),
            };
            audit::record(state, entry(Outcome::Success, &email, user_id, meta, &what)).await;
            Ok(match proof {
                Proof::Account(user) => SignIn::Checked(Checked::Proven { user, factor }),
                Proof::Legacy(p) => SignIn::Legacy(p),
                Proof::Mailbox(m) => SignIn::Mailbox(m),
            })
        }
        Err(refusal) => {
            let checked =
                failed(state, ticket.ticket(), &email, None, meta, failure, refusal).await;
            ticket.done();
            checked.map(SignIn::Checked)
        }
    }
}

fn sms_refusal(check: sms_otp::Check) -> Result<(), Refusal> {
    match check {
        sms_otp::Check::Valid => Ok(()),
        sms_otp::Check::Wrong => Err(Refusal::SmsWrong),
        sms_otp::Check::Expired => Err(Refusal::CodeExpired),
        sms_otp::Check::TooManyTries => Err(Refusal::CodeTooManyTries),
    }
}
