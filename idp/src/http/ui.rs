//! The language of a page: the extractor that reads it from the request, the language
//! switch, and the middleware that renders error pages in it.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderMap, HeaderName, Method, header, request::Parts},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    error::ErrorPage,
    respond::{JsonMessage, local_redirect},
    util::{self, PageQuery},
};
use crate::{
    model::LocalPath,
    state::AppState,
    web::{i18n::Lang, render::Ui},
};

pub const LANG_COOKIE: &str = "postern_lang";

/// What the request says about the language, before the handler adds `ui_locales` and
/// the user's saved choice with [`Ui::prefer`].
pub fn from_parts(method: &Method, uri: &axum::http::Uri, headers: &HeaderMap) -> Ui {
    let chosen = util::cookie(headers, LANG_COOKIE).and_then(Lang::parse);
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    // A page answering a POST cannot be fetched again; the switch returns to the page the
    // form was on instead, when that was one of ours.
    let return_to = if method == Method::GET {
        uri.path_and_query().map(|p| p.as_str().to_owned())
    } else {
        headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| url::Url::parse(r).ok())
            .map(|u| match u.query() {
                Some(q) => format!("{}?{q}", u.path()),
                None => u.path().to_owned(),
            })
    };
    Ui {
        lang: Lang::En,
        return_to: return_to
            .as_deref()
            .and_then(LocalPath::parse)
            .map(|p| p.as_str().to_owned()),
        chosen,
        accepted,
    }
    .prefer(None, None)
}

/// For handlers that answer a form post and have only the headers.
pub fn from_headers(headers: &HeaderMap) -> Ui {
    from_parts(&Method::POST, &axum::http::Uri::default(), headers)
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ui, Self::Rejection> {
        Ok(from_parts(&parts.method, &parts.uri, &parts.headers))
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    set: Option<String>,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// `GET /language?set=fr&return=/login?tx=…`: remembers the choice in this browser (for
/// the browser session) and, for a signed-in person, in the profile; then goes back.
pub async fn switch(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<SwitchQuery>,
) -> Response {
    let Some(lang) = q.set.as_deref().and_then(Lang::parse) else {
        return local_redirect(LocalPath::HOME);
    };
    if let Some(mut user) = super::guard::signed_in_user(&state, &headers).await {
        user.locale = Some(lang.code().to_owned());
        user.updated_at = state.now();
        if let Err(e) = state.stores.users.update_user(&user).await {
            tracing::warn!(error = %e, "saving the language");
        }
    }
    // Never back to the switch itself, which would only loop.
    let back = q
        .return_to
        .as_deref()
        .and_then(LocalPath::parse)
        .filter(|p| !p.as_str().starts_with("/language"))
        .unwrap_or_else(LocalPath::home);
    let mut r = local_redirect(back.as_str());
    r.headers_mut().append(
        header::SET_COOKIE,
        util::set_cookie(&state, LANG_COOKIE, lang.code(), None),
    );
    r
}

/// The header a page's script sends with the language of its page.
const PAGE_LANG: &str = "x-page-lang";

/// Renders the error pages that handlers return as [`ErrorPage`] markers, in the language
/// of the request (handlers return errors before they know more about it).
pub async fn localize_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only what choosing the language reads is kept (reference-counted clones, nothing
    // for API calls without cookies): most responses carry no marker and never need it.
    let method = req.method().clone();
    let uri = req.uri().clone();
    let mut kept = HeaderMap::new();
    for name in [
        header::COOKIE,
        header::ACCEPT_LANGUAGE,
        header::REFERER,
        HeaderName::from_static(PAGE_LANG),
    ] {
        for v in req.headers().get_all(&name) {
            kept.append(name.clone(), v.clone());
        }
    }
    let mut r = next.run(req).await;
    let ui = || from_parts(&method, &uri, &kept);
    if let Some(JsonMessage(key)) = r.extensions_mut().remove::<JsonMessage>() {
        // A page's script says which language its page is in.
        let page_lang = kept
            .get(PAGE_LANG)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::parse);
        let text = state
            .web
            .t(page_lang.unwrap_or_else(|| ui().lang), key, &[]);
        let (mut parts, _) = r.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        return (parts, axum::Json(serde_json::json!({ "message": text }))).into_response();
    }
    if let Some(page) = r.extensions_mut().remove::<ErrorPage>() {
        let args: std::collections::BTreeMap<&str, String> = page.args.into_iter().collect();
        let html = state.web.page(
            &ui(),
            "error.html",
            minijinja::context! { key => page.key, args },
        );
        let (mut parts, _) = r.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        r = (parts, Html(html)).into_response();
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookie_before_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, "de-CH, fr;q=0.5".parse().unwrap());
        let uri: axum::http::Uri = "/login?tx=x".parse().unwrap();
        let ui = from_parts(&Method::GET, &uri, &h);
        assert_eq!(ui.lang, Lang::De);
        assert_eq!(ui.return_to.as_deref(), Some("/login?tx=x"));
        h.insert(header::COOKIE, "postern_lang=fi".parse().unwrap());
        let ui = from_parts(&Method::GET, &uri, &h).prefer(Some("sv"), None);
        assert_eq!(ui.lang, Lang::Fi);
    }
}
