//! The `idp` commands with their standard output closed before they print, as when the
//! reader of a pipe has gone (`idp clients list | head -1` on a long list). Each does its
//! work and exits as it would have; none panics on the line it can no longer print.

mod common;

use std::{
    path::Path,
    process::{Output, Stdio},
};

/// Runs `idp args` on a SQLite database in `dir`, its standard output going to `stdout`.
fn idp(dir: &Path, args: &[&str], stdout: Stdio) -> Output {
    common::idp(dir)
        .args(args)
        .env("IDP_LOG__FILTER", "warn")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("run idp")
}

/// A pipe whose reading end is closed before the command starts: every write to it fails
/// (EPIPE), whenever the command gets to it.
fn closed() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer.into()
}

#[test]
fn commands_whose_output_is_closed_do_their_work_and_exit_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let runs: &[&[&str]] = &[
        &["config", "check"],
        &["migrate"],
        &["keys", "list"],
        &[
            "users",
            "create",
            "--email",
            "a.reader@example.test",
            "--password",
            "correct horse battery staple",
        ],
        &["users", "list"],
        &[
            "clients",
            "create",
            "--client-id",
            "parcels",
            "--name",
            "Parcels",
            "--redirect-uri",
            "https://parcels.example.test/cb",
        ],
        &["clients", "list"],
        &["audit"],
    ];
    for args in runs {
        let out = idp(dir.path(), args, closed());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "idp {args:?}: {stderr}");
        assert!(
            out.status.success(),
            "idp {args:?}: {} {stderr}",
            out.status
        );
    }
    // The work was done although nothing could be printed: the account and the client
    // exist, as a listing with its output read shows.
    let listed = |args: &[&str]| {
        let out = idp(dir.path(), args, Stdio::piped());
        assert!(out.status.success(), "idp {args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(listed(&["users", "list"]).contains("a.reader@example.test"));
    assert!(listed(&["clients", "list"]).contains("parcels"));
}
