//! Network addresses as the configuration and the rate limits see them: a range of
//! addresses (`10.0.0.0/8`, `fd00::/8`, or one address), and the group of addresses a
//! per-address limit counts as one.

use std::{
    fmt,
    net::{IpAddr, Ipv4Addr, Ipv6Addr},
    str::FromStr,
};

/// A CIDR range, or one address (a range of one). Written `10.0.0.0/8`, `2001:db8::/32` or
/// `10.0.0.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    /// The first address of the range (host bits cleared).
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Whether `ip` is in the range. An IPv4 address that reaches a dual-stack socket as
    /// `::ffff:a.b.c.d` is compared as the IPv4 address it is.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => mask_v4(ip, self.prefix) == net,
            (IpAddr::V6(net), IpAddr::V6(ip)) => mask_v6(ip, self.prefix) == net,
            _ => false,
        }
    }
}

fn mask_v4(ip: Ipv4Addr, prefix: u8) -> Ipv4Addr {
    let bits = u32::from(ip);
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
    Ipv4Addr::from(bits & mask)
}

fn mask_v6(ip: Ipv6Addr, prefix: u8) -> Ipv6Addr {
    let bits = u128::from(ip);
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
    Ipv6Addr::from(bits & mask)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRange(pub String);

impl fmt::Display for InvalidRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected an address or a CIDR range like 10.0.0.0/8 or fd00::/8, got {:?}",
            self.0
        )
    }
}

impl FromStr for IpRange {
    type Err = InvalidRange;

    fn from_str(s: &str) -> Result<IpRange, InvalidRange> {
        let bad = || InvalidRange(s.to_owned());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            // Digits only: `u8::from_str` would also take a `+`.
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
            None => max,
        };
        if prefix > max {
            return Err(bad());
        }
        // Host bits set (`10.0.0.1/8`) are almost always a typo for a wider or narrower
        // range than meant; refusing it makes the operator say which.
        let network = match addr {
            IpAddr::V4(a) => IpAddr::V4(mask_v4(a, prefix)),
            IpAddr::V6(a) => IpAddr::V6(mask_v6(a, prefix)),
        };
        if network != addr {
            return Err(bad());
        }
        Ok(IpRange { network, prefix })
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl serde::Serialize for IpRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for IpRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<IpRange, D::Error> {
        let raw = String::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

/// The unit a per-address limit counts: one IPv4 address, or one IPv6 /64. A /64 is the
/// smallest network a subscriber is given, and a single host picks any address in it at
/// will, so counting IPv6 addresses one by one would let one machine have 2^64 allowances.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddressGroup(String);

impl AddressGroup {
    pub fn of(ip: IpAddr) -> AddressGroup {
        AddressGroup(match ip.to_canonical() {
            IpAddr::V4(a) => a.to_string(),
            IpAddr::V6(a) => format!("{}/64", mask_v6(a, 64)),
        })
    }

    /// From the textual address of a request; what cannot be read as an address (a test
    /// without a peer) is its own group.
    pub fn parse(ip: &str) -> AddressGroup {
        ip.parse()
            .map(AddressGroup::of)
            .unwrap_or_else(|_| AddressGroup(ip.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_in_both_families_and_contain_what_they_should() {
        let r: IpRange = "10.0.0.0/8".parse().unwrap();
        assert!(r.contains(ip("10.200.3.4")));
        assert!(!r.contains(ip("11.0.0.1")));
        assert!(r.contains(ip("::ffff:10.1.2.3")), "an IPv4-mapped peer");
        assert!(!r.contains(ip("fd00::1")));
        let one: IpRange = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: IpRange = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let all: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.1")));
        let host6: IpRange = "::1".parse().unwrap();
        assert!(host6.contains(ip("::1")) && !host6.contains(ip("::2")));
        assert_eq!(v6.to_string(), "2001:db8::/32");
        for bad in [
            "10.0.0.0/33",
            "fd00::/129",
            "10.0.0.1/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0/8",
            "proxy",
            "",
        ] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ipv6_addresses_are_grouped_per_64_and_ipv4_per_address() {
        let a = AddressGroup::parse("2001:db8:1:2:aaaa::1");
        assert_eq!(a, AddressGroup::parse("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assert_ne!(a, AddressGroup::parse("2001:db8:1:3::1"));
        assert_eq!(a.as_str(), "2001:db8:1:2::/64");
        assert_ne!(
            AddressGroup::parse("192.0.2.1"),
            AddressGroup::parse("192.0.2.2")
        );
        assert_eq!(
            AddressGroup::parse("::ffff:192.0.2.1"),
            AddressGroup::parse("192.0.2.1")
        );
    }
}
