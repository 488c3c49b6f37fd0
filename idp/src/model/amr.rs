//! Authentication method references (RFC 8176 §2): how a session was proven, as the `amr`
//! claim lists it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Amr {
    /// A password.
    Pwd,
    /// A code sent by SMS.
    Sms,
    /// A one-time password: an authenticator app's code or a recovery code.
    Otp,
    /// Proof of possession of a hardware-secured key: a passkey.
    Hwk,
    /// User presence and verification (PIN or biometric), which a passkey ceremony requires.
    User,
    /// More than one factor.
    Mfa,
}

impl Amr {
    pub const ALL: [Amr; 6] = [Amr::Pwd, Amr::Sms, Amr::Otp, Amr::Hwk, Amr::User, Amr::Mfa];

    pub const fn as_str(self) -> &'static str {
        match self {
            Amr::Pwd => "pwd",
            Amr::Sms => "sms",
            Amr::Otp => "otp",
            Amr::Hwk => "hwk",
            Amr::User => "user",
            Amr::Mfa => "mfa",
        }
    }

    pub fn parse(s: &str) -> Option<Amr> {
        Amr::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for Amr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Amr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Amr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amr, D::Error> {
        let s = String::deserialize(d)?;
        Amr::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown amr {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_has_one_string_form() {
        for a in Amr::ALL {
            assert_eq!(Amr::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
        }
        assert_eq!(Amr::parse("face"), None);
    }
}
