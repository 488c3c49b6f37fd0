//! The kinds of credential an account keeps besides its password.

/// Stored by its one string form (serde's is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// An authenticator app's secret (RFC 6238).
    Totp,
    /// A WebAuthn discoverable credential.
    Passkey,
    /// One single-use recovery code (stored hashed).
    RecoveryCode,
}

impl CredentialKind {
    pub const ALL: [CredentialKind; 3] = [
        CredentialKind::Totp,
        CredentialKind::Passkey,
        CredentialKind::RecoveryCode,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialKind::Totp => "totp",
            CredentialKind::Passkey => "passkey",
            CredentialKind::RecoveryCode => "recovery_code",
        }
    }

    pub fn parse(s: &str) -> Option<CredentialKind> {
        CredentialKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_one_string_form() {
        for k in CredentialKind::ALL {
            assert_eq!(CredentialKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        assert_eq!(CredentialKind::parse("sms"), None);
    }
}
