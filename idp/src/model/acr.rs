//! How strongly a person proved who they are, as the `acr` claim names it (OIDC Core §2).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Authentication context class, ordered weakest first: a stronger level satisfies every
/// weaker one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Acr {
    /// A password, or a one-time code alone.
    #[default]
    OneFactor,
    /// A password and a one-time code (SMS, authenticator app, recovery code).
    TwoFactor,
    /// A user-verified passkey: bound to the site, so a look-alike page cannot replay it.
    PhishingResistant,
}

impl Acr {
    /// Every level, weakest first (as `acr_values_supported` lists them).
    pub const ALL: [Acr; 3] = [Acr::OneFactor, Acr::TwoFactor, Acr::PhishingResistant];

    pub const fn as_str(self) -> &'static str {
        match self {
            Acr::OneFactor => "urn:postern:acr:1fa",
            Acr::TwoFactor => "urn:postern:acr:2fa",
            Acr::PhishingResistant => "urn:postern:acr:phr",
        }
    }

    /// The level of an `acr` value; unknown values are `None` (requests ignore them).
    pub fn parse(s: &str) -> Option<Acr> {
        Acr::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for Acr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Acr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Acr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Acr, D::Error> {
        let s = String::deserialize(d)?;
        Acr::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown acr {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_round_trip() {
        assert!(Acr::OneFactor < Acr::TwoFactor && Acr::TwoFactor < Acr::PhishingResistant);
        for a in Acr::ALL {
            assert_eq!(Acr::parse(a.as_str()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Acr>(&json).unwrap(), a);
        }
        assert_eq!(Acr::parse("urn:other"), None);
    }
}
