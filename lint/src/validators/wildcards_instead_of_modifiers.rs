//! `wildcards_instead_of_modifiers`
//!
//! ## What it does
//! Reports a detection item without modifiers whose every value has the shape `*x*`, `x*` or
//! `*x`, which `contains`, `startswith` or `endswith` express. `--fix` moves the wildcards into
//! the modifier when the values are written verbatim.
//!
//! ## Why is this bad?
//! The modifier states the intent, lets backends use their native operators, and avoids escaping
//! surprises at the ends of values.
//!
//! ## Example
//! ```yaml
//! Image: '*\cmd.exe'        # Image|endswith: '\cmd.exe'
//! ```

use crate::{Ctx, Edit, Out};
use sigc_compiler::ir::Part;
use sigc_compiler::model::sigma_string;
use sigc_compiler::span::Span;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Contains,
    StartsWith,
    EndsWith,
}

fn shape(text: &str) -> Option<Shape> {
    let p = sigma_string::parse(text);
    match p.parts.as_slice() {
        [Part::AnyRun, Part::Lit(_), Part::AnyRun] => Some(Shape::Contains),
        [Part::Lit(_), Part::AnyRun] => Some(Shape::StartsWith),
        [Part::AnyRun, Part::Lit(_)] => Some(Shape::EndsWith),
        _ => None,
    }
}

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        let (Some(key), Some(_)) = (&item.key, &item.field) else {
            continue;
        };
        if !item.modifiers.is_empty() || item.values.is_empty() {
            continue;
        }
        let shapes: Option<Vec<Shape>> = item
            .values
            .iter()
            .map(|n| n.as_str().and_then(shape))
            .collect();
        let Some(shapes) = shapes else { continue };
        let first = shapes[0];
        if shapes.iter().any(|s| *s != first) {
            continue;
        }
        let modifier = match first {
            Shape::Contains => "contains",
            Shape::StartsWith => "startswith",
            Shape::EndsWith => "endswith",
        };
        let finding = out
            .report(
                item.key_span,
                format!("`{key}` uses wildcards where `|{modifier}` says it"),
            )
            .help(format!("write `{key}|{modifier}:` and drop the wildcards"));
        if let Some(edits) = fix(cx, item, key, modifier, first) {
            finding.fix(edits);
        }
    }
}

fn fix(
    cx: &Ctx<'_>,
    item: &crate::Item<'_>,
    key: &str,
    modifier: &str,
    shape: Shape,
) -> Option<Vec<Edit>> {
    let field = item.field.as_ref()?;
    if !item.key_verbatim {
        return None;
    }
    let new_key = format!("{key}|{modifier}");
    if cx.has_key(item.group, &new_key) {
        return None;
    }
    let key_end = field.span.end;
    let mut edits = vec![Edit::new(
        Span::new(key_end, key_end),
        format!("|{modifier}"),
    )];
    for &node in &item.values {
        if !cx.verbatim(node) {
            return None;
        }
        let text = node.as_str()?;
        let start = cx.content_start(node);
        let end = start + text.len();
        if shape != Shape::StartsWith {
            edits.push(Edit::new(Span::new(start, start + 1), ""));
        }
        if shape != Shape::EndsWith {
            // A plain scalar must still read as the same string without its last `*`.
            let rest = &text[..text.len() - 1];
            if start == node.span().start && !plain_string(rest) {
                return None;
            }
            edits.push(Edit::new(Span::new(end - 1, end), ""));
        }
    }
    Some(edits)
}

/// Does `text`, written as a plain scalar where `text*` was, read as exactly this string? Not
/// when it would end in a blank or an indicator that the `*` kept inside the scalar, nor when it
/// could resolve to null, a boolean or a number (judged conservatively: no fix is better than a
/// wrong one).
fn plain_string(text: &str) -> bool {
    let keyword = matches!(
        text.to_ascii_lowercase().as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off"
    );
    let numeric = text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_'));
    !keyword && !numeric && !text.ends_with([' ', '\t', ':', '#'])
}

#[cfg(test)]
mod tests {
    use super::plain_string;

    #[test]
    fn a_plain_scalar_without_its_last_star_must_still_be_that_string() {
        for ok in [r"C:\Windows\", "cmd", "a b", "x-1"] {
            assert!(plain_string(ok), "{ok}");
        }
        for not in [
            "null", "~", "True", "12", "-1.5", "0x1F", ".inf", "a:", "a ", "a #",
        ] {
            assert!(!plain_string(not), "{not}");
        }
    }
}
