//! A logo server on the loopback interface for the tests of client logos: real images, and
//! every answer a `logo_uri` must not be taken from (too big, endless, not an image, SVG,
//! a redirect loop, a redirect away from the loopback, missing). It counts the requests it
//! gets, so a test can show that a refused URL was never asked.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::{
    Router,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use base64::{Engine, engine::general_purpose::STANDARD};

/// A 1×1 PNG that any browser decodes.
pub fn png() -> Vec<u8> {
    STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
        .expect("base64")
}

/// A 1×1 GIF.
pub fn gif() -> Vec<u8> {
    STANDARD
        .decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
        .expect("base64")
}

/// An SVG that runs script when opened as a document.
pub const SVG: &str =
    r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>"#;

/// Where the logo server listens, and how many requests it has answered.
pub struct LogoServer {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    pub hits: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LogoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl LogoServer {
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn image(kind: &'static str, bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, kind)], bytes).into_response()
}

/// Serves, on 127.0.0.1:
/// - `/logo.png`, `/logo.gif`: images;
/// - `/big.png`: a PNG signature and 300 KiB, with its `Content-Length`;
/// - `/endless.png`: a PNG signature, then chunks for ever (no `Content-Length`);
/// - `/page.html`, `/logo.svg`, `/svg-as.png` (an SVG labelled `image/png`): not images;
/// - `/loop`: a redirect to itself; `/to-http`: a redirect to a plain-http host;
/// - `/to-png`: a redirect to `/logo.png`; anything else: 404.
pub async fn logo_server() -> LogoServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/logo.png", get(|| async { image("image/png", png()) }))
        .route("/logo.gif", get(|| async { image("image/gif", gif()) }))
        .route(
            "/big.png",
            get(|| async {
                let mut body = png();
                body.resize(300 * 1024, 0);
                image("image/png", body)
            }),
        )
        .route("/endless.png", get(endless))
        .route(
            "/page.html",
            get(|| async { image("text/html", b"<!doctype html><p>hi".to_vec()) }),
        )
        .route(
            "/logo.svg",
            get(|| async { image("image/svg+xml", SVG.as_bytes().to_vec()) }),
        )
        .route(
            "/svg-as.png",
            get(|| async { image("image/png", SVG.as_bytes().to_vec()) }),
        )
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route(
            "/to-http",
            get(|| async { Redirect::temporary("http://logo.example/logo.png") }),
        )
        .route(
            "/to-png",
            get(|| async { Redirect::temporary("/logo.png") }),
        )
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(axum::middleware::from_fn_with_state(hits.clone(), count))
        .with_state(());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    LogoServer { url, hits, task }
}

async fn count(
    State(hits): State<Arc<AtomicUsize>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    hits.fetch_add(1, Ordering::SeqCst);
    next.run(req).await
}

/// A PNG signature and then 64 KiB chunks without end, sent chunked.
async fn endless(_: HeaderMap) -> Response {
    let first = futures::stream::once(async { Ok::<_, std::io::Error>(png()) });
    let rest = futures::stream::repeat_with(|| Ok(vec![0u8; 64 * 1024]));
    let body = Body::from_stream(futures::StreamExt::chain(first, rest));
    ([(header::CONTENT_TYPE, "image/png")], body).into_response()
}
