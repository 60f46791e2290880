//! `duplicate_tag`
//!
//! ## What it does
//! Reports a tag that appears earlier in `tags`.
//!
//! ## Why is this bad?
//! Repeated tags inflate coverage counts and are usually a merge slip.
//!
//! ## Example
//! ```yaml
//! tags: [attack.execution, attack.execution]
//! ```

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let tags = cx.tags();
    for (i, (tag, node)) in tags.iter().enumerate() {
        if tags[..i].iter().any(|(t, _)| t == tag) {
            out.report(node.span(), format!("tag `{tag}` is listed twice"));
        }
    }
}
