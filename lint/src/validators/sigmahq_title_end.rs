//! `sigmahq_title_end`
//!
//! ## What it does
//! Reports a title that ends with a full stop.
//!
//! ## Why is this bad?
//! A title is a name, not a sentence.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd.
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((title, node)) = cx.string("title") else {
        return;
    };
    if title.trim_end().ends_with('.') {
        let at = title.trim_end().len() - 1;
        out.report(
            cx.value_span(node, at, at + 1),
            "title ends with a full stop",
        );
    }
}
