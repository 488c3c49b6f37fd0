//! Password hashes made by the old per-service logins, verified as they are: an imported
//! account signs in with its old password once, and then chooses a new one that Postern
//! hashes its own way. Each format is checked by a well-kept crate (bcrypt, argon2, pbkdf2,
//! pwhash for the Unix crypt family, sha1/sha2 for LDAP's salted digests); this module only
//! recognises the format, decodes the parts and compares in constant time.
//!
//! A hash is recognised when it is read ([`LegacyHash::parse`]), so an import reports an
//! unknown format on its line instead of storing something no sign-in could ever verify.

use argon2::{PasswordHash, PasswordVerifier};
use base64::{
    Engine,
    alphabet::Alphabet,
    engine::{GeneralPurpose, GeneralPurposeConfig, general_purpose::STANDARD},
};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use subtle::ConstantTimeEq;

/// More work than this per guess is refused when the hash is read: an imported row must
/// not be able to make one sign-in burn seconds of CPU.
const MAX_PBKDF2_ITERATIONS: u32 = 2_000_000;
const MAX_CRYPT_ROUNDS: u32 = 1_000_000;
const MAX_BCRYPT_COST: u32 = 16;

/// A legacy hash whose format is known and whose parts decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyHash {
    /// `$2a$`, `$2b$`, `$2y$`.
    Bcrypt(String),
    /// A PHC string `$argon2id$…` or `$argon2i$…`.
    Argon2(String),
    /// Django's `pbkdf2_sha256$…` and passlib's `$pbkdf2-sha256$…`/`$pbkdf2-sha512$…`.
    Pbkdf2 {
        digest: Pbkdf2Digest,
        iterations: u32,
        salt: Vec<u8>,
        hash: Vec<u8>,
    },
    /// LDAP `{SSHA}`, `{SSHA256}`, `{SSHA512}`: base64 of digest(password ‖ salt) ‖ salt.
    SaltedSha { digest: ShaDigest, bytes: Vec<u8> },
    /// SHA-crypt `$5$`/`$6$` and MD5-crypt `$1$`.
    UnixCrypt(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pbkdf2Digest {
    Sha256,
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShaDigest {
    Sha1,
    Sha256,
    Sha512,
}

impl ShaDigest {
    fn len(self) -> usize {
        match self {
            ShaDigest::Sha1 => 20,
            ShaDigest::Sha256 => 32,
            ShaDigest::Sha512 => 64,
        }
    }
}

/// Why a hash was not taken; the import reports it with the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegacyHashError {
    #[error("unknown password hash format")]
    UnknownFormat,
    #[error("malformed {0} hash")]
    Malformed(&'static str),
    #[error("{0} hash asks for more work than a sign-in may cost")]
    TooCostly(&'static str),
}

/// passlib's "adapted base64": the standard alphabet with `.` for `+`, no padding.
fn ab64() -> GeneralPurpose {
    let alphabet =
        Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./")
            .expect("64 distinct characters");
    GeneralPurpose::new(
        &alphabet,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    )
}

fn crypt_rounds(rest: &str) -> Option<u32> {
    rest.strip_prefix("rounds=")?
        .split('$')
        .next()?
        .parse()
        .ok()
}

impl LegacyHash {
    pub fn parse(s: &str) -> Result<LegacyHash, LegacyHashError> {
        use LegacyHashError::{Malformed, TooCostly};
        if let Some(rest) = ["$2a$", "$2b$", "$2y$"]
            .iter()
            .find_map(|p| s.strip_prefix(p))
        {
            let cost: u32 = rest
                .get(..2)
                .and_then(|c| c.parse().ok())
                .ok_or(Malformed("bcrypt"))?;
            if rest.len() != 56 {
                return Err(Malformed("bcrypt"));
            }
            if cost > MAX_BCRYPT_COST {
                return Err(TooCostly("bcrypt"));
            }
            return Ok(LegacyHash::Bcrypt(s.to_owned()));
        }
        if s.starts_with("$argon2id$") || s.starts_with("$argon2i$") {
            PasswordHash::new(s).map_err(|_| Malformed("argon2"))?;
            return Ok(LegacyHash::Argon2(s.to_owned()));
        }
        if let Some(rest) = s.strip_prefix("pbkdf2_sha256$") {
            // Django: iterations$salt$base64(hash); the salt is used as its text.
            let mut parts = rest.splitn(3, '$');
            let (Some(i), Some(salt), Some(hash)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(Malformed("Django PBKDF2"));
            };
            let hash = STANDARD
                .decode(hash)
                .map_err(|_| Malformed("Django PBKDF2"))?;
            return pbkdf2(Pbkdf2Digest::Sha256, i, salt.as_bytes().to_vec(), hash);
        }
        for (prefix, digest) in [
            ("$pbkdf2-sha256$", Pbkdf2Digest::Sha256),
            ("$pbkdf2-sha512$", Pbkdf2Digest::Sha512),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                let mut parts = rest.splitn(3, '$');
                let (Some(i), Some(salt), Some(hash)) = (parts.next(), parts.next(), parts.next())
                else {
                    return Err(Malformed("PBKDF2"));
                };
                let engine = ab64();
                let salt = engine.decode(salt).map_err(|_| Malformed("PBKDF2"))?;
                let hash = engine.decode(hash).map_err(|_| Malformed("PBKDF2"))?;
                return pbkdf2(digest, i, salt, hash);
            }
        }
        for (prefix, digest) in [
            ("{SSHA}", ShaDigest::Sha1),
            ("{SSHA256}", ShaDigest::Sha256),
            ("{SSHA512}", ShaDigest::Sha512),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                let bytes = STANDARD.decode(rest).map_err(|_| Malformed("LDAP SSHA"))?;
                // A salt of at least four bytes, as every LDAP server writes.
                if bytes.len() < digest.len() + 4 {
                    return Err(Malformed("LDAP SSHA"));
                }
                return Ok(LegacyHash::SaltedSha { digest, bytes });
            }
        }
        // The digest's length in crypt's base64, as each format always writes it: anything
        // shorter is a truncated export, refused rather than stored unverifiable.
        for (prefix, name, digest_len) in [
            ("$5$", "SHA-crypt", 43),
            ("$6$", "SHA-crypt", 86),
            ("$1$", "MD5-crypt", 22),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                if crypt_rounds(rest).is_some_and(|r| r > MAX_CRYPT_ROUNDS) {
                    return Err(TooCostly(name));
                }
                let crypt64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '/');
                match rest.rsplit_once('$') {
                    Some((_, digest))
                        if digest.len() == digest_len && digest.chars().all(crypt64) => {}
                    _ => return Err(Malformed(name)),
                }
                return Ok(LegacyHash::UnixCrypt(s.to_owned()));
            }
        }
        Err(LegacyHashError::UnknownFormat)
    }

    /// Whether `password` is the one this hash was made from.
    pub fn verify(&self, password: &str) -> bool {
        match self {
            LegacyHash::Bcrypt(h) => bcrypt::verify(password, h).unwrap_or(false),
            LegacyHash::Argon2(h) => PasswordHash::new(h).is_ok_and(|parsed| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            }),
            LegacyHash::Pbkdf2 {
                digest,
                iterations,
                salt,
                hash,
            } => {
                let mut out = vec![0u8; hash.len()];
                match digest {
                    Pbkdf2Digest::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(
                        password.as_bytes(),
                        salt,
                        *iterations,
                        &mut out,
                    ),
                    Pbkdf2Digest::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(
                        password.as_bytes(),
                        salt,
                        *iterations,
                        &mut out,
                    ),
                }
                bool::from(out.ct_eq(hash))
            }
            LegacyHash::SaltedSha { digest, bytes } => {
                let (expected, salt) = bytes.split_at(digest.len());
                let computed = match digest {
                    ShaDigest::Sha1 => salted::<Sha1>(password, salt),
                    ShaDigest::Sha256 => salted::<Sha256>(password, salt),
                    ShaDigest::Sha512 => salted::<Sha512>(password, salt),
                };
                bool::from(computed.ct_eq(expected))
            }
            LegacyHash::UnixCrypt(h) => pwhash::unix::verify(password, h),
        }
    }
}

fn salted<D: Digest>(password: &str, salt: &[u8]) -> Vec<u8> {
    let mut d = D::new();
    d.update(password.as_bytes());
    d.update(salt);
    d.finalize().to_vec()
}

fn pbkdf2(
    digest: Pbkdf2Digest,
    iterations: &str,
    salt: Vec<u8>,
    hash: Vec<u8>,
) -> Result<LegacyHash, LegacyHashError> {
    let iterations: u32 = iterations
        .parse()
        .ok()
        .filter(|i| *i > 0)
        .ok_or(LegacyHashError::Malformed("PBKDF2"))?;
    if iterations > MAX_PBKDF2_ITERATIONS {
        return Err(LegacyHashError::TooCostly("PBKDF2"));
    }
    // The whole digest, as Django and passlib write it: a shorter one is truncated.
    let full = match digest {
        Pbkdf2Digest::Sha256 => 32,
        Pbkdf2Digest::Sha512 => 64,
    };
    if salt.is_empty() || hash.len() != full {
        return Err(LegacyHashError::Malformed("PBKDF2"));
    }
    Ok(LegacyHash::Pbkdf2 {
        digest,
        iterations,
        salt,
        hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashes made by other implementations (passlib, bcrypt, argon2-cffi):
    /// `tests/fixtures/legacy_hashes.py` wrote them.
    const FIXTURES: &str = include_str!("../../../tests/fixtures/legacy_hashes.json");

    #[test]
    fn every_format_made_elsewhere_verifies_its_password_and_no_other() {
        let fixtures: serde_json::Value = serde_json::from_str(FIXTURES).unwrap();
        let password = fixtures["password"].as_str().unwrap();
        let cases = fixtures["hashes"].as_array().unwrap();
        assert_eq!(cases.len(), 14);
        for case in cases {
            let (format, hash) = (
                case["format"].as_str().unwrap(),
                case["hash"].as_str().unwrap(),
            );
            let parsed = LegacyHash::parse(hash).unwrap_or_else(|e| panic!("{format}: {e}"));
            assert!(parsed.verify(password), "{format}");
            assert!(
                !parsed.verify("Gr8 password 1987"),
                "{format}: another password"
            );
            assert!(!parsed.verify(""), "{format}: empty");
        }
    }

    #[test]
    fn unknown_malformed_and_costly_hashes_are_named_not_guessed() {
        use LegacyHashError::*;
        for (hash, error) in [
            ("5f4dcc3b5aa765d61d8327deb882cf99", UnknownFormat),
            ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", UnknownFormat),
            ("$2b$04$short", Malformed("bcrypt")),
            (
                "$2b$31$AzZEciB9u3R0fGvizGIT1.AZi6WuffzboeRWTo38/hbhJqWurO9oG",
                TooCostly("bcrypt"),
            ),
            ("pbkdf2_sha256$x$salt$aGFzaA==", Malformed("PBKDF2")),
            (
                "pbkdf2_sha256$99999999$salt$se8mFHqDXqQ70mA7ZZXOJ+ljvYePF5kom9uPESN2mH4=",
                TooCostly("PBKDF2"),
            ),
            ("{SSHA}AAAA", Malformed("LDAP SSHA")),
            ("$6$rounds=999999999$salt$hash", TooCostly("SHA-crypt")),
            ("$1$nodollar", Malformed("MD5-crypt")),
            // Truncated: the digest part is shorter than the format writes it.
            ("$6$saltsalt$abc", Malformed("SHA-crypt")),
            (
                "$5$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
                Malformed("SHA-crypt"),
            ),
            ("$1$saltsalt$abc", Malformed("MD5-crypt")),
            ("$1$saltsalt$abcdefghijklmnopqrstu!", Malformed("MD5-crypt")),
            (
                "pbkdf2_sha256$1000$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                Malformed("PBKDF2"),
            ),
            ("$argon2id$garbage", Malformed("argon2")),
            ("", UnknownFormat),
        ] {
            assert_eq!(LegacyHash::parse(hash), Err(error), "{hash:?}");
        }
    }
}
