//! Who is asking: the client address every per-client limit counts by.
//!
//! The connection's address, unless it is one of our own reverse proxies
//! (`QM_TRUSTED_PROXIES`): then the right-most `X-Forwarded-For` entry that is not a
//! trusted proxy, which is the address the first of our proxies saw. Entries left of it
//! were written by the client and prove nothing. An IPv6 client counts by its /64: one
//! subscriber gets a whole /64 and can pick any address in it.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// A client as the limits count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(IpAddr);

impl ClientAddr {
    /// `peer` is the connection's address; `headers` the request's.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Self {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        let mut client = canonical(peer);
        if is_trusted(&client) {
            let forwarded = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect::<Vec<_>>();
            for entry in forwarded.iter().rev() {
                let Ok(ip) = entry.parse::<IpAddr>() else {
                    // Garbage where an address should be: believe nothing further left.
                    break;
                };
                client = canonical(ip);
                if !is_trusted(&client) {
                    break;
                }
            }
        }
        Self(per_subscriber(client))
    }

    /// How the address is stored beside a limit's counts.
    pub fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("{ip}/64"),
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn per_subscriber(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(client_of(parts, state))
    }
}

pub(super) fn client_of(parts: &Parts, state: &AppState) -> ClientAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    ClientAddr::resolve(peer, &parts.headers, &state.trusted_proxies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let c = ClientAddr::resolve(ip("203.0.113.9"), &headers(&["198.51.100.1"]), &[]);
        assert_eq!(c.key(), "203.0.113.9");
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client wrote 1.1.1.1 itself; our proxy appended what it saw.
        let h = headers(&["1.1.1.1, 198.51.100.7, 10.0.0.3"]);
        let c = ClientAddr::resolve(ip("10.0.0.2"), &h, &trusted);
        assert_eq!(c.key(), "198.51.100.7");
        // Several header lines count as one list, in order.
        let h = headers(&["1.1.1.1", "198.51.100.8"]);
        assert_eq!(
            ClientAddr::resolve(ip("10.0.0.2"), &h, &trusted).key(),
            "198.51.100.8"
        );
    }

    #[test]
    fn a_proxy_we_do_not_trust_cannot_choose_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        let c = ClientAddr::resolve(ip("203.0.113.9"), &headers(&["198.51.100.1"]), &trusted);
        assert_eq!(c.key(), "203.0.113.9");
    }

    #[test]
    fn garbage_in_the_header_stops_the_walk() {
        let trusted = nets(&["10.0.0.0/8"]);
        let h = headers(&["198.51.100.1, nonsense, 10.0.0.4"]);
        assert_eq!(
            ClientAddr::resolve(ip("10.0.0.2"), &h, &trusted).key(),
            "10.0.0.4"
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let a = ClientAddr::resolve(ip("2001:db8:1:2::1"), &HeaderMap::new(), &[]);
        let b = ClientAddr::resolve(ip("2001:db8:1:2:ffff::9"), &HeaderMap::new(), &[]);
        let other = ClientAddr::resolve(ip("2001:db8:1:3::1"), &HeaderMap::new(), &[]);
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a.key(), "2001:db8:1:2::/64");
        let mapped = ClientAddr::resolve(ip("::ffff:198.51.100.2"), &HeaderMap::new(), &[]);
        assert_eq!(mapped.key(), "198.51.100.2");
    }
}
