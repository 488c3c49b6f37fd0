//! The security headers of every response, and the one policy choice a page makes: where its
//! forms may send the browser.
//!
//! Browsers apply `form-action` not only to a form's own URL but to every redirect that
//! follows its submission (Chromium does; a headless Chromium test showed it). A sign-in form answers with a redirect to the client's `redirect_uri`, so
//! `form-action 'self'` alone would stop every sign-in at the last step. A page whose form
//! may end at a client therefore names exactly that client's redirect origin, taken from the
//! authorization request it serves (already matched exactly against the client's
//! registration), and no other: a form injected into the page still cannot post elsewhere.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Everything but `form-action`: our own scripts, styles and images only, no framing.
const BASE: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
                    img-src 'self'; frame-ancestors 'none'; base-uri 'none'";

const DEFAULT: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
                       img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The origin a page's forms may lead to besides Postern's own, as a CSP source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FormTarget(String);

impl FormTarget {
    /// `https://rp.example:8443` for a web redirect URI; `com.example.app:` for a native
    /// app's private-use scheme, whose origin is opaque (RFC 8252 §7.1).
    pub(super) fn of(redirect_uri: &str) -> Option<FormTarget> {
        let url = url::Url::parse(redirect_uri).ok()?;
        let source = match url.origin() {
            o @ url::Origin::Tuple(..) => o.ascii_serialization(),
            url::Origin::Opaque(_) => format!("{}:", url.scheme()),
        };
        // A parsed URL's origin cannot hold these, but the header must never be split.
        if source.contains([' ', ';', ',', '\'', '"']) {
            return None;
        }
        Some(FormTarget(source))
    }

    /// Lets the forms of the page in `r` lead on to this origin.
    pub(super) fn allow(target: Option<FormTarget>, r: &mut Response) {
        if let Some(t) = target {
            r.extensions_mut().insert(t);
        }
    }
}

fn policy(target: Option<&FormTarget>) -> HeaderValue {
    match target {
        None => HeaderValue::from_static(DEFAULT),
        Some(FormTarget(origin)) => {
            HeaderValue::from_str(&format!("{BASE}; form-action 'self' {origin}"))
                .unwrap_or(HeaderValue::from_static(DEFAULT))
        }
    }
}

/// Headers every response gets.
pub(super) async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let csp = policy(r.extensions().get::<FormTarget>());
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_target_is_the_redirect_origin_only() {
        let t = FormTarget::of("https://rp.example:8443/cb?x=1#f").unwrap();
        assert_eq!(t, FormTarget("https://rp.example:8443".into()));
        assert_eq!(
            policy(Some(&t)).to_str().unwrap(),
            format!("{BASE}; form-action 'self' https://rp.example:8443")
        );
        assert_eq!(
            FormTarget::of("com.example.app:/callback"),
            Some(FormTarget("com.example.app:".into()))
        );
        assert_eq!(FormTarget::of("not a url"), None);
        assert_eq!(policy(None).to_str().unwrap(), DEFAULT);
    }
}
