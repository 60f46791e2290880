//! `cartag`
//!
//! ## What it does
//! Reports a `car.` tag that is not `car.YYYY-MM-NNN` (a MITRE CAR analytic).
//!
//! ## Why is this bad?
//! Tools look these tags up by their exact form; a malformed one links to nothing.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - car.2016-04-5
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some(name) = tag.strip_prefix("car.") else {
            continue;
        };
        if !valid(name) {
            out.report(node.span(), format!("`{tag}` is not `car.YYYY-MM-NNN`"));
        }
    }
}

fn valid(name: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = name.split('-').collect();
    matches!(parts.as_slice(), [y, m, n] if digits(y, 4) && digits(m, 2) && digits(n, 3))
}
