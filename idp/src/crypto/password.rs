//! Password hashing with argon2id, off the async runtime and with bounded concurrency.

use std::sync::{Arc, Mutex, PoisonError};

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{PasswordHasher as _, phc::PasswordHash},
};
use tokio::sync::Semaphore;

use super::Secret;
use crate::config;

#[derive(Debug, PartialEq, Eq)]
pub struct Verification {
    pub valid: bool,
    /// The stored hash was made with other parameters: store a fresh one.
    pub needs_rehash: bool,
}

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of a random password with the current parameters, verified for unknown
    /// accounts so that they cost the same work as known ones.
    dummy: Arc<String>,
    /// Verifications performed (known and unknown accounts alike), for tests and metrics.
    verifications: Arc<std::sync::atomic::AtomicU64>,
    memory: Arc<Memory>,
}

/// argon2's working memory (19 MiB with the default parameters), kept from one verification
/// to the next. Left to the allocator, each verification mapped it afresh and the kernel
/// faulted in and zeroed every page of it, about 5,000 page faults: a sign-in cost nearly
/// twice the hash itself. At most `keep` block sets are kept (one per hashing slot), and
/// only of the configured size, so a stored hash with larger parameters does not stay
/// resident.
///
/// The blocks are not wiped between uses: whoever can read this process's memory can read
/// the passwords arriving in requests too.
struct Memory {
    blocks: usize,
    keep: usize,
    free: Mutex<Vec<Vec<Block>>>,
}

impl Memory {
    /// `work` on `blocks` blocks; `None` when they cannot be allocated (a stored hash
    /// asking for more memory than there is fails its verification, not the process).
    fn with<R>(&self, blocks: usize, work: impl FnOnce(&mut [Block]) -> R) -> Option<R> {
        let kept = if blocks == self.blocks {
            self.free
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop()
        } else {
            None
        };
        let mut memory = match kept {
            Some(m) => m,
            None => {
                let mut m = Vec::new();
                m.try_reserve_exact(blocks).ok()?;
                m.resize(blocks, Block::default());
                m
            }
        };
        let out = work(&mut memory);
        if blocks == self.blocks {
            let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
            if free.len() < self.keep {
                free.push(memory);
            }
        }
        Some(out)
    }
}

/// Whether `password` hashes to `stored`, as `argon2`'s own verifier decides (the algorithm,
/// version and parameters written in the hash; a constant-time comparison), but with
/// `memory`'s blocks.
fn verify_with(memory: &Memory, password: &[u8], stored: &PasswordHash) -> bool {
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(stored.algorithm.as_str()) else {
        return false;
    };
    let version = match stored.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(stored) else {
        return false;
    };
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    memory.with(blocks, |m| {
        argon
            .hash_password_into_with_memory(password, salt, &mut out, m)
            .is_ok()
    }) == Some(true)
        && bool::from(subtle::ConstantTimeEq::ct_eq(
            out.as_slice(),
            expected.as_ref(),
        ))
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("hashing task failed")]
    Join,
}

impl PasswordHasher {
    pub fn new(cfg: &config::Password) -> Result<PasswordHasher, PasswordError> {
        let params = Params::new(cfg.memory_kib, cfg.iterations, cfg.parallelism, None)
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy = argon
            .hash_password(super::random_token(16).as_bytes())
            .map_err(|e| PasswordError::Hash(e.to_string()))?
            .to_string();
        Ok(PasswordHasher {
            memory: Arc::new(Memory {
                blocks: params.block_count(),
                keep: cfg.max_concurrent,
                free: Mutex::default(),
            }),
            params,
            permits: Arc::new(Semaphore::new(cfg.max_concurrent)),
            dummy: Arc::new(dummy),
            verifications: Arc::default(),
        })
    }

    pub fn verifications(&self) -> u64 {
        self.verifications
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A hashing slot, moved into the blocking task that uses it.
    async fn permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, PasswordError> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PasswordError::Join)
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: &Secret) -> Result<String, PasswordError> {
        let permit = self.permit().await?;
        let argon = self.argon();
        let pw = password.clone();
        tokio::task::spawn_blocking(move || {
            // Held by the hashing thread, not the request: a request dropped half-way
            // (the client went away) must not let another hash start beside this one.
            let _permit = permit;
            argon
                .hash_password(pw.expose().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| PasswordError::Hash(e.to_string()))
        })
        .await
        .map_err(|_| PasswordError::Join)?
    }

    /// Verifies `password` against `stored`; with `None` (no such account, or no password)
    /// a dummy hash is verified so the answer takes the same time, and is always false.
    pub async fn verify(
        &self,
        password: &Secret,
        stored: Option<&str>,
    ) -> Result<Verification, PasswordError> {
        let permit = self.permit().await?;
        self.verifications
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let known = stored.is_some();
        let stored = stored.unwrap_or(self.dummy.as_str()).to_owned();
        let pw = password.clone();
        let argon = self.argon();
        let wanted = self.params.clone();
        let memory = self.memory.clone();
        tokio::task::spawn_blocking(move || {
            // Held by the hashing thread, not the request: a request dropped half-way
            // (the client went away) must not let another hash start beside this one.
            let _permit = permit;
            let Ok(parsed) = PasswordHash::new(&stored) else {
                // An unreadable stored hash still costs one verification.
                let _ = argon.hash_password(pw.expose().as_bytes());
                return Ok(Verification {
                    valid: false,
                    needs_rehash: false,
                });
            };
            let valid = verify_with(&memory, pw.expose().as_bytes(), &parsed) && known;
            let needs_rehash = valid
                && (parsed.algorithm.as_str() != "argon2id"
                    || Params::try_from(&parsed).is_ok_and(|p| {
                        (p.m_cost(), p.t_cost(), p.p_cost())
                            != (wanted.m_cost(), wanted.t_cost(), wanted.p_cost())
                    }));
            Ok(Verification {
                valid,
                needs_rehash,
            })
        })
        .await
        .map_err(|_| PasswordError::Join)?
    }
}

/// The longest password checked against an old service's hash.
pub const MAX_LEGACY_PASSWORD_BYTES: usize = 1024;

impl PasswordHasher {
    /// Verifies `password` against a hash of an old service (`crypto::legacy`), under the
    /// same permits as argon2 so an old format cannot be used to queue unbounded work. An
    /// unreadable hash is false (the import refuses those).
    pub async fn verify_legacy(
        &self,
        password: &Secret,
        stored: &str,
    ) -> Result<bool, PasswordError> {
        // SHA-crypt's work grows with the square of the password's length: a form-sized
        // password must not buy seconds of a hashing thread. No old service had longer ones.
        if password.expose().len() > MAX_LEGACY_PASSWORD_BYTES {
            return Ok(false);
        }
        let permit = self.permit().await?;
        self.verifications
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let stored = stored.to_owned();
        let pw = password.clone();
        tokio::task::spawn_blocking(move || {
            // Held by the hashing thread, not the request: a request dropped half-way
            // (the client went away) must not let another hash start beside this one.
            let _permit = permit;
            super::legacy::LegacyHash::parse(&stored).is_ok_and(|h| h.verify(pw.expose()))
        })
        .await
        .map_err(|_| PasswordError::Join)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> config::Password {
        config::Password {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
            max_concurrent: 2,
        }
    }

    #[tokio::test]
    async fn hashes_verify_and_detect_parameter_changes() {
        let h = PasswordHasher::new(&cheap()).unwrap();
        let stored = h.hash(&Secret::new("pässwörd")).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        let ok = h
            .verify(&Secret::new("pässwörd"), Some(&stored))
            .await
            .unwrap();
        assert_eq!(
            ok,
            Verification {
                valid: true,
                needs_rehash: false
            }
        );
        let bad = h
            .verify(&Secret::new("password"), Some(&stored))
            .await
            .unwrap();
        assert!(!bad.valid);
        let unknown = h.verify(&Secret::new("pässwörd"), None).await.unwrap();
        assert!(!unknown.valid);

        let mut stronger = cheap();
        stronger.iterations = 2;
        let h2 = PasswordHasher::new(&stronger).unwrap();
        let again = h2
            .verify(&Secret::new("pässwörd"), Some(&stored))
            .await
            .unwrap();
        assert_eq!(
            again,
            Verification {
                valid: true,
                needs_rehash: true
            }
        );
    }

    /// The kept memory gives the answers `argon2`'s own verifier gives, for hashes of every
    /// variant, version, lane count and output length another implementation may have made.
    #[test]
    fn verification_with_kept_memory_agrees_with_argon2() {
        use argon2::{PasswordVerifier as _, password_hash::CustomizedPasswordHasher as _};
        let memory = Memory {
            blocks: Params::new(64, 1, 1, None).unwrap().block_count(),
            keep: 1,
            free: Mutex::default(),
        };
        let salt = b"some-salt-bytes!";
        for (alg, version, m, t, p, len) in [
            ("argon2id", 0x13, 64, 1, 1, 32),
            ("argon2i", 0x13, 64, 2, 1, 32),
            ("argon2d", 0x10, 64, 1, 1, 16),
            ("argon2id", 0x13, 128, 1, 2, 64),
        ] {
            let params = Params::new(m, t, p, Some(len)).unwrap();
            let made = Argon2::default()
                .hash_password_customized(b"correct horse", salt, Some(alg), Some(version), params)
                .unwrap();
            let stored = PasswordHash::new(&made.to_string()).unwrap();
            for (password, right) in [(&b"correct horse"[..], true), (b"correct horsf", false)] {
                assert_eq!(
                    Argon2::default().verify_password(password, &stored).is_ok(),
                    right
                );
                assert_eq!(
                    verify_with(&memory, password, &stored),
                    right,
                    "{alg} v{version} m={m} p={p}"
                );
            }
        }
        // Only the configured size is kept, once: the other sizes were dropped after use.
        let free = memory.free.lock().unwrap();
        assert_eq!(free.len(), 1);
        assert_eq!(free[0].len(), memory.blocks);
    }

    /// However many verifications ran at once, no more block sets are kept than there are
    /// hashing slots; and a size that cannot be allocated fails, without aborting.
    #[test]
    fn kept_memory_is_bounded() {
        let memory = Memory {
            blocks: 8,
            keep: 2,
            free: Mutex::default(),
        };
        let nested = memory.with(8, |_| memory.with(8, |_| memory.with(8, |_| ()).is_some()));
        assert_eq!(nested, Some(Some(true)), "three sets at once");
        assert_eq!(memory.free.lock().unwrap().len(), 2);
        assert_eq!(memory.with(usize::MAX / 2, |_| ()), None);
    }
}
