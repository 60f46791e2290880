//! `cvetag`
//!
//! ## What it does
//! Reports a `cve.` tag that is not `cve.YYYY-NNNN` (four or more digits after the year).
//!
//! ## Why is this bad?
//! Tools look these tags up by their exact form; a malformed one links to nothing.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - cve.21-44228
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some(name) = tag.strip_prefix("cve.") else {
            continue;
        };
        if !valid(name) {
            out.report(node.span(), format!("`{tag}` is not `cve.YYYY-NNNN…`"));
        }
    }
}

fn valid(name: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match name.split_once('-') {
        Some((y, n)) => digits(y, 4) && n.len() >= 4 && digits(n, n.len()),
        None => false,
    }
}
