//! A client's logo, fetched once when its `logo_uri` is set (through `idp clients` or the
//! management API) and stored, so the pages show it from Postern's own origin: a sign-in
//! page makes no request to anyone else, and the logo cannot change behind our back.
//!
//! The URL is the registrant's, and Postern reaches it from inside the operator's network,
//! so the fetch must not be a way in (server-side request forgery):
//! - https only, to a host whose every address is public: no loopback, private, link-local
//!   (cloud metadata), shared, multicast or reserved address, whether the URL names it or a
//!   name resolves to it. The check sits in the resolver the connection uses, so a name
//!   cannot pass the check with one address and connect to another. `clients.
//!   logo_uri_loopback` admits the loopback interface, over http too, for development.
//! - no proxy (it would resolve names where the check cannot see), no cookies, no
//!   credentials (a URL with userinfo is refused), no `Referer`;
//! - a few redirects at most, each target held to the same rules;
//! - time limits on connecting and on the whole fetch;
//! - at most [`MAX_LOGO_BYTES`], read piece by piece (`outbound`), so a huge or endless
//!   answer is cut off rather than buffered;
//! - only PNG, JPEG, GIF or WebP, known by their first bytes whatever the answer's
//!   `Content-Type` said (no SVG: it is a document that can carry script).

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::{model::ImageKind, storage::StoredLogo};

/// The largest logo accepted: plenty for a crisp mark at any size a page shows it.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// For the whole fetch, redirects and body included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REDIRECTS: usize = 3;
/// Longest `logo_uri`, like any URL a browser would take.
pub const MAX_URI: usize = 2048;

/// Fetches logos under the rules above; one per server, built at start.
pub struct LogoFetcher {
    http: reqwest::Client,
    loopback: bool,
}

impl LogoFetcher {
    /// `loopback`: `clients.logo_uri_loopback`.
    pub fn new(loopback: bool) -> Result<LogoFetcher, String> {
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if let Err(why) = check_target(attempt.url(), loopback) {
                let to = attempt.url().to_string();
                attempt.error(format!("a redirect to {to}: {why}"))
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly { loopback }))
            .no_proxy()
            .redirect(policy)
            .referer(false)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(FETCH_TIMEOUT)
            .user_agent(concat!(
                "Postern/",
                env!("CARGO_PKG_VERSION"),
                " (logo fetch)"
            ))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(LogoFetcher { http, loopback })
    }

    /// A `logo_uri` as it may be registered: absolute, at most [`MAX_URI`] characters, no
    /// fragment, no credentials, and a target the rules above allow.
    pub fn check_uri(&self, uri: &str) -> Result<Url, String> {
        if uri.len() > MAX_URI {
            return Err(format!("at most {MAX_URI} characters"));
        }
        let url = Url::parse(uri).map_err(|_| format!("{uri:?} is not an absolute URL"))?;
        if url.fragment().is_some() {
            return Err("a logo URL has no fragment".into());
        }
        check_target(&url, self.loopback)?;
        Ok(url)
    }

    /// The image at `uri`, ready to store; `Err` says why it cannot be the logo.
    pub async fn fetch(&self, uri: &str, now: i64) -> Result<StoredLogo, String> {
        let url = self.check_uri(uri)?;
        let body = tokio::time::timeout(FETCH_TIMEOUT, self.read(url))
            .await
            .map_err(|_| format!("no complete answer within {} s", FETCH_TIMEOUT.as_secs()))??;
        let kind = ImageKind::sniff(&body)
            .ok_or("not a PNG, JPEG, GIF or WebP image (SVG is not accepted)")?;
        Ok(StoredLogo::new(kind, body, now))
    }

    async fn read(&self, url: Url) -> Result<Vec<u8>, String> {
        let resp = self
            .http
            .get(url)
            .header(
                reqwest::header::ACCEPT,
                "image/png, image/jpeg, image/gif, image/webp",
            )
            .send()
            .await
            .map_err(describe)?;
        if resp.status() != reqwest::StatusCode::OK {
            return Err(format!("the server answered HTTP {}", resp.status()));
        }
        crate::outbound::body_at_most(resp, MAX_LOGO_BYTES)
            .await
            .map_err(describe)?
            .ok_or_else(|| format!("larger than {} KiB", MAX_LOGO_BYTES / 1024))
    }
}

/// What went wrong, with the causes reqwest wraps (the refusal of a redirect or of an
/// address is one of them), without repeating the URL the caller gave.
fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", FETCH_TIMEOUT.as_secs());
    }
    let e = e.without_url();
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// Whether `url` may be fetched (or redirected to): https, or http on the loopback
/// interface when allowed; no credentials; an address, if the URL names one, that the rules
/// allow (a name's addresses are checked by [`PublicOnly`] when it is resolved).
fn check_target(url: &Url, loopback: bool) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a logo URL carries no credentials".into());
    }
    let on_loopback = match url.host() {
        Some(Host::Domain(d)) => is_localhost(d),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err("a logo URL names a host".into()),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback && on_loopback => {}
        _ if loopback => {
            return Err("https only (http on the loopback interface)".into());
        }
        _ => return Err("https only".into()),
    }
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    if on_loopback && !loopback || ip.is_some_and(|ip| !allowed(ip, loopback)) {
        return Err(NOT_PUBLIC.into());
    }
    Ok(())
}

const NOT_PUBLIC: &str = "the host is not on a public address (loopback, private, link-local and \
                          reserved addresses are refused)";

fn is_localhost(domain: &str) -> bool {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    d == "localhost" || d.ends_with(".localhost")
}

/// Whether a logo may be fetched from `ip`: a public unicast address, or the loopback
/// interface when `loopback` allows it.
pub fn allowed(ip: IpAddr, loopback: bool) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) if v4.is_loopback() => loopback,
        IpAddr::V6(v6) if v6.is_loopback() => loopback,
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        // Shared address space (carrier-grade NAT), RFC 6598.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, RFC 6890.
        || (a == 192 && b == 0 && c == 0)
        // Benchmarking, RFC 2544.
        || (a == 198 && (b == 18 || b == 19))
        // Reserved (240/4).
        || a >= 240;
    !special
}

/// Global unicast (2000::/3) only, less what embeds or reaches an IPv4 address elsewhere
/// (6to4, Teredo) and the documentation range: unique-local, link-local, multicast,
/// NAT64 and the rest lie outside 2000::/3.
fn public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let global = (s[0] & 0xE000) == 0x2000;
    let six_to_four = s[0] == 0x2002;
    let teredo = s[0] == 0x2001 && s[1] == 0;
    let documentation = s[0] == 0x2001 && s[1] == 0x0DB8;
    global && !six_to_four && !teredo && !documentation
}

/// The resolver of the fetch: a name is used only if every address it resolves to is
/// allowed; one internal address among public ones refuses the name (it could be the one
/// the connection picks).
struct PublicOnly {
    loopback: bool,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let loopback = self.loopback;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            if addrs.iter().any(|a| !allowed(a.ip(), loopback)) {
                return Err(format!("{host}: {NOT_PUBLIC}").into());
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_unless_the_loopback_is_allowed() {
        for public in ["93.184.215.14", "8.8.8.8", "2a00:1450:4001:80b::200e"] {
            assert!(allowed(ip(public), false), "{public}");
        }
        for internal in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.0.8",
            "198.18.0.1",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "64:ff9b::a00:1",
            "2002:a00:1::",
            "2001:0:a00:1::",
            "2001:db8::1",
        ] {
            assert!(!allowed(ip(internal), false), "{internal}");
        }
        assert!(allowed(ip("127.0.0.1"), true));
        assert!(allowed(ip("::1"), true));
        assert!(!allowed(ip("10.0.0.1"), true), "loopback only");
    }

    #[test]
    fn a_logo_uri_is_https_without_credentials_or_an_internal_address() {
        let strict = LogoFetcher::new(false).unwrap();
        assert!(strict.check_uri("https://post.example/logo.png").is_ok());
        for bad in [
            "http://post.example/logo.png",
            "https://user:pw@post.example/logo.png",
            "https://post.example/logo.png#x",
            "https://127.0.0.1/logo.png",
            "https://[::1]/logo.png",
            "https://localhost/logo.png",
            "https://admin.localhost./logo.png",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.5/logo.png",
            "http://127.0.0.1:8080/logo.png",
            "ftp://post.example/logo.png",
            "data:image/png;base64,iVBORw0KGgo=",
            "javascript:alert(1)",
            "/logo.png",
        ] {
            assert!(strict.check_uri(bad).is_err(), "{bad}");
        }
        let dev = LogoFetcher::new(true).unwrap();
        assert!(dev.check_uri("http://127.0.0.1:8080/logo.png").is_ok());
        assert!(dev.check_uri("http://localhost:8080/logo.png").is_ok());
        assert!(dev.check_uri("http://post.example/logo.png").is_err());
        assert!(dev.check_uri("https://10.0.0.5/logo.png").is_err());
        let long = format!("https://post.example/{}", "a".repeat(MAX_URI));
        assert!(strict.check_uri(&long).is_err());
    }

    /// The check that a URL naming an address cannot dodge: a name is resolved by the
    /// fetch's own resolver, which refuses it when an address is internal.
    #[tokio::test]
    async fn a_name_that_resolves_to_the_loopback_is_refused_unless_allowed() {
        let name = || "localhost".parse::<Name>().unwrap();
        let refused = PublicOnly { loopback: false }.resolve(name()).await;
        let why = refused.err().expect("refused").to_string();
        assert!(why.contains("not on a public address"), "{why}");
        let addrs: Vec<SocketAddr> = PublicOnly { loopback: true }
            .resolve(name())
            .await
            .expect("resolved")
            .collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
    }
}
