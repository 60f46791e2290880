//! A compiled rule's own YAML document, read again to find nodes the IR does not keep (its
//! `logsource` for a pipeline failure, its `tests` attribute).
//!
//! Only the rule's own text is parsed, not its whole file: re-parsing the file for each of its
//! rules would take time quadratic in the file (thousands of small rules in one file).

use crate::diagnostic::Source;
use crate::ir::Rule;
use crate::yaml::{self, Document};

/// The rule's document and the byte offset its spans are relative to (add it to get spans in
/// the rule's file); `None` when it cannot be read again.
pub fn document(rule: &Rule) -> Option<(Document, usize)> {
    own_text(rule).or_else(|| {
        // the rule's text alone did not give back the same document: read the whole file
        let docs = yaml::load(&rule.source).ok()?;
        let doc = docs.into_iter().find(|d| d.root().span() == rule.span)?;
        Some((doc, 0))
    })
}

/// The rule's document parsed from its own lines only.
fn own_text(rule: &Rule) -> Option<(Document, usize)> {
    let text = &rule.source.text;
    // from the start of the line, so that an indented root keeps its indentation
    let base = text
        .get(..rule.span.start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let own = Source::new(rule.source.name.clone(), text.get(base..rule.span.end)?);
    let mut docs = yaml::load(&own).ok()?;
    let doc = docs.pop().filter(|_| docs.is_empty())?;
    (doc.root().span().shift(base) == rule.span).then_some((doc, base))
}
