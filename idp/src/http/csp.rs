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
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Everything but `form-action`: our own scripts, styles and images only, no framing.
const BASE: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
                    img-src 'self'; frame-ancestors 'none'; base-uri 'none'";

const DEFAULT: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
                       img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Where a page's forms may lead besides Postern's own URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum FormTarget {
    /// The origin of a client's redirect URI, as a CSP source.
    Origin(String),
    /// Anywhere: the `form_post` page, whose one form is ours, carries no user input and
    /// posts to the client, which may redirect on to any origin of its own; and a redirect
    /// URI no CSP source can name (an IPv6 loopback address, RFC 8252 §7.3), where a
    /// `form-action` that omits it would stop the sign-in.
    Anywhere,
}

impl FormTarget {
    /// `https://rp.example:8443` for a web redirect URI; `com.example.app:` for a native
    /// app's private-use scheme, whose origin is opaque (RFC 8252 §7.1). Names only what a
    /// CSP source can say exactly: a host of letters, digits, dots and hyphens. A scheme
    /// that can run script or read files is never a target.
    pub(super) fn of(redirect_uri: &str) -> Option<FormTarget> {
        let url = url::Url::parse(redirect_uri).ok()?;
        let scheme = url.scheme();
        if [
            "javascript",
            "data",
            "vbscript",
            "file",
            "blob",
            "filesystem",
        ]
        .contains(&scheme)
        {
            return None;
        }
        Some(match url.host() {
            Some(url::Host::Domain(d))
                if !d.is_empty()
                    && d.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') =>
            {
                FormTarget::Origin(url.origin().ascii_serialization())
            }
            Some(url::Host::Ipv4(_)) => FormTarget::Origin(url.origin().ascii_serialization()),
            Some(_) => FormTarget::Anywhere,
            // An opaque origin: a private-use scheme (the `url` crate has lower-cased it and
            // allows only letters, digits, `+`, `-` and `.` in it).
            None if matches!(url.origin(), url::Origin::Opaque(_)) => {
                FormTarget::Origin(format!("{scheme}:"))
            }
            None => return None,
        })
    }

    /// Lets the forms of the page in `r` lead on to this target.
    pub(super) fn allow(target: Option<FormTarget>, r: &mut Response) {
        if let Some(t) = target {
            r.extensions_mut().insert(t);
        }
    }
}

fn policy(target: Option<&FormTarget>) -> HeaderValue {
    match target {
        None => HeaderValue::from_static(DEFAULT),
        Some(FormTarget::Anywhere) => HeaderValue::from_static(BASE),
        Some(FormTarget::Origin(origin)) => {
            HeaderValue::from_str(&format!("{BASE}; form-action 'self' {origin}")).unwrap_or_else(
                |_| {
                    // `of` lets nothing through that a header cannot hold; should that ever
                    // change, the sign-in must not stop without a trace.
                    tracing::error!(%origin, "a form target that no header can hold");
                    HeaderValue::from_static(DEFAULT)
                },
            )
        }
    }
}

/// How browsers reach this server, as far as the headers care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Transport {
    /// The issuer is https: browsers are told to use nothing else (HSTS).
    Https,
    /// Development on http (localhost): HSTS would stick to the host name and break
    /// every other http service on it for a year.
    Http,
}

impl Transport {
    pub(super) fn of(config: &crate::Config) -> Transport {
        if config.issuer_is_https() {
            Transport::Https
        } else {
            Transport::Http
        }
    }
}

/// One year, the least that browsers' preload lists accept. Without `includeSubDomains`:
/// the issuer's parent domain may serve other sites that are not ours to decide for.
const HSTS: &str = "max-age=31536000";

/// Headers every response gets.
pub(super) async fn security_headers(
    State(transport): State<Transport>,
    req: Request,
    next: Next,
) -> Response {
    let mut r = next.run(req).await;
    let csp = policy(r.extensions().get::<FormTarget>());
    let h = r.headers_mut();
    if transport == Transport::Https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
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
        assert_eq!(t, FormTarget::Origin("https://rp.example:8443".into()));
        assert_eq!(
            policy(Some(&t)).to_str().unwrap(),
            format!("{BASE}; form-action 'self' https://rp.example:8443")
        );
        assert_eq!(
            FormTarget::of("http://127.0.0.1:9090/callback"),
            Some(FormTarget::Origin("http://127.0.0.1:9090".into()))
        );
        assert_eq!(
            FormTarget::of("com.example.app:/callback"),
            Some(FormTarget::Origin("com.example.app:".into()))
        );
        assert_eq!(policy(None).to_str().unwrap(), DEFAULT);
    }

    #[test]
    fn what_no_source_can_name_is_never_widened_to_a_wildcard() {
        assert_eq!(
            FormTarget::of("http://[::1]:8080/cb"),
            Some(FormTarget::Anywhere)
        );
        assert_eq!(
            FormTarget::of("https://*.corp.example/cb"),
            Some(FormTarget::Anywhere)
        );
        assert_eq!(policy(Some(&FormTarget::Anywhere)).to_str().unwrap(), BASE);
        assert_eq!(FormTarget::of("javascript://x/%0Aalert(1)"), None);
        assert_eq!(FormTarget::of("data:text/html,x"), None);
        assert_eq!(FormTarget::of("not a url"), None);
    }
}
