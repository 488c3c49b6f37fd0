//! Active sessions: device, place and start of each, the current one marked, sign-out of
//! any one and of all the others.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use minijinja::context;

use super::{Console, console, console_form, render};
use crate::{
    audit,
    authn::session,
    crypto::token_hash,
    http::{client::ClientMeta, error::AppError, util},
    state::AppState,
    web::render::Ui,
};

const PATH: &str = "/account/sessions";

/// A short readable name of a user agent: browser and operating system ("Firefox on
/// Windows"), or `None` when neither is recognised.
pub(super) fn device_name(ua: &str) -> Option<String> {
    // Order matters: Edge and Opera say "Chrome", Chrome says "Safari".
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |list: &[(&str, &'static str)]| {
        list.iter()
            .find(|(needle, _)| ua.contains(needle))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(b), Some(s)) => Some(format!("{b} · {s}")),
        (Some(b), None) => Some(b.to_owned()),
        (None, Some(s)) => Some(s.to_owned()),
        (None, None) => None,
    }
}

pub(super) fn time_of(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let current = util::session_cookie(state, headers).map(token_hash);
    let rows: Vec<_> = session::list_for_user(state, &c.user.id)
        .await?
        .into_iter()
        .map(|s| {
            context! {
                sid => s.id,
                device => s.user_agent.as_deref().and_then(device_name),
                ip => s.ip,
                started => time_of(s.created_at),
                current => current.as_deref() == Some(s.cookie_hash.as_str()),
            }
        })
        .collect();
    Ok(render(
        state,
        headers,
        c,
        "console_sessions.html",
        "sessions",
        StatusCode::OK,
        context! { sessions => rows, notice },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = console(&state, &headers, ui, PATH).await?;
    show(&state, &headers, &c, None).await
}

pub async fn end_one(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (c, form) = console_form(&state, &headers, ui, PATH, &body).await?;
    let sid = form.get("sid").map(String::as_str).unwrap_or_default();
    let current = util::session_cookie(&state, &headers).map(token_hash);
    let is_current = session::list_for_user(&state, &c.user.id)
        .await?
        .iter()
        .any(|s| s.id == sid && current.as_deref() == Some(s.cookie_hash.as_str()));
    if !session::end_by_sid(&state, &c.user.id, sid).await? {
        return show(&state, &headers, &c, Some("sessions-unknown")).await;
    }
    audit::user_success(&state, &c.user, &meta, audit::SESSION_ENDED, "one session").await;
    if is_current {
        // This browser signed itself out: the next page asks to sign in again.
        let mut r = crate::http::respond::local_redirect(PATH);
        r.headers_mut()
            .append(header::SET_COOKIE, util::clear_session_cookie(&state));
        return Ok(r);
    }
    show(&state, &headers, &c, Some("sessions-ended")).await
}

pub async fn end_others(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (c, _) = console_form(&state, &headers, ui, PATH, &body).await?;
    let current = util::session_cookie(&state, &headers).map(token_hash);
    let mut ended = 0;
    for s in session::list_for_user(&state, &c.user.id).await? {
        if current.as_deref() != Some(s.cookie_hash.as_str())
            && session::end_by_sid(&state, &c.user.id, &s.id).await?
        {
            ended += 1;
        }
    }
    if ended > 0 {
        let detail = format!("{ended} other sessions");
        audit::user_success(&state, &c.user, &meta, audit::SESSION_ENDED, &detail).await;
    }
    show(&state, &headers, &c, Some("sessions-others-ended")).await
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn names_common_browsers() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox · Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari · iPhone",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                "Safari · macOS",
            ),
        ];
        for (ua, name) in cases {
            assert_eq!(device_name(ua).as_deref(), Some(name), "{ua}");
        }
        assert_eq!(device_name("curl/8.5.0"), None);
    }
}
