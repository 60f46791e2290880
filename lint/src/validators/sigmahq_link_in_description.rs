//! `sigmahq_link_in_description`
//!
//! ## What it does
//! Reports a URL (or "internal research") in the description of a rule without `references`.
//!
//! ## Why is this bad?
//! Links belong in `references`, where tools collect and check them.
//!
//! ## Example
//! ```yaml
//! description: Detects the tool described at https://example.org/blog
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((text, node)) = cx.string("description") else {
        return;
    };
    if !cx.strings("references").is_empty() {
        return;
    }
    // ASCII case folding keeps every byte where it is, so offsets found in `lower` are in `text`.
    let lower = text.to_ascii_lowercase();
    let found = ["http://", "https://", "internal research"]
        .iter()
        .filter_map(|w| lower.find(w).map(|at| (at, w.len())))
        .min();
    if let Some((at, len)) = found {
        let end = if lower[at..].starts_with("http") {
            text[at..]
                .find(char::is_whitespace)
                .map_or(text.len(), |n| at + n)
        } else {
            at + len
        };
        out.report(
            cx.value_span(node, at, end),
            "a link in the description of a rule without references",
        )
        .help("move it to `references`");
    }
}
