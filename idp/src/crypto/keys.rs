//! Signing keys: one active key per algorithm, a next key published before it signs, and
//! superseded keys kept in the JWKS until every token they signed has expired.
//!
//! Each key is one JSON file `<kid>.json` in the keys directory (mode 0600), so every node
//! that shares the directory sees the same set; nodes reload it periodically.

use std::{
    collections::HashMap,
    io::Write,
    path::{Path, PathBuf},
    sync::Arc,
};

use arc_swap::ArcSwap;
use josekit::{
    jwk::{Jwk, KeyPair, alg::ed::EdCurve},
    jws::{ES256, EdDSA, JwsSigner, RS256},
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::jws::{self, Signer, Verifier};
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

#[derive(Serialize, Deserialize)]
struct KeyFile {
    kid: String,
    alg: SigningAlg,
    created_at: i64,
    /// When the key starts to sign; before that it is only published.
    active_from: i64,
    private_pem: String,
}

/// What `idp keys list` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    pub kid: String,
    pub alg: SigningAlg,
    pub created_at: i64,
    pub active_from: i64,
    /// `next`, `active`, `retiring` (published, no longer signs), `retired` (unpublished,
    /// reads `id_token_hint`s only) or `expired`.
    pub state: &'static str,
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
}

pub(crate) fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(mut f) => {
            f.write_all(bytes)?;
            f.sync_all()
        }
        // Another node wrote it first; keep theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn crypto(e: impl std::fmt::Display) -> KeyError {
    KeyError::Crypto(e.to_string())
}

fn generate(alg: SigningAlg) -> Result<String, KeyError> {
    let pem = match alg {
        SigningAlg::RS256 => RS256
            .generate_key_pair(2048)
            .map_err(crypto)?
            .to_pem_private_key(),
        SigningAlg::ES256 => ES256
            .generate_key_pair()
            .map_err(crypto)?
            .to_pem_private_key(),
        SigningAlg::EdDSA => EdDSA
            .generate_key_pair(EdCurve::Ed25519)
            .map_err(crypto)?
            .to_pem_private_key(),
    };
    String::from_utf8(pem).map_err(crypto)
}

fn public_jwk(alg: SigningAlg, pem: &str, kid: &str) -> Result<Jwk, KeyError> {
    let mut jwk = match alg {
        SigningAlg::RS256 => RS256
            .key_pair_from_pem(pem)
            .map_err(crypto)?
            .to_jwk_public_key(),
        SigningAlg::ES256 => ES256
            .key_pair_from_pem(pem)
            .map_err(crypto)?
            .to_jwk_public_key(),
        SigningAlg::EdDSA => EdDSA
            .key_pair_from_pem(pem)
            .map_err(crypto)?
            .to_jwk_public_key(),
    };
    jwk.set_key_id(kid);
    jwk.set_algorithm(alg.as_str());
    jwk.set_key_use("sig");
    Ok(jwk)
}

fn signer(alg: SigningAlg, pem: &str, kid: &str) -> Result<Signer, KeyError> {
    // A key ring cannot read (another PEM flavour) still signs, through josekit.
    match Signer::from_pem(alg, pem) {
        Some(s) => Ok(s),
        None => Ok(Signer::Jose(jose_signer(alg, pem, kid)?)),
    }
}

fn jose_signer(alg: SigningAlg, pem: &str, kid: &str) -> Result<Box<dyn JwsSigner>, KeyError> {
    Ok(match alg {
        SigningAlg::RS256 => {
            let mut s = RS256.signer_from_pem(pem).map_err(crypto)?;
            s.set_key_id(kid);
            Box::new(s)
        }
        SigningAlg::ES256 => {
            let mut s = ES256.signer_from_pem(pem).map_err(crypto)?;
            s.set_key_id(kid);
            Box::new(s)
        }
        SigningAlg::EdDSA => {
            let mut s = EdDSA.signer_from_pem(pem).map_err(crypto)?;
            s.set_key_id(kid);
            Box::new(s)
        }
    })
}

fn verifier(alg: SigningAlg, jwk: &Jwk) -> Result<Verifier, KeyError> {
    if let Some(v) = Verifier::from_jwk(alg, jwk) {
        return Ok(v);
    }
    Ok(Verifier::Jose(match alg {
        SigningAlg::RS256 => Box::new(RS256.verifier_from_jwk(jwk).map_err(crypto)?),
        SigningAlg::ES256 => Box::new(ES256.verifier_from_jwk(jwk).map_err(crypto)?),
        SigningAlg::EdDSA => Box::new(EdDSA.verifier_from_jwk(jwk).map_err(crypto)?),
    }))
}

fn read_key_files(dir: &Path) -> Result<Vec<KeyFile>, KeyError> {
    let io = |e| KeyError::Io(dir.to_owned(), e);
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let raw = std::fs::read(&path).map_err(|e| KeyError::Io(path.clone(), e))?;
        let file: KeyFile = serde_json::from_slice(&raw)
            .map_err(|e| KeyError::BadFile(path.clone(), e.to_string()))?;
        out.push(file);
    }
    // Oldest first; ties broken by kid so every node orders keys the same way.
    out.sort_by(|a, b| (a.active_from, &a.kid).cmp(&(b.active_from, &b.kid)));
    Ok(out)
}

fn write_key(dir: &Path, alg: SigningAlg, now: i64, active_from: i64) -> Result<String, KeyError> {
    let kid = format!("{}-{}", alg.as_str().to_lowercase(), super::random_token(9));
    let file = KeyFile {
        kid: kid.clone(),
        alg,
        created_at: now,
        active_from,
        private_pem: generate(alg)?,
    };
    let path = dir.join(format!("{kid}.json"));
    let bytes = serde_json::to_vec_pretty(&file).map_err(crypto)?;
    write_private_file(&path, &bytes).map_err(|e| KeyError::Io(path, e))?;
    Ok(kid)
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
            // The active key is the newest one whose activation time has come.
            let active_idx = of_alg.iter().rposition(|f| f.active_from <= now);
            for (i, f) in of_alg.iter().enumerate() {
                let state = match active_idx {
                    _ if f.active_from > now => "next",
                    Some(a) if a == i => "active",
                    Some(a) if i < a => {
                        // Superseded when its successor became active.
                        let superseded_at = of_alg[i + 1].active_from;
                        match now - superseded_at {
                            age if age <= retention.tokens => "retiring",
                            age if age <= retention.hints => "retired",
                            _ => "expired",
                        }
                    }
                    _ => "next",
                };
                infos.push(KeyInfo {
                    kid: f.kid.clone(),
                    alg,
                    created_at: f.created_at,
                    active_from: f.active_from,
                    state,
                });
                if state == "expired" {
                    continue;
                }
                let jwk = public_jwk(alg, &f.private_pem, &f.kid)?;
                if state == "retired" {
                    hint_verifiers.insert(f.kid.clone(), (alg, verifier(alg, &jwk)?));
                    continue;
                }
                verifiers.insert(f.kid.clone(), (alg, verifier(alg, &jwk)?));
                jwks.push(Value::Object(jwk.as_ref().clone()));
                if state == "active" {
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
    pub fn verify(&self, token: &str) -> Result<(Map<String, Value>, Option<String>), VerifyError> {
        self.verify_with(token, false)
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
            if !files.iter().any(|f| f.alg == alg && f.active_from <= now) {
                write_key(dir, alg, now, now)?;
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
        for alg in SigningAlg::ALL {
            kids.push(write_key(&self.dir, alg, now, now + lead)?);
        }
        self.reload(now)?;
        for info in self
            .current()
            .infos()
            .iter()
            .filter(|i| i.state == "expired")
        {
            let path = self.dir.join(format!("{}.json", info.kid));
            let _ = std::fs::remove_file(path);
        }
        self.reload(now)?;
        Ok(kids)
    }
}

#[cfg(test)]
mod tests {
    use josekit::jwt;

    use super::*;

    #[test]
    fn sign_verify_and_rotation_states() {
        let dir = tempfile::tempdir().unwrap();
        let retention = Retention {
            tokens: 600,
            hints: 3600,
        };
        let km = KeyManager::load_or_generate(dir.path(), 1000, retention).unwrap();
        let set = km.current();
        // The keys we generate are PKCS#8, so ES256 and EdDSA take ring's fast path.
        assert!(matches!(
            set.active[&SigningAlg::ES256].signer,
            Signer::Ecdsa(_)
        ));
        assert!(matches!(
            set.active[&SigningAlg::EdDSA].signer,
            Signer::Ed25519(_)
        ));
        for alg in SigningAlg::ALL {
            let mut claims = Map::new();
            claims.insert("sub".into(), "alice".into());
            let token = set.sign(alg, "JWT", claims).unwrap();
            let (back, typ) = set.verify(&token).unwrap();
            assert_eq!(back["sub"], "alice");
            assert_eq!(typ.as_deref(), Some("JWT"));
            let mut tampered = token.clone();
            tampered.push('A');
            assert!(set.verify(&tampered).is_err());
        }
        drop(set);

        // Rotation with a lead time: the next key is published but does not sign yet.
        let old = km
            .current()
            .infos()
            .iter()
            .find(|i| i.alg == SigningAlg::ES256)
            .unwrap()
            .kid
            .clone();
        km.rotate(2000, 100).unwrap();
        let states: Vec<_> = km
            .current()
            .infos()
            .iter()
            .filter(|i| i.alg == SigningAlg::ES256)
            .map(|i| i.state)
            .collect();
        assert_eq!(states, vec!["active", "next"]);
        let token = km
            .current()
            .sign(SigningAlg::ES256, "JWT", Map::new())
            .unwrap();
        assert!(jwt::decode_header(&token).unwrap().claim("kid").unwrap() == old.as_str());

        // After the lead time the new key signs and the old one is still published.
        km.reload(2100).unwrap();
        let states: Vec<_> = km
            .current()
            .infos()
            .iter()
            .filter(|i| i.alg == SigningAlg::ES256)
            .map(|i| i.state)
            .collect();
        assert_eq!(states, vec!["retiring", "active"]);
        assert!(
            km.current().verify(&token).is_ok(),
            "tokens of the retiring key still verify"
        );

        // Past the token retention it leaves the JWKS and verifies only hints.
        km.reload(2100 + 601).unwrap();
        assert_eq!(km.current().verify(&token), Err(VerifyError::UnknownKey));
        assert!(km.current().verify_hint(&token).is_ok());
        let jwks: Value = serde_json::from_slice(&km.current().jwks_json()).unwrap();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 3);

        // Past the hint retention it is gone, and a rotation deletes its file.
        km.reload(2100 + 3601).unwrap();
        assert_eq!(
            km.current().verify_hint(&token),
            Err(VerifyError::UnknownKey)
        );
        km.rotate(2100 + 3601, 100).unwrap();
        assert!(!dir.path().join(format!("{old}.json")).exists());
    }
}
