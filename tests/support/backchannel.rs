//! A relying party's back-channel logout receiver for tests: it records every logout token
//! POSTed to it, and can be made to fail or to hang; and a check of a logout token with
//! josekit (a JOSE library other than the server's own verification code).

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{Form, Router, extract::State, http::StatusCode, routing::post};
use serde_json::{Map, Value};

use crate::TestServer;

/// How the receiver answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Answer {
    Ok,
    /// 503: the receiver's own store is down; worth retrying.
    Unavailable,
    /// Never answers (until the test ends).
    Hang,
}

#[derive(Clone, Default)]
struct Inbox {
    tokens: Arc<Mutex<Vec<String>>>,
    answer: Arc<Mutex<Option<Answer>>>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    inbox: Inbox,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(serde::Deserialize)]
struct Body {
    logout_token: String,
}

async fn receive(State(inbox): State<Inbox>, Form(b): Form<Body>) -> StatusCode {
    let answer = inbox.answer.lock().unwrap().unwrap_or(Answer::Ok);
    inbox.tokens.lock().unwrap().push(b.logout_token);
    match answer {
        Answer::Ok => StatusCode::OK,
        Answer::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Answer::Hang => std::future::pending().await,
    }
}

impl Receiver {
    /// A receiver on a free loopback port.
    pub async fn start() -> Receiver {
        Receiver::on("127.0.0.1:0".parse().unwrap()).await
    }

    /// A receiver on `addr` (to bring one back where it was).
    pub async fn on(addr: SocketAddr) -> Receiver {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let inbox = Inbox::default();
        let app = Router::new()
            .route("/backchannel-logout", post(receive))
            .with_state(inbox.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { addr, inbox, task }
    }

    /// The URI to register as `backchannel_logout_uri`.
    pub fn uri(&self) -> String {
        format!("http://{}/backchannel-logout", self.addr)
    }

    pub fn answer(&self, a: Answer) {
        *self.inbox.answer.lock().unwrap() = Some(a);
    }

    /// The logout tokens received so far, first first.
    pub fn tokens(&self) -> Vec<String> {
        self.inbox.tokens.lock().unwrap().clone()
    }

    /// Waits until `n` tokens have arrived, and returns them. Deliveries leave from a
    /// background task, so on a busy machine this may take a while; 20 s is the limit.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..1000 {
            if self.tokens().len() >= n {
                return self.tokens();
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!(
            "{n} logout tokens expected, {} arrived",
            self.tokens().len()
        );
    }
}

/// A free loopback address nobody listens on (yet).
pub fn unused_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

/// Checks `token` as a relying party must (Back-Channel Logout 1.0 §2.6) for `client_id`:
/// signature by a key of the server's JWKS (josekit), `typ` `logout+jwt`, issuer, audience,
/// times, `jti`, the back-channel event, no `nonce`. Returns the claims.
pub async fn verify_logout_token(
    s: &TestServer,
    token: &str,
    client_id: &str,
) -> Map<String, Value> {
    let header = crate::jwt_header(token);
    assert_eq!(header["typ"], "logout+jwt", "{header}");
    let jwks: Value = reqwest::get(format!("{}/jwks", s.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = header["kid"].as_str().expect("a kid");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .expect("the kid is in the JWKS");
    let jwk = josekit::jwk::Jwk::from_bytes(key.to_string().as_bytes()).unwrap();
    let (payload, _) = match header["alg"].as_str().unwrap() {
        "RS256" => {
            let v = josekit::jws::RS256.verifier_from_jwk(&jwk).unwrap();
            josekit::jwt::decode_with_verifier(token, &v)
        }
        "ES256" => {
            let v = josekit::jws::ES256.verifier_from_jwk(&jwk).unwrap();
            josekit::jwt::decode_with_verifier(token, &v)
        }
        "EdDSA" => {
            let v = josekit::jws::EdDSA.verifier_from_jwk(&jwk).unwrap();
            josekit::jwt::decode_with_verifier(token, &v)
        }
        other => panic!("unexpected alg {other}"),
    }
    .expect("the signature verifies");
    let c: Map<String, Value> = payload.into();
    assert_eq!(c["iss"], s.url.as_str());
    let aud_ok = match &c["aud"] {
        Value::String(a) => a == client_id,
        Value::Array(a) => a.iter().any(|x| x == client_id),
        _ => false,
    };
    assert!(aud_ok, "aud {:?} is {client_id}", c["aud"]);
    let now = s.state.now();
    let iat = c["iat"].as_i64().expect("iat");
    let exp = c["exp"].as_i64().expect("exp");
    assert!(
        iat <= now + 5 && exp > now && exp - iat <= 120,
        "short-lived: {c:?}"
    );
    assert!(c["jti"].as_str().is_some_and(|j| j.len() >= 16), "a jti");
    assert!(
        c["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object(),
        "the back-channel event: {c:?}"
    );
    assert!(!c.contains_key("nonce"), "a logout token has no nonce");
    c
}

/// Waits until the servers together have retried `n` deliveries (a failed attempt each).
pub async fn wait_for_retries(nodes: &[&TestServer], n: u64) {
    for _ in 0..1000 {
        let mut retries = 0;
        for s in nodes {
            retries += crate::scrape_metrics(s)
                .await
                .lines()
                .find(|l| {
                    l.starts_with("postern_backchannel_logout_attempts_total{outcome=\"retry\"}")
                })
                .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
                .unwrap_or(0);
        }
        if retries >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{n} retries expected");
}
