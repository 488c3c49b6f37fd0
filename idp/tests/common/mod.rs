//! The built `idp` as an operator runs it, for the tests of its commands.

use std::{path::Path, process::Command};

/// `idp` run from the repository (for `config/default.toml`) with its database, keys and
/// outbox in `dir`, configured only through these IDP_* variables, whatever the caller's
/// environment holds.
pub fn idp(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idp"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IDP_")) {
        cmd.env_remove(k);
    }
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("IDP_PROFILE", "prod")
        .env("IDP_ISSUER", "http://127.0.0.1:9")
        .env(
            "IDP_DATABASE_URL",
            format!("sqlite://{}/idp.db?mode=rwc", dir.display()),
        )
        .env("IDP_KEYS_DIR", dir.join("keys"))
        .env("IDP_OUTBOX_DIR", dir.join("outbox"));
    cmd
}
