//! Small answers every part of `http` builds the same way: a redirect to a path of ours, and
//! a message for a page's script. (Kept apart from `error` and `util`, which both use them.)

use axum::response::{IntoResponse, Redirect, Response};

use crate::model::LocalPath;

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

/// A redirect to a path of ours: every local `Location` is built here, through the one
/// check of [`LocalPath`]; anything that is not a path of ours goes to the account console.
pub(super) fn local_redirect(to: &str) -> Response {
    Redirect::to(LocalPath::or_home(Some(to)).as_str()).into_response()
}
