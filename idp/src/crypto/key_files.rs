//! The key files and the cryptography behind them: generating a key, reading and writing
//! `<kid>.json`, and turning its PEM into a signer, a verifier and a public JWK.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use josekit::{
    jwk::{Jwk, KeyPair, alg::ed::EdCurve},
    jws::{ES256, EdDSA, JwsSigner, RS256},
};
use serde::{Deserialize, Serialize};

use super::{
    jws::{Signer, Verifier},
    keys::KeyError,
};
use crate::model::oauth::SigningAlg;

/// One key as stored: `<kid>.json`.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct KeyFile {
    pub kid: String,
    pub alg: SigningAlg,
    pub created_at: i64,
    /// When the key starts to sign; before that it is only published.
    pub active_from: i64,
    /// Written in order: a key made later has a higher serial. Orders keys that become
    /// active in the same second (a rotation with no lead time right after another), so the
    /// newest one signs; seconds alone would leave it to the random kid. Files from before
    /// have 0.
    #[serde(default)]
    pub serial: u64,
    /// When an operator withdrew the key (a compromise): from then on it is neither
    /// published nor trusted, whatever its age. Kept in the file, which every node reads,
    /// so the withdrawal reaches them all on their next reload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
    pub private_pem: String,
    /// Where it was read from; never written.
    #[serde(skip)]
    pub path: PathBuf,
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

pub(super) fn crypto(e: impl std::fmt::Display) -> KeyError {
    KeyError::Crypto(e.to_string())
}

pub(super) fn generate(alg: SigningAlg) -> Result<String, KeyError> {
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

pub(super) fn public_jwk(alg: SigningAlg, pem: &str, kid: &str) -> Result<Jwk, KeyError> {
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

pub(super) fn signer(alg: SigningAlg, pem: &str, kid: &str) -> Result<Signer, KeyError> {
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

pub(super) fn verifier(alg: SigningAlg, jwk: &Jwk) -> Result<Verifier, KeyError> {
    if let Some(v) = Verifier::from_jwk(alg, jwk) {
        return Ok(v);
    }
    Ok(Verifier::Jose(match alg {
        SigningAlg::RS256 => Box::new(RS256.verifier_from_jwk(jwk).map_err(crypto)?),
        SigningAlg::ES256 => Box::new(ES256.verifier_from_jwk(jwk).map_err(crypto)?),
        SigningAlg::EdDSA => Box::new(EdDSA.verifier_from_jwk(jwk).map_err(crypto)?),
    }))
}

pub(super) fn read_key_files(dir: &Path) -> Result<Vec<KeyFile>, KeyError> {
    let io = |e| KeyError::Io(dir.to_owned(), e);
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let raw = std::fs::read(&path).map_err(|e| KeyError::Io(path.clone(), e))?;
        let mut file: KeyFile = serde_json::from_slice(&raw)
            .map_err(|e| KeyError::BadFile(path.clone(), e.to_string()))?;
        file.path = path;
        out.push(file);
    }
    // Oldest first; in the same second the later made, then the kid, so every node orders
    // keys the same way.
    out.sort_by(|a, b| (a.active_from, a.serial, &a.kid).cmp(&(b.active_from, b.serial, &b.kid)));
    Ok(out)
}

/// Writes a new key; its serial follows those of `existing`, the files read before.
pub(super) fn write_key(
    dir: &Path,
    existing: &[KeyFile],
    alg: SigningAlg,
    now: i64,
    active_from: i64,
) -> Result<String, KeyError> {
    let kid = format!("{}-{}", alg.as_str().to_lowercase(), super::random_token(9));
    let file = KeyFile {
        kid: kid.clone(),
        alg,
        created_at: now,
        active_from,
        serial: existing.iter().map(|f| f.serial).max().map_or(1, |m| m + 1),
        revoked_at: None,
        private_pem: generate(alg)?,
        path: PathBuf::new(),
    };
    let path = dir.join(format!("{kid}.json"));
    let bytes = serde_json::to_vec_pretty(&file).map_err(crypto)?;
    write_private_file(&path, &bytes).map_err(|e| KeyError::Io(path, e))?;
    Ok(kid)
}

/// Marks the key of `file` withdrawn at `now`. The new content goes to a temporary file
/// first and replaces the old by a rename, so a node reloading meanwhile reads either the
/// old file or the new one, never half of one; the private key is never lost.
pub(super) fn write_revoked(file: &KeyFile, now: i64) -> Result<(), KeyError> {
    let revoked = KeyFile {
        revoked_at: Some(now),
        ..file.clone()
    };
    let bytes = serde_json::to_vec_pretty(&revoked).map_err(crypto)?;
    // Not `.json`: readers skip it.
    let tmp = file.path.with_extension("json.tmp");
    let io = |e| KeyError::Io(tmp.clone(), e);
    // A leftover of a crash would stop the exclusive create below.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    write_private_file(&tmp, &bytes).map_err(io)?;
    std::fs::rename(&tmp, &file.path).map_err(io)
}
