//! How strong a session is, what a user can add to it, and raising it in place: step-up asks
//! only for the missing factor and keeps the session (and its password) as it is.

use crate::{
    authn::{
        policy::Factors,
        session::{self, SsoSession},
    },
    model::oauth::AuthnContext,
    model::{Acr, Amr},
    state::AppState,
    storage::{CREDENTIAL_PASSKEY, CREDENTIAL_TOTP, Credential, StorageResult, User},
};

/// A factor as RFC 8176 names its method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Password,
    Sms,
    Totp,
    RecoveryCode,
    Passkey,
}

impl Factor {
    pub fn amr(self) -> Amr {
        match self {
            Factor::Password => Amr::Pwd,
            Factor::Sms => Amr::Sms,
            // RFC 8176 "otp": a one-time password, which a recovery code is too.
            Factor::Totp | Factor::RecoveryCode => Amr::Otp,
            // A passkey is a proof of possession of a key; "hwk" is what RFC 8176 has for it.
            Factor::Passkey => Amr::Hwk,
        }
    }
}

/// The acr an `amr` list earns: a user-verified passkey is phishing-resistant; a password
/// with a one-time code is two factors; anything else is one.
pub fn acr_for(amr: &[Amr]) -> Acr {
    let has = |m: Amr| amr.contains(&m);
    if has(Amr::Hwk) {
        Acr::PhishingResistant
    } else if has(Amr::Pwd) && (has(Amr::Sms) || has(Amr::Otp)) {
        Acr::TwoFactor
    } else {
        Acr::OneFactor
    }
}

/// True when `authn` is at least `required`.
pub fn satisfies(authn: &AuthnContext, required: Acr) -> bool {
    authn.acr >= required
}

/// The `amr` of a fresh sign-in with `factors` (in order), with "mfa" and "user" where
/// RFC 8176 asks for them.
pub fn amr_of(factors: &[Factor]) -> Vec<Amr> {
    let mut amr: Vec<Amr> = Vec::new();
    for f in factors {
        let m = f.amr();
        if !amr.contains(&m) {
            amr.push(m);
        }
    }
    if factors.contains(&Factor::Passkey) {
        // User verification (PIN or biometric) was required by the ceremony.
        amr.push(Amr::User);
    }
    if amr.len() > 1 {
        amr.push(Amr::Mfa);
    }
    amr
}

/// What a user has to prove themselves with beyond a password.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub totp: bool,
    pub passkeys: usize,
    pub recovery_codes: usize,
    /// The verified mobile number, for SMS codes.
    pub phone: Option<String>,
}

impl Options {
    pub fn of(user: &User, creds: &[Credential]) -> Options {
        Options {
            totp: creds.iter().any(|c| c.kind == CREDENTIAL_TOTP),
            passkeys: creds
                .iter()
                .filter(|c| c.kind == CREDENTIAL_PASSKEY)
                .count(),
            recovery_codes: super::recovery_codes::remaining(creds),
            phone: user.phone.clone().filter(|_| user.phone_verified),
        }
    }

    /// What `user` can prove themselves with on this server: stored passkeys count only
    /// when WebAuthn is on (otherwise nothing could be asked for them, not even to remove
    /// them).
    pub async fn load(state: &AppState, user: &User) -> StorageResult<Options> {
        let creds = state.stores.credentials.list_credentials(&user.id).await?;
        let mut opts = Options::of(user, &creds);
        if state.webauthn.is_none() {
            opts.passkeys = 0;
        }
        Ok(opts)
    }

    /// The floor of a new session of this user (`authn::policy`).
    pub fn floor(&self, state: &AppState) -> Acr {
        super::policy_of(&state.config.authn).floor(self.factors())
    }

    /// The same, as the policy sees it.
    pub fn factors(&self) -> Factors {
        Factors {
            totp: self.totp,
            passkey: self.passkeys > 0,
            recovery_codes: self.recovery_codes > 0,
            sms: self.phone.is_some(),
        }
    }

    /// Whether anything here reaches `required` on top of a password.
    pub fn can_reach(&self, required: Acr) -> bool {
        self.factors().can_reach(required)
    }
}

/// Adds `factor` to the session behind `cookie` and returns the raised session. The sign-in
/// counts as a new authentication (`auth_time` moves to now); the session keeps its id.
pub async fn raise(
    state: &AppState,
    cookie: &str,
    sso: SsoSession,
    factor: Factor,
) -> StorageResult<SsoSession> {
    add(state, cookie, sso, factor, true).await
}

/// Adds a factor the user has just enrolled (its first use proved it) without counting as
/// a new authentication: `auth_time` stays, so enrolling cannot keep a session fresh.
pub async fn add_enrolled(
    state: &AppState,
    cookie: &str,
    sso: SsoSession,
    factor: Factor,
) -> StorageResult<SsoSession> {
    add(state, cookie, sso, factor, false).await
}

async fn add(
    state: &AppState,
    cookie: &str,
    mut sso: SsoSession,
    factor: Factor,
    new_authentication: bool,
) -> StorageResult<SsoSession> {
    let amr = &mut sso.authn.amr;
    for m in [factor.amr(), Amr::User, Amr::Mfa] {
        // "user" only for a passkey, whose ceremony verified the user.
        if (m != Amr::User || factor == Factor::Passkey) && !amr.contains(&m) {
            amr.push(m);
        }
    }
    sso.authn.acr = acr_for(&sso.authn.amr);
    if new_authentication {
        sso.authn.auth_time = state.now();
    }
    session::save(state, cookie, &sso).await?;
    Ok(sso)
}
