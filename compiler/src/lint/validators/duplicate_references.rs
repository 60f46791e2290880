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

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let refs = cx.strings("references");
    for (i, (text, node)) in refs.iter().enumerate() {
        if refs[..i].iter().any(|(t, _)| t == text) {
            out.report(node.span(), format!("reference `{text}` is listed twice"));
        }
    }
}
