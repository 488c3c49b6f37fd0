//! Public documents and probes: discovery, JWKS, health, the stylesheet.

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{state::AppState, web};

fn json_bytes(bytes: bytes::Bytes, cache: &'static str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

pub async fn discovery(State(state): State<AppState>) -> Response {
    json_bytes(state.discovery.clone(), "public, max-age=300")
}

pub async fn jwks(State(state): State<AppState>) -> Response {
    // Short cache: a rotated key must reach relying parties within its lead time.
    json_bytes(state.keys.current().jwks_json(), "public, max-age=60")
}

pub async fn live() -> &'static str {
    "ok"
}

/// Ready when both stores answer; a load balancer stops sending traffic otherwise.
pub async fn ready(State(state): State<AppState>) -> Response {
    let db = state.sql.ping().await;
    let eph = state.ephemeral.ping().await;
    match (db, eph) {
        (Ok(()), Ok(())) => (StatusCode::OK, "ready").into_response(),
        (db, eph) => {
            tracing::warn!(database = ?db.err(), ephemeral = ?eph.err(), "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
        }
    }
}

pub async fn stylesheet() -> Response {
    let mut r = web::STYLESHEET.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// The passkey script of the sign-in and security pages.
fn script(source: &'static str) -> Response {
    let mut r = source.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

pub async fn webauthn_script() -> Response {
    script(web::WEBAUTHN_JS)
}

pub async fn autosubmit_script() -> Response {
    script(web::AUTOSUBMIT_JS)
}

pub async fn password_script() -> Response {
    script(web::PASSWORD_JS)
}
