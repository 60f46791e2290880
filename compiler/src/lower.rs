//! Lowering: a parsed condition plus the rule's search identifiers become one IR expression.
//!
//! This is the one place where identifiers and selectors are resolved: `sel` names one
//! identifier; `1 of sel*` / `all of sel*` select every identifier matching the pattern (`*` is any
//! run) in the order they are written, and `them` every identifier. Identifiers starting with `_`
//! are selected only by patterns that start with `_` themselves.

use crate::condition::{self, Cond, Quantifier, Target};
use crate::ir::Expr;
use crate::limits::{Budget, Size};
use crate::model::Errors;
use crate::model::detection::{Detections, Identifier};
use crate::span::Span;

/// Why a condition could not be resolved. Spans are inside the condition string.
pub enum LowerError {
    /// A located problem: an unknown identifier, or a selector that selects nothing.
    Invalid { span: Span, message: String },
    /// The identifier or selector at `span` would make the file's IR exceed its [`Budget`].
    OverBudget { span: Span, message: String },
    /// The condition uses an identifier whose own errors were already reported.
    Broken,
}

/// Parses and lowers every condition of `detections`, one expression each; the errors, located
/// in the file, go to `errors` (lowering stops at the first condition past the budget).
pub fn lower_conditions(detections: &Detections, errors: &mut Errors<'_>) -> Vec<Expr> {
    let mut out = Vec::new();
    for text in &detections.conditions {
        let parsed = match condition::parse(&text.text) {
            Ok(c) => c,
            Err(e) => {
                let span = e.span.shift(text.content_start);
                errors.add("invalid_condition", e.message, span);
                continue;
            }
        };
        match lower(&parsed, &detections.identifiers, errors.budget) {
            Ok(expr) => out.push(expr),
            Err(LowerError::Invalid { span, message }) => errors.add(
                "undefined_identifier",
                message,
                span.shift(text.content_start),
            ),
            Err(LowerError::OverBudget { span, message }) => {
                errors.add("limit_exceeded", message, span.shift(text.content_start));
                break;
            }
            Err(LowerError::Broken) => {}
        }
    }
    out
}

/// Resolves `cond` against `identifiers`, charging what it builds to `budget` before building
/// it: a condition that repeats `1 of sel*` fails at the first selector past the budget.
pub fn lower(
    cond: &Cond,
    identifiers: &[Identifier],
    budget: &mut Budget,
) -> Result<Expr, LowerError> {
    let group = |budget: &mut Budget, span: Span| charge(budget, Size { nodes: 1, bytes: 0 }, span);
    Ok(match cond {
        Cond::Or(items) => {
            group(budget, cond_span(cond))?;
            Expr::Or(lower_all(items, identifiers, budget)?)
        }
        Cond::And(items) => {
            group(budget, cond_span(cond))?;
            Expr::And(lower_all(items, identifiers, budget)?)
        }
        Cond::Not(inner) => {
            group(budget, cond_span(cond))?;
            Expr::Not(Box::new(lower(inner, identifiers, budget)?))
        }
        Cond::Ident { name, span } => {
            let ident = identifiers.iter().find(|i| &i.name == name);
            let ident = ident.ok_or_else(|| LowerError::Invalid {
                span: *span,
                message: format!("`{name}` is not a search identifier of this rule"),
            })?;
            copy(ident, budget, *span)?
        }
        Cond::Selector {
            quantifier,
            target,
            span,
        } => {
            budget
                .charge_name_tests(identifiers.len())
                .map_err(|message| over(*span, message))?;
            let selected: Vec<&Identifier> = identifiers
                .iter()
                .filter(|i| selects(target, &i.name))
                .collect();
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
            if selected.len() > 1 {
                group(budget, *span)?;
            }
            let selected = selected
                .into_iter()
                .map(|i| copy(i, budget, *span))
                .collect::<Result<_, _>>()?;
            match quantifier {
                Quantifier::Any => Expr::or(selected),
                Quantifier::All => Expr::and(selected),
            }
        }
    })
}

fn lower_all(
    items: &[Cond],
    identifiers: &[Identifier],
    budget: &mut Budget,
) -> Result<Vec<Expr>, LowerError> {
    items
        .iter()
        .map(|c| lower(c, identifiers, budget))
        .collect()
}

/// A copy of the identifier's expression, charged to `budget` first (the error is at `span`).
fn copy(ident: &Identifier, budget: &mut Budget, span: Span) -> Result<Expr, LowerError> {
    let expr = ident.expr.as_ref().ok_or(LowerError::Broken)?;
    charge(budget, Size::of_expr(expr), span)?;
    Ok(expr.clone())
}

fn charge(budget: &mut Budget, size: Size, span: Span) -> Result<(), LowerError> {
    budget.charge(size).map_err(|message| over(span, message))
}

fn over(span: Span, message: String) -> LowerError {
    LowerError::OverBudget { span, message }
}

/// Where a condition node starts: its first identifier or selector.
fn cond_span(cond: &Cond) -> Span {
    match cond {
        Cond::Or(items) | Cond::And(items) => items.first().map_or(Span::new(0, 0), cond_span),
        Cond::Not(inner) => cond_span(inner),
        Cond::Ident { span, .. } | Cond::Selector { span, .. } => *span,
    }
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
