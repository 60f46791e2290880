//! `sigmahq_tags_unique_tlp`
//!
//! ## What it does
//! Reports a second `tlp.` tag.
//!
//! ## Why is this bad?
//! A rule has one sharing label; two contradict each other.
//!
//! ## Example
//! ```yaml
//! tags: [tlp.clear, tlp.green]
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let tags: Vec<_> = cx
        .tags()
        .iter()
        .filter(|(t, _)| t.starts_with("tlp."))
        .collect();
    for (tag, node) in tags.iter().skip(1) {
        out.report(node.span(), format!("second `tlp.` tag `{tag}`"));
    }
}
