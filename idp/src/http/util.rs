//! Request plumbing shared by the handlers: parameters, cookies and the CSRF token.

use std::{collections::HashMap, time::Duration};

use axum::http::{HeaderMap, HeaderValue, header};

use super::error::AppError;
use crate::{crypto::random_token, protocol::error::OAuthError, state::AppState};

const SESSION_COOKIE: &str = "postern_session";
const CSRF_COOKIE: &str = "postern_csrf";
/// The binding of a registration to the browser that started it (see
/// `accounts::registration::BrowserBinding`).
const REGISTRATION_COOKIE: &str = "postern_reg";

/// A cookie's name: with the `__Host-` prefix when the issuer is https, so the browser
/// keeps it only as Secure, host-only and for path `/` (no sibling domain can set it).
fn cookie_name(state: &AppState, base: &str) -> String {
    if state.config.issuer_is_https() {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

/// The SSO session cookie's value, if the browser sent one.
pub fn session_cookie<'a>(state: &AppState, headers: &'a HeaderMap) -> Option<&'a str> {
    cookie(headers, &cookie_name(state, SESSION_COOKIE))
}

/// The `Set-Cookie` of a new session.
pub fn set_session_cookie(state: &AppState, value: &str) -> HeaderValue {
    set_named_cookie(state, SESSION_COOKIE, value, state.config.session.ttl)
}

/// A cookie named as [`cookie_name`] says, living `ttl`.
fn set_named_cookie(state: &AppState, base: &str, value: &str, ttl: Duration) -> HeaderValue {
    let max_age = ttl.as_secs() as i64;
    set_cookie(state, &cookie_name(state, base), value, Some(max_age))
}

/// A `Set-Cookie` that removes the session cookie (the browser's session ended).
pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    set_cookie(state, &cookie_name(state, SESSION_COOKIE), "", Some(0))
}

/// The registration binding cookie's value, if the browser sent one.
pub fn registration_cookie<'a>(state: &AppState, headers: &'a HeaderMap) -> Option<&'a str> {
    cookie(headers, &cookie_name(state, REGISTRATION_COOKIE))
}

/// The `Set-Cookie` of a registration's binding; it lives as long as the registration.
pub fn set_registration_cookie(state: &AppState, value: &str) -> HeaderValue {
    let ttl = state.config.accounts.registration_ttl;
    set_named_cookie(state, REGISTRATION_COOKIE, value, ttl)
}

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

/// What a CSRF token signs: the browser's random CSRF cookie and its session cookie, so a
/// token is good only for the session it was shown in (signed in, signed out or another
/// account, it must be shown again).
fn csrf_input(state: &AppState, headers: &HeaderMap, csrf_cookie: &str) -> String {
    let session = session_cookie(state, headers).unwrap_or_default();
    format!("csrf:{csrf_cookie}:{session}")
}

/// The CSRF token of this browser and session: an HMAC under the server key of a random
/// cookie and the session (OWASP's signed double-submit cookie, bound to the session).
/// Returns the token and, when the browser had no CSRF cookie yet, the `Set-Cookie` to send.
pub fn csrf_token(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    let name = cookie_name(state, CSRF_COOKIE);
    match cookie(headers, &name).filter(|c| c.len() >= 20) {
        Some(c) => (state.secrets.hash(&csrf_input(state, headers, c)), None),
        None => {
            let c = random_token(24);
            let token = state.secrets.hash(&csrf_input(state, headers, &c));
            (token, Some(set_cookie(state, &name, &c, None)))
        }
    }
}

pub fn check_csrf(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(), AppError> {
    let name = cookie_name(state, CSRF_COOKIE);
    let ok = match (cookie(headers, &name), form.get("csrf")) {
        (Some(c), Some(token)) => state.secrets.verify(&csrf_input(state, headers, c), token),
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

/// A form of one of our pages: the CSRF token checked first, then the fields read into `T`
/// (serde), so a handler never digs in a map of strings. A form that cannot be read is the
/// readable 400 page; a wrong token the 403 page.
pub struct CsrfForm<T>(pub T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, AppError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, state.config.http.body_limit)
            .await
            .map_err(|_| AppError::bad_request("err-form"))?;
        check_csrf(state, &parts.headers, &page_form(&bytes)?)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|_| AppError::bad_request("err-form"))
    }
}

/// A form with nothing but its CSRF token.
#[derive(serde::Deserialize)]
pub struct NoFields {}
