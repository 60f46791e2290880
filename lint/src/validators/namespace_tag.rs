//! `namespace_tag`
//!
//! ## What it does
//! Reports a tag whose namespace is not one of Sigma's: attack, car, cve, d3fend, detection, stp,
//! tlp.
//!
//! ## Why is this bad?
//! Tags outside the known namespaces are ignored by tools, and are usually a typo (`attak.`).
//!
//! ## Example
//! ```yaml
//! tags:
//!   - attak.execution
//! ```

use crate::{Ctx, Out};

pub const NAMESPACES: &[&str] = &["attack", "car", "cve", "d3fend", "detection", "stp", "tlp"];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some((ns, _)) = tag.split_once('.') else {
            continue;
        };
        if !NAMESPACES.contains(&ns.to_lowercase().as_str()) {
            out.report(node.span(), format!("tag namespace `{ns}` is unknown"))
                .help(format!("known namespaces: {}", NAMESPACES.join(", ")));
        }
    }
}
