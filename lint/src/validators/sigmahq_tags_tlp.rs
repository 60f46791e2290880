//! `sigmahq_tags_tlp`
//!
//! ## What it does
//! Reports a `tlp.` tag other than `tlp.clear` (setting `allowed`).
//!
//! ## Why is this bad?
//! Rules in a public repository are public: any other label claims a restriction the repository cannot keep.
//!
//! ## Example
//! ```yaml
//! tags: [tlp.amber]
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let allowed = cx
        .config
        .words("sigmahq_tags_tlp", "allowed")
        .unwrap_or_else(|| vec!["tlp.clear".to_string()]);
    for &(tag, node) in cx.tags() {
        if tag.starts_with("tlp.") && !allowed.iter().any(|a| a == tag) {
            out.report(
                node.span(),
                format!("`{tag}` in a public rule (allowed: {})", allowed.join(", ")),
            );
        }
    }
}
