//! Client secrets are stored as an HMAC-SHA256 under a server key (a "pepper"), not with
//! argon2: they are high-entropy random values, so a slow hash adds nothing but would cap
//! the token endpoint near 25 requests/s per core. The key makes a stolen table useless for
//! offline guessing of the few operator-chosen secrets.

use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{b64url, random_token};

const PREFIX: &str = "hmac-sha256:";
const FILE: &str = "client-secret.key";

#[derive(Clone)]
pub struct SecretHasher {
    key: Vec<u8>,
}

impl std::fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHasher([redacted])")
    }
}

impl SecretHasher {
    pub fn new(key: Vec<u8>) -> SecretHasher {
        SecretHasher { key }
    }

    /// Reads the key from `keys_dir`, creating it on first use. Every node must share it.
    pub fn load_or_create(keys_dir: &Path) -> std::io::Result<SecretHasher> {
        let path = keys_dir.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(s) => Ok(SecretHasher::new(s.trim().as_bytes().to_vec())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(keys_dir)?;
                let key = random_token(32);
                super::keys::write_private_file(&path, key.as_bytes())?;
                // Another node may have won the race; whatever is on disk is the key.
                let s = std::fs::read_to_string(&path)?;
                Ok(SecretHasher::new(s.trim().as_bytes().to_vec()))
            }
            Err(e) => Err(e),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        Hmac::<Sha256>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!())
    }

    pub fn hash(&self, secret: &str) -> String {
        let mut mac = self.mac();
        mac.update(secret.as_bytes());
        format!("{PREFIX}{}", b64url(&mac.finalize().into_bytes()))
    }

    /// A tag of `data` for `purpose` (domain-separated from secrets and from other
    /// purposes), for values Postern hands out and must recognise on any node.
    pub fn tag(&self, purpose: &str, data: &str) -> String {
        b64url(&self.tag_mac(purpose, data).finalize().into_bytes())
    }

    fn tag_mac(&self, purpose: &str, data: &str) -> Hmac<Sha256> {
        let mut mac = self.mac();
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data.as_bytes());
        mac
    }

    /// Constant-time check of a tag made by [`Self::tag`].
    pub fn check_tag(&self, purpose: &str, data: &str, tag: &str) -> bool {
        let Ok(expected) =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, tag)
        else {
            return false;
        };
        self.tag_mac(purpose, data).verify_slice(&expected).is_ok()
    }

    /// Constant-time check of a presented secret against the stored hash.
    pub fn verify(&self, secret: &str, stored: &str) -> bool {
        let Some(encoded) = stored.strip_prefix(PREFIX) else {
            return false;
        };
        let Ok(expected) =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, encoded)
        else {
            return false;
        };
        let mut mac = self.mac();
        mac.update(secret.as_bytes());
        mac.verify_slice(&expected).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_secret() {
        let h = SecretHasher::new(b"k".to_vec());
        let stored = h.hash("s3cret");
        assert!(h.verify("s3cret", &stored));
        assert!(!h.verify("s3cret ", &stored));
        assert!(!h.verify("s3cret", "plain"));
        assert!(!SecretHasher::new(b"other".to_vec()).verify("s3cret", &stored));
    }

    #[test]
    fn a_tag_holds_for_its_purpose_data_and_key_only() {
        let h = SecretHasher::new(b"k".to_vec());
        let tag = h.tag("dpop-nonce", "42");
        assert!(h.check_tag("dpop-nonce", "42", &tag));
        assert!(!h.check_tag("dpop-nonce", "43", &tag));
        assert!(!h.check_tag("other", "42", &tag));
        assert!(!h.check_tag("dpop-nonce", "42", "not base64!"));
        assert!(!SecretHasher::new(b"other".to_vec()).check_tag("dpop-nonce", "42", &tag));
        // Not a secret's hash either: the purpose keeps the two apart.
        assert_ne!(format!("{PREFIX}{tag}"), h.hash("42"));
    }
}
