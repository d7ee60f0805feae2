//! Where webhooks may go. Unless private targets are allowed, an address is refused when it is loopback,
//! private (RFC 1918, unique local), link-local, shared (100.64/10), unspecified, multicast, broadcast or
//! documentation: checked on the addresses DNS gives (so a name that resolves inside is refused too), on
//! IP-literal URLs, and on every redirect (each one resolves again through the same resolver).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `ip` is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(v6),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (64..128).contains(&o[1]))
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        || o[0] >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// Whether a URL may be requested, as far as its host can tell before DNS: an IP literal must be
/// public; a name is checked on its addresses by [`PublicOnly`].
pub fn url_allowed(url: &reqwest::Url, allow_private: bool) -> bool {
    if allow_private {
        return true;
    }
    match url.host() {
        Some(url::Host::Ipv4(v4)) => public_v4(v4),
        Some(url::Host::Ipv6(v6)) => is_public(IpAddr::V6(v6)),
        Some(url::Host::Domain(d)) => !d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A resolver that keeps only public addresses, and fails when none is left.
#[derive(Debug, Clone, Copy)]
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!(
                    "{host} resolves to no public address (set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow private ones)"
                )
                .into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
        ] {
            assert!(
                !is_public(ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))),
                "{ip}"
            );
        }
        for ip in ["8.8.8.8", "211.234.10.20", "2606:4700::1111"] {
            assert!(
                is_public(ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))),
                "{ip}"
            );
        }
    }

    #[test]
    fn ip_literal_urls_are_checked_before_dns() {
        let u = |s: &str| reqwest::Url::parse(s).ok();
        assert!(u("http://127.0.0.1:8080/x").is_some_and(|u| !url_allowed(&u, false)));
        assert!(u("http://[::1]/x").is_some_and(|u| !url_allowed(&u, false)));
        assert!(u("http://localhost/x").is_some_and(|u| !url_allowed(&u, false)));
        assert!(u("http://127.0.0.1:8080/x").is_some_and(|u| url_allowed(&u, true)));
        assert!(u("https://hooks.example.kr/x").is_some_and(|u| url_allowed(&u, false)));
    }
}
