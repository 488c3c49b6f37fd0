//! `idp serve` refuses to start with an operator override that would break a page, and
//! says which message or file is at fault: the built binary, configured only through IDP_*
//! variables, as an operator starts it.

mod common;

use std::{
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

/// `idp serve` in `dir`, configured as an operator would, plus `env`.
fn command(dir: &Path, env: &[(&str, String)]) -> Command {
    let mut cmd = common::idp(dir);
    cmd.arg("serve")
        .env("IDP_LISTEN", "127.0.0.1:0")
        .envs(env.iter().map(|(k, v)| (*k, v)));
    cmd
}

/// Runs `idp serve` until it exits; a server that starts anyway is stopped and reported.
fn serve(dir: &Path, env: &[(&str, String)]) -> (bool, String) {
    let mut child = command(dir, env)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run idp");
    // Not a timing check: a server that started despite the fault never exits by itself.
    let deadline = Instant::now() + Duration::from_secs(60);
    let exited = loop {
        match child.try_wait().unwrap() {
            Some(status) => break Some(status),
            None if Instant::now() > deadline => break None,
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    if exited.is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (exited.is_some_and(|s| !s.success()), stderr)
}

#[test]
fn a_message_override_missing_a_language_stops_start_up_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let messages = dir.path().join("messages");
    std::fs::create_dir_all(messages.join("en")).unwrap();
    std::fs::write(
        messages.join("en/operator.ftl"),
        "operator-hotline = Call 0800 000 000\n",
    )
    .unwrap();
    let (refused, stderr) = serve(
        dir.path(),
        &[("IDP_UI__MESSAGES_DIR", messages.display().to_string())],
    );
    assert!(refused, "the server started: {stderr}");
    assert!(stderr.contains("ui.messages_dir"), "{stderr}");
    assert!(stderr.contains("`operator-hotline`"), "{stderr}");
}

#[test]
fn a_logo_that_is_not_an_image_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.png");
    std::fs::write(&logo, "<html>not an image</html>").unwrap();
    let (refused, stderr) = serve(dir.path(), &[("IDP_UI__LOGO", logo.display().to_string())]);
    assert!(refused, "the server started: {stderr}");
    assert!(stderr.contains("ui.logo"), "{stderr}");
    assert!(
        stderr.contains("not a PNG, JPEG, GIF, WebP or SVG"),
        "{stderr}"
    );
}

/// A server started on `port` that said it is listening; killed when dropped.
struct Listening(std::process::Child);

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn listening(dir: &Path, port: u16, reuse_port: bool) -> Result<Listening, String> {
    use std::io::{BufRead, BufReader, Read};
    let mut child = command(
        dir,
        &[
            ("IDP_LISTEN", format!("127.0.0.1:{port}")),
            ("IDP_HTTP__REUSE_PORT", reuse_port.to_string()),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("run idp");
    let stdout = child.stdout.take().unwrap();
    // The line `serve` prints once the socket is bound; end of output means it exited.
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let up = lines.any(|l| l.contains("listening"));
    if up {
        // Read on all the same: a node's output may be worth seeing in a failure.
        std::thread::spawn(move || lines.for_each(drop));
        return Ok(Listening(child));
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let _ = child.wait();
    Err(stderr)
}

/// Two nodes on one host share an address with `http.reuse_port`; without it the second
/// is refused, as before.
#[test]
fn nodes_share_a_port_only_with_reuse_port() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let _first = listening(a.path(), port, true).expect("the first node starts");
    let _second = listening(b.path(), port, true).expect("a second node shares the port");
    let refused = listening(c.path(), port, false)
        .err()
        .expect("a node without it is refused");
    assert!(refused.contains("listen on"), "{refused}");
}

/// A node whose standard output is closed (its reader gone, as when a supervisor's pipe
/// closes) goes on serving: it used to panic on the line it prints once listening.
#[test]
fn a_node_whose_output_is_closed_keeps_serving() {
    use std::io::{Read, Write};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let mut child = command(dir.path(), &[("IDP_LISTEN", format!("127.0.0.1:{port}"))])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run idp");
    drop(child.stdout.take());
    let mut node = Listening(child);
    let live = || -> Option<String> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        Some(out)
    };
    // Not a timing check: a node that died never answers, and one that lives does.
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = loop {
        if let Some(status) = node.0.try_wait().unwrap() {
            panic!("the node exited: {status}");
        }
        if let Some(out) = live() {
            break out;
        }
        assert!(Instant::now() < deadline, "the node never answered");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(node.0.try_wait().unwrap().is_none(), "the node exited");
    assert!(live().is_some_and(|a| a.starts_with("HTTP/1.1 200")));
}
