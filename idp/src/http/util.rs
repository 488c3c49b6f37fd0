//! Request plumbing shared by the handlers: parameters, cookies and the CSRF token.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, header};

use axum::response::{IntoResponse, Redirect, Response};

use super::error::AppError;
use crate::{crypto::random_token, protocol::error::OAuthError, state::AppState};

pub const SESSION_COOKIE: &str = "postern_session";
pub const CSRF_COOKIE: &str = "postern_csrf";

/// Every value of every parameter, for endpoints that must spot repeated ones.
pub fn parse_multi(raw: &str) -> Option<HashMap<String, Vec<String>>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).ok()?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in pairs {
        out.entry(k).or_default().push(v);
    }
    Some(out)
}

/// A form body for a protocol endpoint: urlencoded, each parameter at most once
/// (RFC 6749 §3.2).
pub fn protocol_form(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HashMap<String, String>, OAuthError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(OAuthError::invalid_request(
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let raw = std::str::from_utf8(body)
        .map_err(|_| OAuthError::invalid_request("the body is not UTF-8"))?;
    let multi = parse_multi(raw)
        .ok_or_else(|| OAuthError::invalid_request("the body is not a valid form"))?;
    let mut out = HashMap::new();
    for (k, mut v) in multi {
        if v.len() > 1 {
            return Err(OAuthError::invalid_request(format!(
                "parameter {k} is repeated"
            )));
        }
        if let Some(first) = v.pop() {
            out.insert(k, first);
        }
    }
    Ok(out)
}

/// A form posted by one of our pages.
pub fn page_form(body: &[u8]) -> Result<HashMap<String, String>, AppError> {
    let raw = std::str::from_utf8(body).map_err(|_| AppError::bad_request("err-form"))?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw).map_err(|_| AppError::bad_request("err-form"))?;
    Ok(pairs.into_iter().collect())
}

/// A form posted by one of our pages, with its CSRF token checked.
pub fn checked_form(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HashMap<String, String>, AppError> {
    let form = page_form(body)?;
    check_csrf(state, headers, &form)?;
    Ok(form)
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.config.issuer_is_https() {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The CSRF token of this browser: an HMAC of a random cookie under the server key
/// (OWASP's signed double-submit cookie). Returns the token and, when the browser had no
/// cookie yet, the `Set-Cookie` to send.
pub fn csrf_token(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, CSRF_COOKIE).filter(|c| c.len() >= 20) {
        Some(c) => (state.secrets.hash(&format!("csrf:{c}")), None),
        None => {
            let c = random_token(24);
            let token = state.secrets.hash(&format!("csrf:{c}"));
            (token, Some(set_cookie(state, CSRF_COOKIE, &c, None)))
        }
    }
}

pub fn check_csrf(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(), AppError> {
    let ok = match (cookie(headers, CSRF_COOKIE), form.get("csrf")) {
        (Some(c), Some(token)) => state.secrets.verify(&format!("csrf:{c}"), token),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::page(
            axum::http::StatusCode::FORBIDDEN,
            "err-csrf",
        ))
    }
}

/// For JSON calls of our pages' script: the CSRF token comes in `X-CSRF-Token`.
pub fn csrf_header_ok(state: &AppState, headers: &HeaderMap) -> bool {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let form = HashMap::from([("csrf".to_owned(), token.to_owned())]);
    check_csrf(state, headers, &form).is_ok()
}

/// A JSON answer with a message for the page's script to show: the message key, put into
/// words in the page's language by `ui::localize_errors`.
pub fn json_message(status: axum::http::StatusCode, key: &'static str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut r = (status, axum::Json(serde_json::json!({ "message": key }))).into_response();
    r.extensions_mut().insert(super::error::JsonMessage(key));
    r
}

/// Query parameters for a page: a parse failure is a readable 400 page, not axum's
/// plain-text rejection.
pub struct PageQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for PageQuery<T>
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, AppError> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(PageQuery)
            .map_err(|_| AppError::bad_request("err-address"))
    }
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
