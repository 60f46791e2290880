//! `sigmahq_tags_unique_detection`
//!
//! ## What it does
//! Reports a second `detection.` tag.
//!
//! ## Why is this bad?
//! A rule is in one detection collection (dfir, emerging threats, threat hunting), not several.
//!
//! ## Example
//! ```yaml
//! tags: [detection.dfir, detection.threat-hunting]
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let tags: Vec<_> = cx
        .tags()
        .iter()
        .filter(|(t, _)| t.starts_with("detection."))
        .collect();
    for (tag, node) in tags.iter().skip(1) {
        out.report(node.span(), format!("second `detection.` tag `{tag}`"));
    }
}
