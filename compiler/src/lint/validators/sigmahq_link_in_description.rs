//! `sigmahq_link_in_description`
//!
//! ## What it does
//! Reports a URL in the description.
//!
//! ## Why is this bad?
//! Links belong in `references`, where tools collect and check them.
//!
//! ## Example
//! ```yaml
//! description: Detects the tool described at https://example.org/blog
//! ```

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((text, node)) = cx.string("description") else {
        return;
    };
    if let Some(at) = text.find("http://").or_else(|| text.find("https://")) {
        let end = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |n| at + n);
        out.report(cx.value_span(node, at, end), "a link in the description")
            .help("move it to `references`");
    }
}
