//! Signing keys: one active key per algorithm, a next key published before it signs, and
//! superseded keys kept in the JWKS until every token they signed has expired.
//!
//! Each key is one JSON file `<kid>.json` in the keys directory (mode 0600), so every node
//! that shares the directory sees the same set; nodes reload it periodically. An operator
//! may withdraw a compromised key (`revoke`): the mark goes into its file, so every node
//! stops trusting it on its next reload.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use arc_swap::ArcSwap;
use serde::Serialize;
use serde_json::{Map, Value};

pub(crate) use super::key_files::write_private_file;
use super::{
    jws::{self, Signer, Verifier},
    key_files::{
        KeyFile, crypto, public_jwk, read_key_files, signer, verifier, write_key, write_revoked,
    },
};
use crate::model::oauth::SigningAlg;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("keys directory {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("key file {0}: {1}")]
    BadFile(PathBuf, String),
    #[error("key operation failed: {0}")]
    Crypto(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("malformed token")]
    Malformed,
    #[error("unknown signing key")]
    UnknownKey,
    #[error("bad signature")]
    BadSignature,
}

/// Where a key is in its life, at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// Published; signs from `active_from` on.
    Next,
    /// Signs (one per algorithm).
    Active,
    /// Superseded: published and verifying the tokens it signed, no longer signing.
    Retiring,
    /// Unpublished; reads only ID tokens that come back as `id_token_hint`.
    Retired,
    /// Of no use any more; a rotation deletes its file.
    Expired,
    /// Withdrawn by an operator (a compromise): neither published nor trusted at all.
    Revoked,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Next => "next",
            KeyState::Active => "active",
            KeyState::Retiring => "retiring",
            KeyState::Retired => "retired",
            KeyState::Expired => "expired",
            KeyState::Revoked => "revoked",
        }
    }
}

impl std::fmt::Display for KeyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `idp keys list` and `GET /keys` show: never private material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    pub kid: String,
    pub alg: SigningAlg,
    pub created_at: i64,
    pub active_from: i64,
    pub state: KeyState,
    /// When an operator withdrew it.
    pub revoked_at: Option<i64>,
}

/// Why a key cannot be withdrawn.
#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    #[error("no key has this kid")]
    NotFound,
    #[error("{0} is the only key that signs {1}; rotate with --now first, then retire it")]
    SignsAlone(String, SigningAlg),
    #[error("the key {0} is retired already")]
    AlreadyRevoked(String),
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// How long a superseded key keeps a use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Published and verifying every token: the lifetime of the longest-lived token it
    /// signed. Kept short: it is how long a leaked key can still vouch for a forged token
    /// after a rotation.
    pub tokens: i64,
    /// Unpublished, reading only ID tokens that come back as `id_token_hint`: as long as
    /// the session they were issued in can live.
    pub hints: i64,
}

struct SigningKey {
    /// `{"alg":…,"kid":…,"typ":` already encoded, so a token costs no header work beyond `typ`.
    header_prefix: String,
    signer: Signer,
}

/// An immutable snapshot of the keys; swapped whole on reload.
pub struct KeySet {
    active: HashMap<SigningAlg, SigningKey>,
    verifiers: HashMap<String, (SigningAlg, Verifier)>,
    /// Retired keys: for [`KeySet::verify_hint`] only.
    hint_verifiers: HashMap<String, (SigningAlg, Verifier)>,
    jwks: bytes::Bytes,
    infos: Vec<KeyInfo>,
    /// Signatures this set has checked ([`super::verified`]).
    verified: super::verified::Verified,
}

/// The state of `live[i]`, a key not withdrawn, among the live keys of its algorithm (oldest
/// first; `active` indexes the one that signs).
fn live_state(
    live: &[&KeyFile],
    i: usize,
    active: Option<usize>,
    now: i64,
    retention: Retention,
) -> KeyState {
    match active {
        _ if live[i].active_from > now => KeyState::Next,
        Some(a) if a == i => KeyState::Active,
        Some(a) if i < a => {
            // Superseded when its successor became active.
            let superseded_at = live[i + 1].active_from;
            match now - superseded_at {
                age if age <= retention.tokens => KeyState::Retiring,
                age if age <= retention.hints => KeyState::Retired,
                _ => KeyState::Expired,
            }
        }
        _ => KeyState::Next,
    }
}

impl KeySet {
    /// Builds the snapshot valid at `now`; `retention` says how long a superseded key keeps
    /// which use.
    fn build(files: Vec<KeyFile>, now: i64, retention: Retention) -> Result<KeySet, KeyError> {
        let mut active = HashMap::new();
        let mut verifiers = HashMap::new();
        let mut hint_verifiers = HashMap::new();
        let mut jwks = Vec::new();
        let mut infos = Vec::new();
        for alg in SigningAlg::ALL {
            let of_alg: Vec<&KeyFile> = files.iter().filter(|f| f.alg == alg).collect();
            // A withdrawn key has no place in the succession: it never signs again, and it
            // does not end the life of the key before it.
            let live: Vec<&KeyFile> = of_alg
                .iter()
                .copied()
                .filter(|f| f.revoked_at.is_none())
                .collect();
            // The active key is the newest one whose activation time has come.
            let active_idx = live.iter().rposition(|f| f.active_from <= now);
            for f in of_alg {
                let state = match f.revoked_at {
                    // Once past every use it could have had, its file may go.
                    Some(at) if now - at > retention.hints => KeyState::Expired,
                    Some(_) => KeyState::Revoked,
                    None => {
                        let i = live.iter().position(|l| l.kid == f.kid).unwrap_or(0);
                        live_state(&live, i, active_idx, now, retention)
                    }
                };
                infos.push(KeyInfo {
                    kid: f.kid.clone(),
                    alg,
                    created_at: f.created_at,
                    active_from: f.active_from,
                    state,
                    revoked_at: f.revoked_at,
                });
                if matches!(state, KeyState::Expired | KeyState::Revoked) {
                    continue;
                }
                let jwk = public_jwk(alg, &f.private_pem, &f.kid)?;
                if state == KeyState::Retired {
                    hint_verifiers.insert(f.kid.clone(), (alg, verifier(alg, &jwk)?));
                    continue;
                }
                verifiers.insert(f.kid.clone(), (alg, verifier(alg, &jwk)?));
                jwks.push(Value::Object(jwk.as_ref().clone()));
                if state == KeyState::Active {
                    let header_prefix = format!(
                        "{{\"alg\":{},\"kid\":{},\"typ\":",
                        Value::from(alg.as_str()),
                        Value::from(f.kid.as_str())
                    );
                    active.insert(
                        alg,
                        SigningKey {
                            header_prefix,
                            signer: signer(alg, &f.private_pem, &f.kid)?,
                        },
                    );
                }
            }
        }
        let jwks = serde_json::to_vec(&serde_json::json!({ "keys": jwks })).map_err(crypto)?;
        Ok(KeySet {
            active,
            verifiers,
            hint_verifiers,
            jwks: bytes::Bytes::from(jwks),
            infos,
            verified: Default::default(),
        })
    }

    /// The JWKS document (RFC 7517 §5), serialised once per snapshot; cloning shares it.
    pub fn jwks_json(&self) -> bytes::Bytes {
        self.jwks.clone()
    }

    pub fn infos(&self) -> &[KeyInfo] {
        &self.infos
    }

    /// Signs `claims` as a JWS with the active key of `alg` and the given `typ`.
    pub fn sign(
        &self,
        alg: SigningAlg,
        typ: &str,
        claims: Map<String, Value>,
    ) -> Result<String, KeyError> {
        let key = self
            .active
            .get(&alg)
            .ok_or_else(|| KeyError::Crypto(format!("no active {alg} key")))?;
        jws::sign_compact(&key.signer, &key.header_prefix, typ, &claims)
    }

    /// Checks the signature of a token signed by one of our published keys and returns its
    /// claims and `typ`. Times and audience are the caller's to check.
    /// A token checked before by this set is not checked again ([`super::verified`]).
    pub fn verify(&self, token: &str) -> Result<(Map<String, Value>, Option<String>), VerifyError> {
        let key = super::verified::Verified::key(token);
        if let Some(checked) = self.verified.get(&key) {
            return Ok(checked);
        }
        let checked = self.verify_with(token, false)?;
        self.verified.remember(key, &checked);
        Ok(checked)
    }

    /// [`KeySet::verify`], also with retired keys: for an `id_token_hint` only, which may
    /// come back as long as its session lives.
    pub fn verify_hint(
        &self,
        token: &str,
    ) -> Result<(Map<String, Value>, Option<String>), VerifyError> {
        self.verify_with(token, true)
    }

    fn verify_with(
        &self,
        token: &str,
        retired_too: bool,
    ) -> Result<(Map<String, Value>, Option<String>), VerifyError> {
        let parts = jws::Compact::parse(token)?;
        let kid = parts
            .header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(VerifyError::UnknownKey)?;
        let (alg, verifier) = self
            .verifiers
            .get(kid)
            .or_else(|| retired_too.then(|| self.hint_verifiers.get(kid)).flatten())
            .ok_or(VerifyError::UnknownKey)?;
        // The header's alg must be the key's: no algorithm confusion.
        if parts.header.get("alg").and_then(Value::as_str) != Some(alg.as_str()) {
            return Err(VerifyError::BadSignature);
        }
        // We never set `crit`; a token that does is not ours (RFC 7515 §4.1.11).
        if parts.header.contains_key("crit") {
            return Err(VerifyError::BadSignature);
        }
        if !verifier.verify(parts.signing_input.as_bytes(), &parts.signature) {
            return Err(VerifyError::BadSignature);
        }
        let typ = parts
            .header
            .get("typ")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok((parts.payload()?, typ))
    }
}

/// The live key set of a node: loads, generates missing keys, rotates and reloads.
pub struct KeyManager {
    dir: PathBuf,
    retention: Retention,
    current: ArcSwap<KeySet>,
    /// One withdrawal at a time on this node, so two at once cannot both pass the check
    /// that a key is not the one signing. (Across nodes the active key is the same file
    /// everywhere, so the check holds there too.)
    revoking: Mutex<()>,
}

impl KeyManager {
    /// Loads the directory, generating an immediately active key for every algorithm that
    /// has none (first start).
    pub fn load_or_generate(
        dir: &Path,
        now: i64,
        retention: Retention,
    ) -> Result<KeyManager, KeyError> {
        let files = read_key_files(dir)?;
        let mut generated = false;
        for alg in SigningAlg::ALL {
            let signs =
                |f: &KeyFile| f.alg == alg && f.active_from <= now && f.revoked_at.is_none();
            if !files.iter().any(signs) {
                write_key(dir, &files, alg, now, now)?;
                generated = true;
            }
        }
        let files = if generated {
            read_key_files(dir)?
        } else {
            files
        };
        let set = KeySet::build(files, now, retention)?;
        Ok(KeyManager {
            dir: dir.to_owned(),
            retention,
            current: ArcSwap::from_pointee(set),
            revoking: Mutex::new(()),
        })
    }

    pub fn current(&self) -> arc_swap::Guard<Arc<KeySet>> {
        self.current.load()
    }

    /// Re-reads the directory: picks up keys rotated by another node and activates a next
    /// key whose time has come.
    pub fn reload(&self, now: i64) -> Result<(), KeyError> {
        let set = KeySet::build(read_key_files(&self.dir)?, now, self.retention)?;
        self.current.store(Arc::new(set));
        Ok(())
    }

    /// Adds a new key for each algorithm, active `lead` seconds from now (published at once),
    /// and deletes key files that expired from the JWKS. Returns the new kids.
    pub fn rotate(&self, now: i64, lead: i64) -> Result<Vec<String>, KeyError> {
        let mut kids = Vec::new();
        let files = read_key_files(&self.dir)?;
        for alg in SigningAlg::ALL {
            kids.push(write_key(&self.dir, &files, alg, now, now + lead)?);
        }
        self.reload(now)?;
        for info in self
            .current()
            .infos()
            .iter()
            .filter(|i| i.state == KeyState::Expired)
        {
            let path = self.dir.join(format!("{}.json", info.kid));
            let _ = std::fs::remove_file(path);
        }
        self.reload(now)?;
        Ok(kids)
    }

    /// Withdraws the key `kid` at `now` (a compromise): this node stops publishing it and
    /// trusting anything it signed at once, the others on their next reload. The key that
    /// signs for its algorithm is refused: tokens would stop being issued; a rotation with
    /// no lead time replaces it first. `kid` is only ever compared with the kids of the
    /// files read, never made into a path.
    pub fn revoke(&self, kid: &str, now: i64) -> Result<KeyInfo, RevokeError> {
        let _one_at_a_time = self.revoking.lock().unwrap_or_else(|e| e.into_inner());
        let files = read_key_files(&self.dir)?;
        let set = KeySet::build(files.clone(), now, self.retention)?;
        let info = set
            .infos
            .iter()
            .find(|i| i.kid == kid)
            .ok_or(RevokeError::NotFound)?;
        match info.state {
            KeyState::Active => return Err(RevokeError::SignsAlone(info.kid.clone(), info.alg)),
            KeyState::Revoked => return Err(RevokeError::AlreadyRevoked(info.kid.clone())),
            _ => {}
        }
        let file = files
            .iter()
            .find(|f| f.kid == kid)
            .ok_or(RevokeError::NotFound)?;
        write_revoked(file, now)?;
        self.reload(now)?;
        self.current()
            .infos()
            .iter()
            .find(|i| i.kid == kid)
            .cloned()
            .ok_or(RevokeError::NotFound)
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
