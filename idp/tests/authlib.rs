//! Interoperability with a strict third-party client: Python's authlib drives `idp serve`
//! (started with only IDP_* variables, a client and a user made with the `idp` commands)
//! through code + PKCE, ID token validation, userinfo, refresh, introspection, revocation and
//! logout. See tests/thirdparty/run.sh; it needs python3 with venv, and PyPI when it fills
//! tests/thirdparty/.venv (the first run, and after requirements.txt changes).

use std::process::Command;

#[test]
fn authlib_completes_every_flow() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new("bash")
        .arg(format!("{root}/tests/thirdparty/run.sh"))
        .env("IDP_BIN", env!("CARGO_BIN_EXE_idp"))
        .current_dir(root)
        .output()
        .expect("run tests/thirdparty/run.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "authlib check failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(
        stdout.contains("passed, 0 failed"),
        "authlib check printed no summary\n{stdout}"
    );
}
