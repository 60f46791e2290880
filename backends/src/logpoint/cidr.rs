//! CIDR networks as wildcard patterns, as pySigma expands them for targets without a CIDR
//! operator: IPv4 is split at the next octet boundary (`172.16.0.0/12` → `172.16.*` …
//! `172.31.*`), IPv6 at the next hex digit, cut where the first and last address first differ.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The patterns (`*` marks the wildcard) that together match exactly the addresses of the network
/// given by `network` (its first address) and `prefix`.
pub fn patterns(network: IpAddr, prefix: u8) -> Vec<String> {
    match network {
        IpAddr::V4(a) => v4(u32::from(a), u32::from(prefix)),
        IpAddr::V6(a) => v6(u128::from(a), u32::from(prefix)),
    }
}

fn v4(base: u32, prefix: u32) -> Vec<String> {
    let aligned = prefix.div_ceil(8) * 8;
    let count = 1u32 << (aligned - prefix);
    let step = 1u64 << (32 - aligned);
    (0..count)
        .map(|i| {
            let addr = Ipv4Addr::from((u64::from(base) + u64::from(i) * step) as u32);
            let octets = (aligned / 8) as usize;
            let groups: Vec<String> = addr.octets().iter().map(u8::to_string).collect();
            match octets {
                0 => "*".to_string(),
                4 => groups.join("."),
                n => format!("{}.*", groups[..n].join(".")),
            }
        })
        .collect()
}

fn v6(base: u128, prefix: u32) -> Vec<String> {
    let aligned = prefix.div_ceil(4) * 4;
    let count = 1u32 << (aligned - prefix);
    let host = |bits: u32| {
        if bits == 0 {
            u128::MAX
        } else {
            (1u128 << (128 - bits)) - 1
        }
    };
    (0..count)
        .map(|i| {
            let first = base + u128::from(i) * host(aligned).wrapping_add(1);
            let last = first | host(aligned);
            let first_text = Ipv6Addr::from(first).to_string();
            if first == last {
                return first_text;
            }
            let last_text = Ipv6Addr::from(last).to_string();
            let cut = first_text
                .bytes()
                .zip(last_text.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(first_text.len());
            format!("{}*", &first_text[..cut])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(net: &str) -> Vec<String> {
        let (addr, prefix) = net.split_once('/').unwrap();
        patterns(addr.parse().unwrap(), prefix.parse().unwrap())
    }

    #[test]
    fn ipv4_splits_at_octet_boundaries() {
        assert_eq!(p("10.0.0.0/8"), ["10.*"]);
        assert_eq!(p("192.168.0.0/16"), ["192.168.*"]);
        assert_eq!(p("172.16.0.0/12").len(), 16);
        assert_eq!(p("172.16.0.0/12")[15], "172.31.*");
        assert_eq!(p("1.2.3.4/32"), ["1.2.3.4"]);
        assert_eq!(p("1.2.3.0/31"), ["1.2.3.0", "1.2.3.1"]);
        assert_eq!(p("0.0.0.0/0"), ["*"]);
    }

    #[test]
    fn ipv6_splits_at_hex_digits() {
        assert_eq!(p("::1/128"), ["::1"]);
        assert_eq!(p("fe80::/10"), ["fe8*", "fe9*", "fea*", "feb*"]);
        assert_eq!(p("fc00::/7"), ["fc*", "fd*"]);
        assert_eq!(p("2620:83:8000::/48"), ["2620:83:8000:*"]);
        assert_eq!(p("1::/124"), ["1::*"]);
    }
}
