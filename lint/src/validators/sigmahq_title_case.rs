//! `sigmahq_title_case`
//!
//! ## What it does
//! Reports a title word written all in lower case (short joining words such as "of", "via", "and" excepted).
//!
//! ## Why is this bad?
//! SigmaHQ titles are in title case; consistent names read better in alert lists.
//!
//! ## Example
//! ```yaml
//! title: Suspicious cmd execution      # Suspicious Cmd Execution
//! ```

use crate::{Ctx, Out};

/// Words that stay lower case in a title.
const MINOR: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "new", "of", "on", "or", "over",
    "the", "through", "to", "via", "with", "without",
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((title, node)) = cx.string("title") else {
        return;
    };
    let mut at = 0;
    for word in title.split(' ') {
        let start = at;
        at += word.len() + 1;
        let letters = !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase());
        if letters && word.as_bytes()[0].is_ascii_lowercase() && !MINOR.contains(&word) {
            out.report(
                cx.value_span(node, start, start + word.len()),
                format!("title word `{word}` is not capitalised"),
            );
        }
    }
}
