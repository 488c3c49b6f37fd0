//! The one decision of how strongly someone must have proven themselves, as pure functions
//! of plain values: no store, no clock, no server. Every sign-in (a client's or the account
//! console's) and every sensitive action asks these functions rather than deciding itself.
//!
//! - A session's *floor* is what it must reach before it counts as signed in at all: the
//!   deployment's two-factor switch, and two factors for a user who enrolled an
//!   authenticator app or a passkey (Keycloak's conditional OTP: an enrolled factor guards
//!   every new sign-in; `authn.enrolled_factor_always`).
//! - A sign-in *needs* the strongest of the floor, the client's minimum and what the request
//!   asks for (`acr_values` or an essential `acr` claim).
//! - A sensitive action needs a *fresh* proof of the strongest factor the user has (Ory
//!   Kratos' `highest_available`), within `accounts.step_up_max_age`.

use crate::model::Acr;

/// The deployment's switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// `authn.require_two_factor`: two factors for everyone.
    pub require_two_factor: bool,
    /// `authn.enrolled_factor_always`: a user with an authenticator app or a passkey proves
    /// it at every new sign-in.
    pub enrolled_factor_always: bool,
}

/// What a user can prove themselves with besides the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Factors {
    pub totp: bool,
    pub passkey: bool,
    pub recovery_codes: bool,
    /// A verified mobile number (SMS codes).
    pub sms: bool,
}

impl Factors {
    /// The strongest level this user can reach (Kratos' `highest_available`).
    pub fn strongest(self) -> Acr {
        if self.passkey {
            Acr::PhishingResistant
        } else if self.totp || self.sms || self.recovery_codes {
            Acr::TwoFactor
        } else {
            Acr::OneFactor
        }
    }

    /// Whether something here, on top of a password, reaches `needed`.
    pub fn can_reach(self, needed: Acr) -> bool {
        match needed {
            Acr::OneFactor => true,
            Acr::TwoFactor => self.strongest() >= Acr::TwoFactor,
            Acr::PhishingResistant => self.passkey,
        }
    }
}

/// A session's proof: how strong, and when it was last made (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proof {
    pub acr: Acr,
    pub auth_time: i64,
    pub floor: Acr,
}

/// What to do about a session that wants to go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The session is strong (and fresh) enough.
    Enough,
    /// Prove `Acr` now: the missing factor, or again what was proven (a password alone is
    /// re-entered; a factor is asked for again).
    Prove(Acr),
    /// No session: sign in.
    SignIn,
}

impl Policy {
    /// The floor of a new session of a user with `factors`.
    pub fn floor(self, factors: Factors) -> Acr {
        let mut floor = Acr::OneFactor;
        if self.require_two_factor {
            floor = floor.max(Acr::TwoFactor);
        }
        if self.enrolled_factor_always && (factors.totp || factors.passkey) {
            floor = floor.max(Acr::TwoFactor);
        }
        floor
    }

    /// What a sign-in needs besides the session's own floor: the deployment's switch, the
    /// client's minimum and what the request asks for.
    pub fn needed(self, client_min: Option<Acr>, requested: Option<Acr>) -> Acr {
        let mut needed = client_min
            .unwrap_or_default()
            .max(requested.unwrap_or_default());
        if self.require_two_factor {
            needed = needed.max(Acr::TwoFactor);
        }
        needed
    }
}

/// Whether `session` may go on where `needed` is asked for. A session never counts below its
/// own floor, whatever is asked.
pub fn judge(session: Option<Proof>, needed: Acr) -> Verdict {
    let Some(p) = session else {
        return Verdict::SignIn;
    };
    let needed = needed.max(p.floor);
    if p.acr >= needed {
        Verdict::Enough
    } else {
        Verdict::Prove(needed)
    }
}

/// Whether `session` may do a sensitive action: at least the user's strongest factor, and
/// proven within `max_age` seconds of `now`.
pub fn judge_fresh(session: Option<Proof>, factors: Factors, now: i64, max_age: i64) -> Verdict {
    let needed = factors.strongest();
    match judge(session, needed) {
        Verdict::Enough => match session {
            Some(p) if now.saturating_sub(p.auth_time) <= max_age => Verdict::Enough,
            Some(p) => Verdict::Prove(needed.max(p.floor)),
            None => Verdict::SignIn,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Acr::{OneFactor as One, PhishingResistant as Phr, TwoFactor as Two};

    const NONE: Factors = Factors {
        totp: false,
        passkey: false,
        recovery_codes: false,
        sms: false,
    };
    const SMS: Factors = Factors { sms: true, ..NONE };
    const APP: Factors = Factors { totp: true, ..NONE };
    const KEY: Factors = Factors {
        passkey: true,
        ..NONE
    };

    fn policy(require_two_factor: bool, enrolled_factor_always: bool) -> Policy {
        Policy {
            require_two_factor,
            enrolled_factor_always,
        }
    }

    fn session(acr: Acr, floor: Acr) -> Option<Proof> {
        Some(Proof {
            acr,
            auth_time: 1_000,
            floor,
        })
    }

    /// deployment switch, enrolled-factor rule, client minimum, request, factors, session
    /// level -> verdict.
    type Row = (
        bool,
        bool,
        Option<Acr>,
        Option<Acr>,
        Factors,
        Option<Acr>,
        Verdict,
    );

    #[test]
    fn a_sign_in_needs_the_strongest_of_everything_asking() {
        #[rustfmt::skip]
        let table: &[Row] = &[
            // Nothing asks: a password session is enough.
            (false, true,  None,      None,      NONE, Some(One), Verdict::Enough),
            (false, true,  None,      None,      SMS,  Some(One), Verdict::Enough),
            // No session at all.
            (false, true,  None,      None,      NONE, None,      Verdict::SignIn),
            // The deployment's switch: two factors for everyone, the console included.
            (true,  true,  None,      None,      NONE, Some(One), Verdict::Prove(Two)),
            (true,  false, None,      None,      SMS,  Some(One), Verdict::Prove(Two)),
            (true,  true,  None,      None,      SMS,  Some(Two), Verdict::Enough),
            // An enrolled app or passkey guards every sign-in (Keycloak's conditional OTP)...
            (false, true,  None,      None,      APP,  Some(One), Verdict::Prove(Two)),
            (false, true,  None,      None,      KEY,  Some(One), Verdict::Prove(Two)),
            (false, true,  None,      None,      APP,  Some(Two), Verdict::Enough),
            // ...unless the deployment turns that off; an SMS number alone never does.
            (false, false, None,      None,      APP,  Some(One), Verdict::Enough),
            (false, true,  None,      None,      SMS,  Some(One), Verdict::Enough),
            // The client's minimum and the request.
            (false, true,  Some(Two), None,      SMS,  Some(One), Verdict::Prove(Two)),
            (false, true,  None,      Some(Two), SMS,  Some(One), Verdict::Prove(Two)),
            (false, true,  None,      Some(Phr), KEY,  Some(Two), Verdict::Prove(Phr)),
            (false, true,  Some(Two), Some(One), SMS,  Some(Two), Verdict::Enough),
            (true,  true,  Some(Phr), Some(Two), KEY,  Some(Phr), Verdict::Enough),
            // A stronger session satisfies every weaker need.
            (false, true,  Some(Two), None,      KEY,  Some(Phr), Verdict::Enough),
        ];
        for (i, (switch, enrolled, client, requested, factors, acr, want)) in
            table.iter().enumerate()
        {
            let p = policy(*switch, *enrolled);
            let floor = p.floor(*factors);
            let proof = acr.map(|a| Proof {
                acr: a,
                auth_time: 0,
                floor,
            });
            let got = judge(proof, p.needed(*client, *requested));
            assert_eq!(got, *want, "row {i}");
        }
    }

    #[test]
    fn a_session_never_counts_below_its_floor() {
        assert_eq!(judge(session(One, Two), One), Verdict::Prove(Two));
        assert_eq!(judge(session(Two, Two), One), Verdict::Enough);
    }

    #[test]
    fn a_sensitive_action_needs_the_strongest_factor_recently() {
        let max_age = 300;
        #[rustfmt::skip]
        let table: &[(Factors, Option<Proof>, i64, Verdict)] = &[
            // Only a password: re-entering it is the proof.
            (NONE, session(One, One), 1_100, Verdict::Enough),
            (NONE, session(One, One), 1_400, Verdict::Prove(One)),
            // A phone: the SMS code, not only the password.
            (SMS,  session(One, One), 1_100, Verdict::Prove(Two)),
            (SMS,  session(Two, One), 1_100, Verdict::Enough),
            (SMS,  session(Two, One), 1_301, Verdict::Prove(Two)),
            // A passkey: the passkey.
            (KEY,  session(Two, Two), 1_100, Verdict::Prove(Phr)),
            (KEY,  session(Phr, Two), 1_100, Verdict::Enough),
            (APP,  None,              1_100, Verdict::SignIn),
        ];
        for (i, (factors, proof, now, want)) in table.iter().enumerate() {
            assert_eq!(
                judge_fresh(*proof, *factors, *now, max_age),
                *want,
                "row {i}"
            );
        }
    }

    #[test]
    fn what_factors_reach() {
        assert_eq!(NONE.strongest(), One);
        assert_eq!(SMS.strongest(), Two);
        assert_eq!(KEY.strongest(), Phr);
        assert!(APP.can_reach(Two) && !APP.can_reach(Phr));
        assert!(KEY.can_reach(Phr) && NONE.can_reach(One) && !NONE.can_reach(Two));
    }
}
