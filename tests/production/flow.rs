//! The code flow the production tests drive on their nodes: client `shop` (confidential,
//! [`ClientSpec::confidential`]) with PKCE.

use postern_tests::*;
use serde_json::Value;

pub const REDIRECT: &str = "https://rp.test/cb";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub fn auth_url(node: &str, extra: &str) -> String {
    format!(
        "{node}/authorize?client_id=shop&redirect_uri={REDIRECT}&response_type=code\
         &scope=openid%20email%20profile%20offline_access&state=s1&code_challenge={CHALLENGE}\
         &code_challenge_method=S256{extra}"
    )
}

/// A token request of `shop` at `node`: the status and the JSON answer.
pub async fn token(node: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{node}/token"))
        .basic_auth("shop", Some("shop-secret-0123456789abcdef"))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Redeems `code` at `node`.
pub async fn redeem(node: &str, code: &str) -> (u16, Value) {
    token(
        node,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

pub fn code_of(landing: Landing) -> String {
    match landing {
        Landing::Client(url) => query(&url)
            .get("code")
            .cloned()
            .unwrap_or_else(|| panic!("no code in {url}")),
        Landing::Page(status, html) => {
            panic!("expected a redirect to the client, got {status}: {html}")
        }
    }
}

/// Two nodes of one deployment on a fresh PostgreSQL database and Redis, sharing keys and
/// issuer.
pub async fn two_nodes() -> (TestServer, TestServer) {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    config.database_url = fresh_pg_database().await;
    config.redis_url = redis_url();
    let a = spawn_node(config.clone(), dir.clone(), None).await;
    let b = spawn_node(config, dir, Some(&a.url)).await;
    (a, b)
}
