//! `sigmahq_ofselection_condition`
//!
//! ## What it does
//! Reports `1 of sel_*` or `all of sel_*` where the pattern selects fewer than two search
//! identifiers. As SigmaHQ's validator: only patterns ending in `_*` are looked at, and
//! `filter_…_*` and `selection_…_*` are left alone (a rule keeps them for filters added later);
//! one finding per rule.
//!
//! ## Why is this bad?
//! A quantifier over one selection is a roundabout way to name it.
//!
//! ## Example
//! ```yaml
//! detection: {sel_img: {Image: x}, condition: 1 of sel_*}
//! ```

use crate::{Ctx, Out};
use sigc_compiler::span::Span;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for c in &cx.conditions {
        for (at, pattern) in quantified(&c.text) {
            let Some(stem) = pattern.strip_suffix("_*") else {
                continue;
            };
            if pattern.starts_with("filter_") || pattern.starts_with("selection_") {
                continue;
            }
            let selected = cx
                .idents
                .iter()
                .filter(|i| i.name.starts_with(stem))
                .count();
            if selected < 2 {
                let start = c.start + at;
                out.report(
                    Span::new(start, start + pattern.len()),
                    format!("`{pattern}` selects {selected} search identifier(s): name it instead"),
                );
                return;
            }
        }
    }
}

/// Each operand of `N of x` / `all of x` in `text`, with its byte offset, as SigmaHQ's validator
/// reads it: the word after `of`, up to the next white space (a closing parenthesis included).
fn quantified(text: &str) -> Vec<(usize, &str)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    words
        .windows(3)
        .filter(|w| {
            let count = w[0].1;
            w[1].1 == "of"
                && (count.ends_with("all") || count.ends_with(|c: char| c.is_ascii_digit()))
        })
        .map(|w| w[2])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::quantified;

    #[test]
    fn operands_are_read_as_sigmahq_reads_them() {
        assert_eq!(
            quantified("sel and not 1 of filter_* and (all of x_*)"),
            vec![(17, "filter_*"), (38, "x_*)")]
        );
        assert!(quantified("1 of them").iter().all(|(_, w)| *w == "them"));
        assert!(quantified("selection and not filter").is_empty());
    }
}
