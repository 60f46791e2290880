//! `identifier_existence`
//!
//! ## What it does
//! Reports a rule without an `id`. `--fix` adds one (a new random UUID) after the title.
//!
//! ## Why is this bad?
//! The id is how rules are referenced by correlations, filters, `related` entries, exclusion
//! lists and alert pipelines; a title changes, the id must not.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd
//! # id: missing
//! logsource: {category: process_creation, product: windows}
//! ```

use crate::lint::{Ctx, Edit, Out};
use crate::span::Span;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.root.get("id").is_some() {
        return;
    }
    let id = uuid::Uuid::new_v4();
    let edit = match cx.root.get("title") {
        Some(title) => {
            let text = &cx.source.text;
            let key = cx.root.key_span("title");
            let line_start = text[..key.start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &text[line_start..key.start];
            let end = title.span().end.max(key.end);
            match text[end..].find('\n') {
                Some(nl) if indent.trim().is_empty() => {
                    let at = end + nl + 1;
                    Some(Edit::new(Span::new(at, at), format!("{indent}id: {id}\n")))
                }
                _ => None,
            }
        }
        None => None,
    };
    let finding = out
        .report(cx.missing_span(), "rule has no `id`")
        .help("add `id:` with a new UUID (`sigc check --fix` does)");
    if let Some(edit) = edit {
        finding.fix(vec![edit]);
    }
}
