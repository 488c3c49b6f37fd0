//! The loopback listener that receives the authorization response (RFC 8252 §7.3): bound to
//! 127.0.0.1 on a port the system picks, it waits for one callback that carries the state of
//! this sign-in and answers the browser with a small page.

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tokio::sync::oneshot;

/// What came back to the loopback address: a code, or the provider's error.
#[derive(Debug)]
pub enum Callback {
    Code(String),
    Error(String),
}

#[derive(Clone)]
struct Waiting {
    state: String,
    issuer: String,
    tx: Arc<Mutex<Option<oneshot::Sender<Callback>>>>,
}

/// The running listener: its redirect URI and the callback to come.
pub struct Listener {
    pub redirect_uri: String,
    rx: oneshot::Receiver<Callback>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        // The port is closed as soon as the sign-in is over, whatever its outcome.
        self.task.abort();
    }
}

/// Binds 127.0.0.1:0 (the IP literal, not `localhost`: RFC 8252 §8.3) for a sign-in whose
/// `state` is `state`, at `issuer`.
pub async fn listen(state: &str, issuer: &str) -> std::io::Result<Listener> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (tx, rx) = oneshot::channel();
    let waiting = Waiting {
        state: state.to_owned(),
        issuer: issuer.to_owned(),
        tx: Arc::new(Mutex::new(Some(tx))),
    };
    let app = Router::new()
        .route("/callback", get(callback))
        .with_state(waiting);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Listener {
        redirect_uri: format!("http://127.0.0.1:{port}/callback"),
        rx,
        task,
    })
}

impl Listener {
    /// The callback of this sign-in, or an error when the listener stopped first.
    pub async fn wait(&mut self) -> Result<Callback, String> {
        (&mut self.rx)
            .await
            .map_err(|_| "the loopback listener stopped".to_owned())
    }
}

async fn callback(
    State(w): State<Waiting>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    // Any program on this machine can reach the port: only the state of this sign-in counts,
    // and the issuer (RFC 9207) must be ours, so a response from another provider is no code.
    if q.get("state") != Some(&w.state) {
        return page(
            StatusCode::BAD_REQUEST,
            "This is not the sign-in the app started.",
        );
    }
    if q.get("iss") != Some(&w.issuer) {
        return page(
            StatusCode::BAD_REQUEST,
            "This response is from another provider.",
        );
    }
    let outcome = match (q.get("code"), q.get("error")) {
        (Some(code), None) => Callback::Code(code.clone()),
        (_, Some(error)) => Callback::Error(format!(
            "{error} {}",
            q.get("error_description").map_or("", String::as_str)
        )),
        (None, None) => {
            return page(StatusCode::BAD_REQUEST, "Neither a code nor an error.");
        }
    };
    let tx = w.tx.lock().ok().and_then(|mut t| t.take());
    let Some(tx) = tx else {
        return page(StatusCode::BAD_REQUEST, "This sign-in is already complete.");
    };
    let failed = matches!(outcome, Callback::Error(_));
    let _ = tx.send(outcome);
    if failed {
        page(
            StatusCode::OK,
            "Sign-in did not complete; see the terminal.",
        )
    } else {
        page(
            StatusCode::OK,
            "Signed in. You can close this tab and return to the terminal.",
        )
    }
}

fn page(status: StatusCode, msg: &str) -> Response {
    // The messages are ours, fixed strings: nothing from the query is echoed into the page.
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Postern CLI</title></head><body><p>{msg}</p></body></html>"
    );
    (
        status,
        [
            ("cache-control", "no-store"),
            ("content-security-policy", "default-src 'none'"),
        ],
        Html(body),
    )
        .into_response()
}
