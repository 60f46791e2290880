//! Mechanical fixes: byte-range replacements applied to the original text, so everything the
//! fix does not touch (comments, quoting, layout) stays exactly as it was.

use sigc_compiler::diagnostic::Source;
use sigc_compiler::span::Span;

/// Replace the bytes of `span` with `text` (an insertion when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn new(span: Span, text: impl Into<String>) -> Self {
        Edit {
            span,
            text: text.into(),
        }
    }
}

/// Applies groups of edits (one group per fix) to the text of `source`. A group that overlaps an
/// edit already taken is skipped whole, so each fix is applied completely or not at all. Returns
/// the text before and after, and, for each group, whether it was applied.
pub fn apply_edits<'s>(source: &'s Source, groups: &[Vec<Edit>]) -> (&'s str, String, Vec<bool>) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::with_capacity(groups.len());
    for group in groups {
        let clashes = group
            .iter()
            .any(|e| !source.contains(e.span) || taken.iter().any(|t| overlaps(t.span, e.span)));
        let apply = !group.is_empty() && !clashes;
        if apply {
            taken.extend(group.iter());
        }
        applied.push(apply);
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let (before, after) = source.rewrite(taken.iter().map(|e| (e.span, e.text.as_str())));
    (before, after, applied)
}

/// Two edits clash when their ranges share a byte, or when both insert at the same place.
fn overlaps(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_clashing_groups_are_skipped() {
        let source = Source::new("test.yml", "a: '*x*'\n");
        let groups = vec![
            vec![
                Edit::new(Span::new(1, 1), "|contains"),
                Edit::new(Span::new(4, 5), ""),
                Edit::new(Span::new(6, 7), ""),
            ],
            vec![Edit::new(Span::new(4, 6), "y")],
        ];
        let (_, out, n) = apply_edits(&source, &groups);
        assert_eq!(out, "a|contains: 'x'\n");
        assert_eq!(n, [true, false]);
    }
}
