//! `/metrics` (Prometheus text exposition), served where `config::Metrics` says: on a
//! listener of its own, or on the main one behind a bearer token, or nowhere (the default).

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use super::error::AppError;
use crate::state::AppState;

/// Whether the request carries the configured token (compared in constant time). An empty
/// token asks for nothing.
fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let token = &state.config.metrics.token;
    if token.is_empty() {
        return true;
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .unwrap_or_default();
    crate::crypto::ct_eq(presented.as_bytes(), token.as_bytes())
}

fn exposition(state: &AppState, headers: &HeaderMap) -> Response {
    if !authorized(state, headers) {
        let mut r = StatusCode::UNAUTHORIZED.into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return r;
    }
    let mut r = state.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// `/metrics` on the main listener: only with a token and no listener of their own;
/// otherwise the page that is not there, like any unknown path.
pub async fn on_main(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let m = &state.config.metrics;
    if !m.listen.is_empty() || m.token.is_empty() {
        return AppError::page(StatusCode::NOT_FOUND, "err-not-found").into_response();
    }
    exposition(&state, &headers)
}

async fn on_own(State(state): State<AppState>, headers: HeaderMap) -> Response {
    exposition(&state, &headers)
}

/// The application of the metrics listener (`metrics.listen`): `/metrics` and nothing else.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(on_own))
        .with_state(state)
}
