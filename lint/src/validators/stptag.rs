//! `stptag`
//!
//! ## What it does
//! Reports a `stp.` tag that is not `stp.N` or `stp.N` followed by a, u or k (Summiting the Pyramid).
//!
//! ## Why is this bad?
//! Tools look these tags up by their exact form; a malformed one links to nothing.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - stp.high
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some(name) = tag.strip_prefix("stp.") else {
            continue;
        };
        if !valid(name) {
            out.report(
                node.span(),
                format!("`{tag}` is not `stp.N` or `stp.Na`/`u`/`k`"),
            );
        }
    }
}

fn valid(name: &str) -> bool {
    let b = name.as_bytes();
    match b {
        [d] => d.is_ascii_digit(),
        [d, s] => d.is_ascii_digit() && matches!(s, b'a' | b'u' | b'k'),
        _ => false,
    }
}
