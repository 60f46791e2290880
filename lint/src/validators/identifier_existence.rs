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
fn insertion_point<'a>(cx: &Ctx<'a>) -> Option<(usize, &'a str, &'a str)> {
    cx.root.get("title")?;
    if cx.root.written(cx.source).starts_with('{') {
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
    let source = cx.source;
    let line = source.line_col(key.start).line;
    let start = source.line_range(line).start;
    let indent = source.line(line).get(..key.start - start)?;
    if !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    // The break that ends the line before, or, on the first line, the one that ends it.
    let line_break = match source.line_break(line.saturating_sub(1).max(1)) {
        "" => "\n",
        line_break => line_break,
    };
    Some((start, indent, line_break))
}
