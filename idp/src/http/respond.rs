//! Small answers every part of `http` builds the same way: a redirect to a path of ours, and
//! a message for a page's script. (Kept apart from `error` and `util`, which both use them.)

use axum::response::{IntoResponse, Redirect, Response};

/// The marker of a JSON message for a page's script (see [`json_message`]).
#[derive(Clone, Copy, Debug)]
pub struct JsonMessage(pub &'static str);

/// A JSON answer with a message for the page's script to show: the message key, put into
/// words in the page's language by `ui::localize_errors`.
pub fn json_message(status: axum::http::StatusCode, key: &'static str) -> Response {
    let mut r = (status, axum::Json(serde_json::json!({ "message": key }))).into_response();
    r.extensions_mut().insert(JsonMessage(key));
    r
}

/// Only paths on this site: never `//host` or a scheme, which would make a redirect open,
/// and no control characters, which no Location header may hold.
pub(super) fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.starts_with("/\\")
        && !p.contains("://")
        && !p.chars().any(char::is_control)
}

/// A redirect to a path of ours; anything else goes to the account console instead.
pub(super) fn local_redirect(to: &str) -> Response {
    Redirect::to(if is_local_path(to) { to } else { "/account" }).into_response()
}
