//! Who is calling: the client IP (from the peer, or from `X-Forwarded-For` when the peer is
//! a configured trusted proxy) and the user agent.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, header, request::Parts},
};

use crate::{audit::RequestMeta, model::net::IpRange, state::AppState};

pub struct ClientMeta(pub RequestMeta);

/// The address the request comes from. Only a trusted proxy may speak for someone else, and
/// then the rightmost address it did not add itself is the client (earlier entries can be
/// forged by the client). An IPv4 peer of a dual-stack socket (`::ffff:a.b.c.d`) is its
/// IPv4 address.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpRange]) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let is_trusted = |a: &IpAddr| trusted.iter().any(|r| r.contains(*a));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .map(|a| a.to_canonical())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !is_trusted(a))
            .unwrap_or(peer),
    )
}

impl FromRequestParts<AppState> for ClientMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let ip = client_ip(peer, &parts.headers, &state.config.http.trusted_proxies);
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(256).collect());
        Ok(ClientMeta(RequestMeta {
            ip: ip.map(|i| i.to_string()),
            user_agent,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trusted_proxies_may_forward() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let trusted: [IpRange; 1] = ["10.0.0.2".parse().unwrap()];
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "198.51.100.1, 203.0.113.9".parse().unwrap(),
        );
        assert_eq!(client_ip(Some(proxy), &h, &trusted), Some(client));
        // Not trusted: the header is ignored.
        assert_eq!(client_ip(Some(client), &h, &trusted), Some(client));
        assert_eq!(
            client_ip(Some(proxy), &HeaderMap::new(), &trusted),
            Some(proxy)
        );
    }

    #[test]
    fn proxies_may_be_trusted_by_range_in_both_families() {
        let trusted: Vec<IpRange> = ["172.16.0.0/12", "fd00::/8"]
            .iter()
            .map(|r| r.parse().unwrap())
            .collect();
        let mut h = HeaderMap::new();
        // The client, then two proxies of ours (one IPv6) that each added the previous hop.
        h.insert(
            "x-forwarded-for",
            "198.51.100.1, 2001:db8::7, fd00::3, 172.20.0.4"
                .parse()
                .unwrap(),
        );
        let peer: IpAddr = "::ffff:172.20.0.9".parse().unwrap();
        assert_eq!(
            client_ip(Some(peer), &h, &trusted),
            Some("2001:db8::7".parse().unwrap()),
            "the rightmost address that is not a proxy of ours"
        );
        let outsider: IpAddr = "172.32.0.1".parse().unwrap();
        assert_eq!(client_ip(Some(outsider), &h, &trusted), Some(outsider));
    }
}
