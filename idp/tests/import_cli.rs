//! `idp import legacy` as an operator runs it: the built binary on a temporary SQLite
//! database configured only through IDP_* variables. What it prints where, and its exit
//! status.

mod common;

use std::{
    io::Write,
    path::Path,
    process::{Output, Stdio},
};

fn idp(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = common::idp(dir)
        .args(args)
        .env("IDP_LOG__FILTER", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run idp");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const FILE: &str = concat!(
    r#"{"service": "parcels", "username": "mrossi", "email": "m.rossi@example.test", "password_hash": "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"}"#,
    "\n",
    r#"{"service": "parcels", "username": "broken", "email": "no address", "password_hash": "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"}"#,
    "\n\n",
    r#"{"service": "bank", "username": "mario", "email": "M.Rossi@example.test", "password_hash": "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"}"#,
    "\n",
    r#"{"service": "bank", "username": "nomail", "email": null, "password_hash": "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"}"#,
    "\n",
);

#[test]
fn counts_on_stdout_rejections_on_stderr_and_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("legacy.jsonl");
    std::fs::write(&file, FILE).unwrap();
    let path = file.to_str().unwrap();

    let out = idp(dir.path(), &["import", "legacy", path], None);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout,
        "read      4\ncreated   2 (1 pending)\nmerged    1\nskipped   0\nrejected  1\n"
    );
    assert_eq!(stderr, "line 2: invalid email\n", "no progress on a pipe");

    // Again, from standard input and strict: nothing new, the same line refused, exit 1.
    let out = idp(
        dir.path(),
        &["import", "legacy", "--strict", "-"],
        Some(FILE.as_bytes()),
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("skipped   3\nrejected  1\n"), "{stdout}");
    assert!(stderr.starts_with("line 2: invalid email\n"), "{stderr}");
    assert!(stderr.contains("--strict"), "{stderr}");

    // Strict without a bad line succeeds.
    let clean: String = FILE
        .lines()
        .filter(|l| !l.contains("broken"))
        .collect::<Vec<_>>()
        .join("\n");
    let out = idp(
        dir.path(),
        &["import", "legacy", "--strict", "-"],
        Some(clean.as_bytes()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("skipped   3\nrejected  0\n"));
}

#[test]
fn unreadable_input_fails_without_counts() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.jsonl");
    let out = idp(
        dir.path(),
        &["import", "legacy", missing.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("missing.jsonl") && stderr.contains("No such file"),
        "{stderr}"
    );

    // A directory opens but cannot be read: an I/O error, not an empty import.
    let out = idp(
        dir.path(),
        &["import", "legacy", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr).contains("cannot read the input"),
        "{}",
        text(&out.stderr)
    );
}
