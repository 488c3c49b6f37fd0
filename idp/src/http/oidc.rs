//! Public documents and probes: discovery, JWKS, health, the stylesheet.

use axum::{
    extract::{Path, State},
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

fn css(body: impl IntoResponse, cache: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

pub async fn stylesheet() -> Response {
    css(web::STYLESHEET, "public, max-age=3600")
}

/// The operator's colours (`ui.colors`); the layout links it with a digest of its content,
/// so it can be cached for good.
pub async fn theme_stylesheet(State(state): State<AppState>) -> Response {
    css(
        state.web.theme.stylesheet.clone(),
        "public, max-age=31536000, immutable",
    )
}

/// The operator's logo (`ui.logo`), at the address the pages name; any other file is 404.
pub async fn logo(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(logo) = state
        .web
        .theme
        .logo
        .as_ref()
        .filter(|l| l.path.strip_prefix("/assets/") == Some(file.as_str()))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut r = logo.bytes.clone().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(logo.content_type),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
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
