//! `duplicate_references`
//!
//! ## What it does
//! Reports an entry of `references` that appears earlier in the list.
//!
//! ## Why is this bad?
//! A repeated reference is noise, usually a copy-and-paste slip that hides a missing link.
//!
//! ## Example
//! ```yaml
//! references:
//!   - https://example.org/report
//!   - https://example.org/report
//! ```

use crate::{Ctx, Out};
use foldhash::{HashSet, HashSetExt};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let mut seen = HashSet::new();
    for (text, node) in cx.strings("references") {
        if !seen.insert(text) {
            out.report(node.span(), format!("reference `{text}` is listed twice"));
        }
    }
}
