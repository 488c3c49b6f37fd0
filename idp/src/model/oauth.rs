//! Protocol values as types, each with the section of the spec that defines it. They live
//! here, below every layer, because storage, configuration and keys hold them too.

use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// JWS algorithms Postern signs with (RFC 7518 §3.1; EdDSA from RFC 8037 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SigningAlg {
    RS256,
    ES256,
    EdDSA,
}

impl SigningAlg {
    pub const ALL: [SigningAlg; 3] = [SigningAlg::RS256, SigningAlg::ES256, SigningAlg::EdDSA];

    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::ES256 => "ES256",
            SigningAlg::EdDSA => "EdDSA",
        }
    }
}

impl fmt::Display for SigningAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SigningAlg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SigningAlg::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("expected one of RS256, ES256, EdDSA, got {s:?}"))
    }
}

/// How a client's access tokens look: RFC 9068 JWTs (default) or opaque handles that only
/// introspection can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AccessTokenFormat {
    #[default]
    Jwt,
    Opaque,
}

/// The JWS algorithms Postern accepts from clients: client assertions (RFC 7523), request
/// objects (RFC 9101) and DPoP proofs (RFC 9449). No `none`, no symmetric ones.
pub const CLIENT_ALGORITHMS: [&str; 4] = ["RS256", "PS256", "ES256", "EdDSA"];

/// The subset a FAPI 2.0 client may use (FAPI 2.0 Security Profile §5.4: PS256, ES256 or
/// EdDSA; RSA PKCS#1 v1.5 is out).
pub const FAPI2_ALGORITHMS: [&str; 3] = ["PS256", "ES256", "EdDSA"];

/// The security profile a client is held to. `Fapi2` is the FAPI 2.0 Security Profile
/// (final, 2025): what it requires is enforced where each rule applies, and listed in
/// `protocol::profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClientProfile {
    #[default]
    Standard,
    Fapi2,
}

impl ClientProfile {
    pub const fn as_str(self) -> &'static str {
        match self {
            ClientProfile::Standard => "standard",
            ClientProfile::Fapi2 => "fapi2",
        }
    }
}

impl FromStr for ClientProfile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "standard" => Ok(ClientProfile::Standard),
            "fapi2" => Ok(ClientProfile::Fapi2),
            _ => Err(format!("expected standard or fapi2, got {s:?}")),
        }
    }
}

/// Grant types (RFC 6749 §4).
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
pub const GRANT_CLIENT_CREDENTIALS: &str = "client_credentials";
/// The device authorization grant (RFC 8628 §3.4).
pub const GRANT_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const GRANT_TYPES: [&str; 4] = [
    GRANT_AUTHORIZATION_CODE,
    GRANT_REFRESH_TOKEN,
    GRANT_CLIENT_CREDENTIALS,
    GRANT_DEVICE_CODE,
];

/// The standard scopes every client may ask for unless told otherwise (OIDC Core §5.4, §11).
pub const STANDARD_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "phone",
    "address",
    "offline_access",
];

pub use super::{Acr, Amr};

/// acr values from weakest to strongest, as discovery lists them; each satisfies those
/// before it. Strings for the edges (discovery, client registration); code uses [`Acr`].
pub const ACR_VALUES: [&str; 3] = [
    Acr::OneFactor.as_str(),
    Acr::TwoFactor.as_str(),
    Acr::PhishingResistant.as_str(),
];

/// A `prompt` value of an authorization request (OIDC Core §3.1.2.1; `create` from
/// OpenID Connect Prompt Create 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prompt {
    None,
    Login,
    Consent,
    SelectAccount,
    Create,
}

impl Prompt {
    pub const ALL: [Prompt; 5] = [
        Prompt::None,
        Prompt::Login,
        Prompt::Consent,
        Prompt::SelectAccount,
        Prompt::Create,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Prompt::None => "none",
            Prompt::Login => "login",
            Prompt::Consent => "consent",
            Prompt::SelectAccount => "select_account",
            Prompt::Create => "create",
        }
    }

    /// The value of a known prompt; others are ignored, as they always were here.
    pub fn parse(s: &str) -> Option<Prompt> {
        Prompt::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A space-separated scope list (RFC 6749 §3.3), kept ordered and without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scope(BTreeSet<String>);

impl Scope {
    /// Parses `scope`; `None` when a token is not a valid scope-token (RFC 6749 §3.3).
    pub fn parse(raw: &str) -> Option<Scope> {
        let mut set = BTreeSet::new();
        for token in raw.split(' ').filter(|t| !t.is_empty()) {
            let valid = token
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b));
            if !valid {
                return None;
            }
            set.insert(token.to_string());
        }
        Some(Scope(set))
    }

    pub fn contains(&self, s: &str) -> bool {
        self.0.contains(s)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn is_subset(&self, other: &Scope) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Scopes of `self` that `allowed` does not contain.
    pub fn missing_from<'a>(&'a self, allowed: &'a Scope) -> impl Iterator<Item = &'a str> {
        self.0.difference(&allowed.0).map(String::as_str)
    }

    pub fn without(&self, s: &str) -> Scope {
        Scope(self.0.iter().filter(|x| *x != s).cloned().collect())
    }

    pub fn union(&self, other: &Scope) -> Scope {
        Scope(self.0.union(&other.0).cloned().collect())
    }
}

impl<S: Into<String>> FromIterator<S> for Scope {
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> Scope {
        Scope(items.into_iter().map(Into::into).collect())
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(s)?;
            first = false;
        }
        Ok(())
    }
}

/// Who signed in and how strongly: the only thing `authn` hands to `protocol`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthnContext {
    pub sub: String,
    /// Seconds since the epoch of the last interactive authentication (OIDC Core §2).
    pub auth_time: i64,
    /// Authentication method references (RFC 8176).
    pub amr: Vec<Amr>,
    pub acr: Acr,
    /// The SSO session id as published in `sid` (OIDC Front/Back-Channel Logout).
    pub sid: String,
    /// What this session must reach before it counts as signed in at all: the deployment's
    /// switch and, for a user with an authenticator app or a passkey, two factors (decided
    /// by `authn::policy` when the session starts). Until then it serves only the step-up.
    #[serde(default)]
    pub floor: Acr,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_prompt_has_one_string_form() {
        for p in Prompt::ALL {
            assert_eq!(Prompt::parse(p.as_str()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        assert_eq!(Prompt::parse("sideways"), None);
    }

    #[test]
    fn scope_parse_orders_and_deduplicates() {
        let s = Scope::parse("openid  email openid profile").unwrap();
        assert_eq!(s.to_string(), "email openid profile");
        assert!(Scope::parse("bad\"scope").is_none());
        assert!(Scope::parse("").unwrap().is_empty());
    }

    #[test]
    fn signing_alg_round_trips() {
        for a in SigningAlg::ALL {
            assert_eq!(a.as_str().parse::<SigningAlg>().unwrap(), a);
        }
        assert!("HS256".parse::<SigningAlg>().is_err());
    }
}
