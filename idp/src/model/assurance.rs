//! Identity assurance: how sure Postern is that an account belongs to the person it names.
//!
//! `basic` is what the account holder proved alone (their mailbox and their phone);
//! `verified` needs evidence that someone else checked the person (at a counter, with an
//! electronic identity, on video), and that evidence is kept: how, when and by whom.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The level released in the `assurance_level` claim and required by clients that set
/// `require_verified`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Assurance {
    Unverified,
    /// Email address and mobile number both confirmed.
    Basic,
    /// Identity proofed, with evidence.
    Verified,
}

impl Assurance {
    pub fn as_str(self) -> &'static str {
        match self {
            Assurance::Unverified => "unverified",
            Assurance::Basic => "basic",
            Assurance::Verified => "verified",
        }
    }

    pub fn parse(s: &str) -> Option<Assurance> {
        [Assurance::Unverified, Assurance::Basic, Assurance::Verified]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    /// The level of an account: evidence makes it verified whatever its contact state
    /// (the person was checked, not their mailbox); without evidence the contact state
    /// decides.
    pub fn of(email_verified: bool, phone_verified: bool, check: Option<&IdentityCheck>) -> Self {
        match check {
            Some(_) => Assurance::Verified,
            None if email_verified && phone_verified => Assurance::Basic,
            None => Assurance::Unverified,
        }
    }
}

impl fmt::Display for Assurance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an identity was proofed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProofMethod {
    /// In person, with an identity document, at a counter (a post office).
    Counter,
    /// An electronic identity (an eID card, a national digital identity).
    Eid,
    /// A video identification.
    Video,
    Other,
}

impl ProofMethod {
    pub const ALL: [ProofMethod; 4] = [
        ProofMethod::Counter,
        ProofMethod::Eid,
        ProofMethod::Video,
        ProofMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProofMethod::Counter => "counter",
            ProofMethod::Eid => "eid",
            ProofMethod::Video => "video",
            ProofMethod::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ProofMethod> {
        ProofMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

impl fmt::Display for ProofMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The evidence of an identity check. `reference` says where or with what (an office
/// code, a document kind), never a document number: Postern keeps no copy of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck {
    pub method: ProofMethod,
    /// Unix seconds.
    pub at: i64,
    /// The client whose token recorded it; `None` from the command line.
    pub by_client: Option<String>,
    /// The person whose token recorded it, for a person's token.
    pub by_user: Option<String>,
    pub reference: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_verifies_and_contact_state_decides_without_it() {
        let check = IdentityCheck {
            method: ProofMethod::Counter,
            at: 1,
            by_client: None,
            by_user: None,
            reference: None,
        };
        assert_eq!(
            Assurance::of(false, false, Some(&check)),
            Assurance::Verified
        );
        assert_eq!(Assurance::of(true, true, None), Assurance::Basic);
        assert_eq!(Assurance::of(true, false, None), Assurance::Unverified);
        assert_eq!(Assurance::of(false, true, None), Assurance::Unverified);
        for a in [Assurance::Unverified, Assurance::Basic, Assurance::Verified] {
            assert_eq!(Assurance::parse(a.as_str()), Some(a));
        }
        for m in ProofMethod::ALL {
            assert_eq!(ProofMethod::parse(m.as_str()), Some(m));
        }
        assert!(Assurance::Basic < Assurance::Verified);
    }
}
