//! `sigmahq_title_start`
//!
//! ## What it does
//! Reports a title that starts with "Detect" or "Detects".
//!
//! ## Why is this bad?
//! Every rule detects something; the word wastes the most visible part of the alert name.
//!
//! ## Example
//! ```yaml
//! title: Detects Suspicious Cmd      # Suspicious Cmd
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((title, node)) = cx.string("title") else {
        return;
    };
    let first = title.split_whitespace().next().unwrap_or("");
    if first.eq_ignore_ascii_case("detect") || first.eq_ignore_ascii_case("detects") {
        out.report(
            cx.value_span(node, 0, first.len()),
            format!("title starts with `{first}`"),
        );
    }
}
