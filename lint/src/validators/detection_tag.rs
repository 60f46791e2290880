//! `detection_tag`
//!
//! ## What it does
//! Reports a `detection.` tag that is not one of `detection.dfir`, `detection.emerging-threats`, `detection.threat-hunting`.
//!
//! ## Why is this bad?
//! Tools look these tags up by their exact form; a malformed one links to nothing.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - detection.hunting
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some(name) = tag.strip_prefix("detection.") else {
            continue;
        };
        if !valid(name) {
            out.report(node.span(), format!("`{tag}` is not one of detection.dfir, detection.emerging-threats, detection.threat-hunting"));
        }
    }
}

fn valid(name: &str) -> bool {
    matches!(name, "dfir" | "emerging-threats" | "threat-hunting")
}
