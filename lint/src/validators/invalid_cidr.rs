//! `invalid_cidr`
//!
//! ## What it does
//! Reports a `|cidr` value that is not an IPv4 or IPv6 network or address.
//!
//! ## Why is this bad?
//! The rule cannot be compiled; backends would otherwise emit a range that matches nothing.
//!
//! ## Example
//! ```yaml
//! DestinationIp|cidr: '10.0.0.256/8'
//! ```

use crate::{Ctx, Out};
use sigc_compiler::modifier::Modifier;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx.items.iter().filter(|i| i.has(Modifier::Cidr)) {
        for node in item.scalars() {
            let Some(text) = node.as_str() else {
                out.report(
                    node.span(),
                    format!("`cidr` takes a network as a string, not {}", node.kind()),
                );
                continue;
            };
            let t = text.trim();
            if t.parse::<ipnet::IpNet>().is_err() && t.parse::<std::net::IpAddr>().is_err() {
                out.report(
                    node.span(),
                    format!("`{text}` is not an IPv4 or IPv6 network"),
                )
                .help("write an address with a prefix length, e.g. 10.0.0.0/8 or fe80::/10");
            }
        }
    }
}
