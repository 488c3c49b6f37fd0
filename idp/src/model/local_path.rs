//! A place on this site to send a browser back to: the one check every internal return
//! target goes through (the language switch's `return`, the way back after signing in, the
//! redirect of an error that asks to sign in first).

use url::Url;

/// A path and query on the issuer's origin, safe to send as a `Location`: visible ASCII
/// only, starting with one `/`.
///
/// The target is parsed the way a browser parses it (the `url` crate implements the WHATWG
/// URL standard), so what is checked is where the browser would actually go. Tabs, newlines
/// and backslashes are refused rather than cleaned: a browser drops the first two and reads a
/// backslash as a slash, so `/<TAB>/evil.example` and `/\evil.example` would both lead to
/// `//evil.example`, another host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

/// A stand-in origin to resolve against. A reference that starts with exactly one `/` and
/// holds no backslash or control character keeps the origin of whatever it is resolved
/// against, so the verdict is the same for every issuer (a path prefix of the issuer does
/// not matter either: the reference replaces the whole path). This lets the check run where
/// the issuer is not at hand, such as an error response asking to sign in first.
const BASE: &str = "https://postern.invalid/";

impl LocalPath {
    /// Where a browser goes when its return target is refused or missing.
    pub const HOME: &'static str = "/account";

    /// `raw` as a local target, or `None` when it could lead anywhere else.
    pub fn parse(raw: &str) -> Option<LocalPath> {
        if !raw.starts_with('/')
            || raw.starts_with("//")
            || raw.chars().any(|c| c.is_control() || c == '\\')
        {
            return None;
        }
        let base = Url::parse(BASE).ok()?;
        let url = base.join(raw).ok()?;
        if url.origin() != base.origin() {
            return None;
        }
        let mut out = url.path().to_owned();
        if let Some(q) = url.query() {
            out.push('?');
            out.push_str(q);
        }
        // Removing dot segments can make `//host` of a harmless path (`/.//evil.example`),
        // which a browser would read as another host.
        if out.starts_with("//") || !out.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        Some(LocalPath(out))
    }

    /// `raw` as a local target, or [`LocalPath::HOME`].
    pub fn or_home(raw: Option<&str>) -> LocalPath {
        raw.and_then(LocalPath::parse)
            .unwrap_or_else(LocalPath::home)
    }

    pub fn home() -> LocalPath {
        LocalPath(Self::HOME.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const ISSUERS: [&str; 3] = [
        "https://idp.example",
        "https://idp.example:8443/base",
        "http://127.0.0.1:8080",
    ];

    #[test]
    fn local_paths_pass_and_everything_else_is_refused() {
        for ok in ["/login?tx=1", "/account", "/a b?x=é", "/account/./data"] {
            assert!(LocalPath::parse(ok).is_some(), "{ok}");
        }
        assert_eq!(LocalPath::parse("/a b").unwrap().as_str(), "/a%20b");
        assert_eq!(LocalPath::parse("/x#frag").unwrap().as_str(), "/x");
        for bad in [
            "",
            "login",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\r\nSet-Cookie: a=b",
            "/.//evil.example",
            "/x/..//evil.example",
            "https://evil.example/",
            "https:evil.example",
            "javascript:alert(1)",
            "\\\\evil.example",
        ] {
            assert_eq!(LocalPath::parse(bad), None, "{bad:?}");
        }
        assert_eq!(LocalPath::or_home(Some("//evil")).as_str(), "/account");
    }

    /// Pieces an attacker puts together: separators, encodings, schemes, userinfo, dot
    /// segments, controls and look-alike unicode.
    fn hostile() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("/".to_owned()),
            Just("//".to_owned()),
            Just("\\".to_owned()),
            Just("/\\".to_owned()),
            Just("\t".to_owned()),
            Just("\r\n".to_owned()),
            Just("\0".to_owned()),
            Just("\u{7f}".to_owned()),
            Just("\u{85}".to_owned()),
            Just("%2F".to_owned()),
            Just("%5C".to_owned()),
            Just("%09".to_owned()),
            Just("%0d%0a".to_owned()),
            Just(".".to_owned()),
            Just("..".to_owned()),
            Just("?".to_owned()),
            Just("#".to_owned()),
            Just("@".to_owned()),
            Just(":".to_owned()),
            Just("user:pw@".to_owned()),
            Just("https:".to_owned()),
            Just("https://evil.example".to_owned()),
            Just("javascript:".to_owned()),
            Just("evil.example".to_owned()),
            Just("\u{ff0f}".to_owned()),
            Just("\u{202e}".to_owned()),
            Just("é".to_owned()),
            "[a-z0-9]{1,4}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn whatever_comes_in_the_target_stays_on_the_issuer(raw in hostile()) {
            let accepted = LocalPath::parse(&raw);
            let target = accepted.clone().unwrap_or_else(LocalPath::home);
            let t = target.as_str();
            prop_assert!(t.starts_with('/') && !t.starts_with("//"), "{raw:?} -> {t:?}");
            prop_assert!(axum::http::HeaderValue::from_str(t).is_ok(), "{raw:?} -> {t:?}");
            prop_assert!(t.bytes().all(|b| b.is_ascii_graphic()), "{raw:?} -> {t:?}");
            // Checked again, it is the same target.
            let again = LocalPath::parse(t);
            prop_assert_eq!(again.as_ref(), Some(&target));
            for issuer in ISSUERS {
                let issuer = Url::parse(issuer).unwrap();
                let went = issuer.join(t).unwrap();
                prop_assert_eq!(went.origin(), issuer.origin(), "{:?} -> {:?}", raw, t);
                // What was accepted leads where the browser would have gone with the raw
                // value (fragments aside).
                if accepted.is_some() {
                    let mut raw_went = issuer.join(&raw).unwrap();
                    raw_went.set_fragment(None);
                    prop_assert_eq!(went, raw_went);
                }
            }
        }
    }
}
