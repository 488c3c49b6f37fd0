//! An OpenID-certified relying party library, panva's `openid-client` for Node.js, signs in
//! through a pushed authorization request authenticated with `private_key_jwt`, redeems the
//! code with a DPoP proof and calls userinfo with the bound token
//! (`tests/thirdparty/openid-client/par.mjs`), as a plain client and as a FAPI 2.0 one
//! against required DPoP nonces; the test plays the browser.
//!
//! Needs Node.js and the npm packages of `tests/thirdparty/openid-client` (installed here
//! with `npm ci` when missing).

use std::{
    path::{Path, PathBuf},
    process::Stdio,
};

use idp::storage::ClientKeys;
use postern_tests::{client_keys::*, *};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("thirdparty/openid-client")
}

/// `npm ci` once per checkout.
fn node_modules() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if dir().join("node_modules/openid-client").exists() {
            return;
        }
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir())
            .status()
            .expect("npm (Node.js) is needed for the openid-client check");
        assert!(
            status.success(),
            "npm ci in tests/thirdparty/openid-client failed"
        );
    });
}

/// The line of `lines` that starts with `AUTHORIZE`/`RESULT`, or the script's error.
async fn expect_line(
    lines: &mut tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    tag: &str,
) -> String {
    let line = lines
        .next_line()
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("openid-client ended before {tag}"));
    line.strip_prefix(&format!("{tag} "))
        .unwrap_or_else(|| panic!("openid-client: {line}"))
        .to_owned()
}

/// The whole private JWK (josekit's private EC JWK carries `d` alone; WebCrypto wants the
/// public point too).
fn private_jwk(k: &Key) -> String {
    let mut jwk = serde_json::to_value(k.public.as_ref()).unwrap();
    jwk["d"] = k.private.parameter("d").unwrap().clone();
    jwk.to_string()
}

/// Runs `par.mjs` as client `client_id` (keys `k`) against `s`, playing the browser; the
/// script's result.
async fn run_openid_client(
    s: &TestServer,
    client_id: &str,
    k: &Key,
    id_token_alg: &str,
) -> serde_json::Value {
    node_modules();
    let mut child = tokio::process::Command::new("node")
        .arg("par.mjs")
        .current_dir(dir())
        .env("ISSUER", &s.url)
        .env("CLIENT_ID", client_id)
        .env("REDIRECT_URI", "https://rp.test/cb")
        .env("PRIVATE_JWK", private_jwk(k))
        .env("ID_TOKEN_ALG", id_token_alg)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node (Node.js) runs the openid-client check");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let authorize = expect_line(&mut lines, "AUTHORIZE").await;
    assert!(
        authorize.contains("request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A"),
        "a pushed request: {authorize}"
    );
    let Landing::Client(back) = Browser::new()
        .sign_in(&s.url, &authorize, "anna@post.test", PASSWORD)
        .await
    else {
        panic!("Postern sends the browser back to the client")
    };
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{back}\n").as_bytes())
        .await
        .unwrap();
    let result: serde_json::Value =
        serde_json::from_str(&expect_line(&mut lines, "RESULT").await).unwrap();
    assert!(child.wait().await.unwrap().success());
    result
}

fn assert_signed_in(result: &serde_json::Value) {
    assert_eq!(
        result["email"], "anna@post.test",
        "userinfo with the DPoP-bound token"
    );
    assert_eq!(result["token_type"], "dpop", "{result}");
    assert!(result["sid"].is_string(), "{result}");
}

#[tokio::test]
async fn openid_client_signs_in_with_par_private_key_jwt_and_dpop() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let k = key("ES256", "rp-key");
    let mut spec = ClientSpec::confidential("fapi-rp");
    spec.secret = None;
    spec.keys = Some(ClientKeys::Jwks(jwks(&[&k])));
    spec.require_par = true;
    s.client(spec).await;
    assert_signed_in(&run_openid_client(&s, "fapi-rp", &k, "RS256").await);
}

/// The same certified client, registered with the FAPI 2.0 profile, against a server that
/// requires DPoP nonces: it must take the `use_dpop_nonce` answers of the token endpoint and
/// of userinfo, retry with the nonce, and accept the ES256 ID token.
#[tokio::test]
async fn openid_client_completes_a_fapi2_flow_with_dpop_nonces() {
    let s = spawn_with(|c| c.dpop.require_nonce = true).await;
    s.user("anna@post.test").await;
    let k = key("ES256", "rp-key");
    let mut spec = ClientSpec::confidential("bank");
    spec.secret = None;
    spec.keys = Some(ClientKeys::Jwks(jwks(&[&k])));
    spec.profile = idp::protocol::types::ClientProfile::Fapi2;
    s.client(spec).await;
    assert_signed_in(&run_openid_client(&s, "bank", &k, "ES256").await);
}

/// The device authorization grant through openid-client (`device.mjs`): `private_key_jwt`
/// at the device authorization endpoint, polling until the person, played here over HTTP,
/// confirms the user code.
#[tokio::test]
async fn openid_client_gets_device_tokens_once_the_person_confirms() {
    node_modules();
    let s = crate::device::server().await;
    s.user(crate::device::EMAIL).await;
    let k = key("ES256", "locker-key");
    let mut spec = ClientSpec::confidential("locker");
    spec.secret = None;
    spec.keys = Some(ClientKeys::Jwks(jwks(&[&k])));
    spec.redirect_uris = vec![];
    spec.grant_types = vec![crate::device::DEVICE_GRANT.into(), "refresh_token".into()];
    s.client(spec).await;

    let mut child = tokio::process::Command::new("node")
        .arg("device.mjs")
        .current_dir(dir())
        .env("ISSUER", &s.url)
        .env("CLIENT_ID", "locker")
        .env("PRIVATE_JWK", private_jwk(&k))
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node (Node.js) runs the openid-client check");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let code = expect_line(&mut lines, "USER_CODE").await;
    let uri = expect_line(&mut lines, "URI").await;
    assert!(uri.ends_with(&format!("/device?user_code={code}")), "{uri}");
    let done = crate::device::decide(&s, &Browser::new(), &code, "confirm").await;
    assert!(done.contains("Device connected"), "{done}");
    let result: serde_json::Value =
        serde_json::from_str(&expect_line(&mut lines, "RESULT").await).unwrap();
    assert_eq!(result["email"], crate::device::EMAIL, "{result}");
    assert_eq!(result["token_type"], "bearer", "{result}");
    assert_eq!(result["refresh"], true, "offline_access: {result}");
    assert!(result["sid"].is_string(), "{result}");
    assert!(child.wait().await.unwrap().success());
}
