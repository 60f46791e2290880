//! IPv4 networks as wildcard patterns, as pySigma expands them for targets without a CIDR
//! operator: split at the next octet boundary (`172.16.0.0/12` → `172.16.*` … `172.31.*`).
//!
//! An IPv4 address has one usual text, so the patterns are exact. pySigma's IPv6 expansion (at
//! the next hex digit) is not: `2*` for `2000::/3` also matches `20::1`, and `::1` misses
//! `0::1`. The backend refuses IPv6 networks instead.

use std::net::Ipv4Addr;

/// The patterns (`*` marks the wildcard) that together match exactly the addresses of the network
/// given by `network` (its first address) and `prefix`.
pub fn patterns(network: Ipv4Addr, prefix: u8) -> Vec<String> {
    let (base, prefix) = (u32::from(network), u32::from(prefix));
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
}
