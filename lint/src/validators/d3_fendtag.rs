//! `d3_fendtag`
//!
//! ## What it does
//! Reports a `d3fend.` tag that is neither a D3FEND technique (`d3fend.d3-xxx`, `d3fend.d3f-xxx`)
//! nor a D3FEND tactic (model, harden, detect, isolate, deceive, evict, restore).
//!
//! ## Why is this bad?
//! A malformed tag is not recognised by D3FEND mappings.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - d3fend.process-analysis      # d3fend.d3-pa
//! ```

use crate::{Ctx, Out};

const TACTICS: &[&str] = &[
    "model", "harden", "detect", "isolate", "deceive", "evict", "restore",
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some(name) = tag.strip_prefix("d3fend.") else {
            continue;
        };
        let technique = ["d3-", "d3f-"].iter().any(|p| {
            name.strip_prefix(p).is_some_and(|rest| {
                !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
        });
        if !technique && !TACTICS.contains(&name) {
            out.report(
                node.span(),
                format!("`{tag}` is not a D3FEND technique (`d3fend.d3-…`) or tactic"),
            );
        }
    }
}
