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

use crate::{Ctx, Out};
use foldhash::{HashSet, HashSetExt};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let mut seen = HashSet::new();
    for &(tag, node) in cx.tags() {
        if !seen.insert(tag) {
            out.report(node.span(), format!("tag `{tag}` is listed twice"));
        }
    }
}
