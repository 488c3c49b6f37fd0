//! Whether a requested redirect URI is one the client registered.

use url::{Host, Url};

/// True when `requested` is `registered`, compared exactly (OAuth 2.1 §2.3.1: no prefix, no
/// normalisation), with one exception: for a registered loopback IP literal over http
/// (`http://127.0.0.1[:port]/path`, `http://[::1][:port]/path`) the port may differ, since a
/// native app binds whatever port is free when it signs in (RFC 8252 §7.3). Everything else —
/// scheme, host, path, query — must stay as registered, to the letter: the requested URI has to
/// equal the registered one with its port replaced, so no other spelling of the host, no
/// userinfo and no leading zero gets through. `localhost` gets no such leniency (RFC 8252
/// §8.3: a name can resolve elsewhere, and a firewall may treat it differently).
pub fn redirect_uri_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let Ok(mut reg) = Url::parse(registered) else {
        return false;
    };
    let loopback_ip = match reg.host() {
        Some(Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        _ => false,
    };
    if reg.scheme() != "http" || !loopback_ip {
        return false;
    }
    let Ok(req) = Url::parse(requested) else {
        return false;
    };
    // Only the port is taken from the request; the rest is the registered URI's.
    if reg.set_port(req.port()).is_err() {
        return false;
    }
    reg.as_str() == requested
}

#[cfg(test)]
mod tests {
    use super::redirect_uri_matches as m;

    #[test]
    fn exact_uris_match() {
        assert!(m("https://rp.example/cb", "https://rp.example/cb"));
        assert!(m("com.example.app:/cb", "com.example.app:/cb"));
        assert!(m("http://localhost:8000/cb", "http://localhost:8000/cb"));
        assert!(!m("https://rp.example/cb", "https://rp.example/cb/"));
        assert!(!m("https://rp.example/cb", "https://RP.example/cb"));
    }

    #[test]
    fn loopback_ip_literals_accept_any_port() {
        for (registered, requested) in [
            (
                "http://127.0.0.1/callback",
                "http://127.0.0.1:53124/callback",
            ),
            (
                "http://127.0.0.1:8000/callback",
                "http://127.0.0.1:1/callback",
            ),
            (
                "http://127.0.0.1:8000/callback",
                "http://127.0.0.1/callback",
            ),
            ("http://[::1]/callback", "http://[::1]:61000/callback"),
            (
                "http://127.0.0.1/cb?app=cli",
                "http://127.0.0.1:4000/cb?app=cli",
            ),
        ] {
            assert!(m(registered, requested), "{registered} ~ {requested}");
        }
    }

    #[test]
    fn everything_but_the_port_stays_as_registered() {
        let reg = "http://127.0.0.1/callback";
        for requested in [
            // Another host that only starts like the loopback address.
            "http://127.0.0.1.evil.com:5000/callback",
            "http://127.0.0.1.evil.com/callback",
            // Userinfo: the host is evil.com.
            "http://127.0.0.1@evil.com/callback",
            "http://127.0.0.1:5000@evil.com/callback",
            // Another path, query or scheme.
            "http://127.0.0.1:5000/other",
            "http://127.0.0.1:5000/callback/",
            "http://127.0.0.1:5000/callback?x=1",
            "http://127.0.0.1:5000/callback#frag",
            "https://127.0.0.1:5000/callback",
            // Other spellings of the address and the port.
            "http://0x7f.0.0.1:5000/callback",
            "http://2130706433:5000/callback",
            "http://127.1:5000/callback",
            "http://127.0.0.2:5000/callback",
            "http://127.0.0.1:05000/callback",
            "http://127.0.0.1:80/callback",
            "http://[::1]:5000/callback",
            // A name is not an IP literal (RFC 8252 §8.3).
            "http://localhost:5000/callback",
            "",
            "not a uri",
        ] {
            assert!(!m(reg, requested), "{requested}");
        }
        assert!(!m("http://[::1]/cb", "http://[0:0:0:0:0:0:0:1]:5000/cb"));
        assert!(!m("http://[::1]/cb", "http://127.0.0.1:5000/cb"));
    }

    #[test]
    fn no_leniency_for_localhost_https_or_other_hosts() {
        assert!(!m(
            "http://localhost/callback",
            "http://localhost:5000/callback"
        ));
        assert!(!m(
            "https://127.0.0.1/callback",
            "https://127.0.0.1:5000/callback"
        ));
        assert!(!m("https://rp.example/cb", "https://rp.example:8443/cb"));
        assert!(!m("http://127.0.0.2/cb", "http://127.0.0.2:5000/cb"));
        assert!(!m("com.example.app:/cb", "com.example.app:/cb2"));
    }
}
