//! `identifier_existence`
//!
//! ## What it does
//! Reports a rule without an `id`. `--fix` adds one (a new random UUID) after the title:
//! a line of its own before the next top-level key (before `title` when it is the last), so that
//! no block scalar, flow collection or comment is cut.
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

use crate::{Ctx, Edit, Out};
use sigc_compiler::span::Span;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.root.get("id").is_some() {
        return;
    }
    let finding = out
        .report(cx.missing_span(), "rule has no `id`")
        .help("add `id:` with a new UUID (`sigc check --fix` does)");
    if let Some((at, indent, line_break)) = insertion_point(cx) {
        let id = uuid::Uuid::new_v4();
        finding.fix(vec![Edit::new(
            Span::new(at, at),
            format!("{indent}id: {id}{line_break}"),
        )]);
    }
}

/// Where a new top-level line goes, with the indentation and line break to write: the start of
/// the line of the key after `title` (or of `title`), when the rule is a block map and that key
/// starts its line.
fn insertion_point<'a>(cx: &Ctx<'a>) -> Option<(usize, &'a str, &'static str)> {
    let text = cx.source.text.as_str();
    cx.root.get("title")?;
    if cx.text(cx.root.span()).starts_with('{') {
        return None;
    }
    let title = cx.root.key_span("title");
    let next = cx
        .root
        .entries()?
        .into_iter()
        .map(|(_, span, _)| span)
        .filter(|s| s.start > title.start)
        .min();
    let key = next.unwrap_or(title);
    let lines = cx.source.lines();
    let line = cx.source.line_col(key.start).line;
    let start = lines.line_range(line).start;
    let indent = text.get(start..key.start)?;
    if !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    let before = &text[..start];
    let line_break = if before.ends_with("\r\n") {
        "\r\n"
    } else if before.ends_with('\r') {
        "\r"
    } else if before.ends_with('\n') {
        "\n"
    } else {
        // The key is on the first line: use the break that ends it.
        let rest = &text[lines.line_range(line).end..];
        ["\r\n", "\r", "\n"]
            .into_iter()
            .find(|b| rest.starts_with(b))
            .unwrap_or("\n")
    };
    Some((start, indent, line_break))
}
