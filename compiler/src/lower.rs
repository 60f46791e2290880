//! Lowering: a parsed condition plus the rule's search identifiers become one IR expression.
//!
//! This is the one place where identifiers and selectors are resolved: `sel` names one
//! identifier; `1 of sel*` / `all of sel*` select every identifier matching the pattern (`*` is any
//! run) in the order they are written, and `them` every identifier. Identifiers starting with `_`
//! are selected only by patterns that start with `_` themselves.

use crate::condition::{Cond, Quantifier, Target};
use crate::ir::Expr;
use crate::model::detection::Identifier;
use crate::span::Span;

/// Why a condition could not be resolved.
pub enum LowerError {
    /// A located problem; the span is inside the condition string.
    Invalid { span: Span, message: String },
    /// The condition uses an identifier whose own errors were already reported.
    Broken,
}

/// Resolves `cond` against `identifiers`.
pub fn lower(cond: &Cond, identifiers: &[Identifier]) -> Result<Expr, LowerError> {
    Ok(match cond {
        Cond::Or(items) => Expr::Or(lower_all(items, identifiers)?),
        Cond::And(items) => Expr::And(lower_all(items, identifiers)?),
        Cond::Not(inner) => Expr::Not(Box::new(lower(inner, identifiers)?)),
        Cond::Ident { name, span } => {
            let ident = identifiers.iter().find(|i| &i.name == name);
            let ident = ident.ok_or_else(|| LowerError::Invalid {
                span: *span,
                message: format!("`{name}` is not a search identifier of this rule"),
            })?;
            ident.expr.clone().ok_or(LowerError::Broken)?
        }
        Cond::Selector {
            quantifier,
            target,
            span,
        } => {
            let selected: Vec<Expr> = identifiers
                .iter()
                .filter(|i| selects(target, &i.name))
                .map(|i| i.expr.clone().ok_or(LowerError::Broken))
                .collect::<Result<_, _>>()?;
            if selected.is_empty() {
                let what = match target {
                    Target::Them => "`them` selects no identifier (all start with `_`)".to_string(),
                    Target::Pattern(p) => format!("`{p}` matches no search identifier"),
                };
                return Err(LowerError::Invalid {
                    span: *span,
                    message: what,
                });
            }
            match quantifier {
                Quantifier::Any => Expr::or(selected),
                Quantifier::All => Expr::and(selected),
            }
        }
    })
}

fn lower_all(items: &[Cond], identifiers: &[Identifier]) -> Result<Vec<Expr>, LowerError> {
    items.iter().map(|c| lower(c, identifiers)).collect()
}

/// Does `target` select the identifier `name`?
pub fn selects(target: &Target, name: &str) -> bool {
    match target {
        Target::Them => !name.starts_with('_'),
        Target::Pattern(p) => (!name.starts_with('_') || p.starts_with('_')) && glob(p, name),
    }
}

/// `*`-only glob match over the whole name.
fn glob(pattern: &str, name: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_rules() {
        let p = |s: &str| Target::Pattern(s.to_string());
        let cases = [
            (p("sel*"), "selection", true),
            (p("sel*"), "sel", true),
            (p("sel*"), "filter", false),
            (p("*_img"), "selection_img", true),
            (p("a*b*c"), "aXbYc", true),
            (p("a*b*c"), "aXcYb", false),
            (p("*"), "_private", false),
            (p("_*"), "_private", true),
            (Target::Them, "_private", false),
            (Target::Them, "selection", true),
            (p("exact"), "exact", true),
            (p("exact"), "exactly", false),
        ];
        for (target, name, expected) in cases {
            assert_eq!(selects(&target, name), expected, "{target:?} {name}");
        }
    }
}
