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
pub fn lower_conditions(detections: Detections, errors: &mut Errors<'_>) -> Vec<Expr> {
    let mut parsed = Vec::with_capacity(detections.conditions.len());
    for text in &detections.conditions {
        match condition::parse(&text.text) {
            Ok(c) => parsed.push((c, text.content_start)),
            Err(e) => {
                let span = e.span.shift(text.content_start);
                errors.add("invalid_condition", e.message, span);
            }
        }
    }
    let conds: Vec<&Cond> = parsed.iter().map(|(c, _)| c).collect();
    let mut identifiers = Identifiers::new(detections.identifiers, &conds);
    let mut out = Vec::with_capacity(parsed.len());
    for (parsed, content_start) in &parsed {
        match lower(parsed, &mut identifiers, errors.budget) {
            Ok(expr) => out.push(expr),
            Err(LowerError::Invalid { span, message }) => {
                errors.add("undefined_identifier", message, span.shift(*content_start))
            }
            Err(LowerError::OverBudget { span, message }) => {
                errors.add("limit_exceeded", message, span.shift(*content_start));
                break;
            }
            Err(LowerError::Broken) => {}
        }
    }
    out
}

/// A rule's search identifiers while its conditions are lowered. Each use of an identifier
/// copies its expression, but the last moves it, when the uses could be counted cheaply.
pub struct Identifiers {
    list: Vec<Identifier>,
    /// Uses left, by identifier; `None` when not counted (every use copies).
    uses: Option<Vec<u32>>,
}

/// Most identifier-name tests of `x of` selectors spent on counting uses: past it, lowering
/// copies every expression (the budget's [`MAX_NAME_TESTS`](crate::limits::MAX_NAME_TESTS) applies as it lowers).
const COUNTED_NAME_TESTS: usize = 4096;

impl Identifiers {
    /// `list`, for lowering `conds` (and nothing else: an identifier is moved out at the last
    /// use they make of it).
    pub fn new(list: Vec<Identifier>, conds: &[&Cond]) -> Self {
        let mut uses = vec![0u32; list.len()];
        let mut tests = 0;
        let counted = conds
            .iter()
            .all(|c| count_uses(c, &list, &mut uses, &mut tests));
        Identifiers {
            list,
            uses: counted.then_some(uses),
        }
    }

    /// The expression of identifier `i`, charged to `budget`: moved out at its last counted
    /// use, copied before.
    fn take(&mut self, i: usize, budget: &mut Budget, span: Span) -> Result<Expr, LowerError> {
        let ident = &mut self.list[i];
        let expr = ident.expr.as_ref().ok_or(LowerError::Broken)?;
        charge(budget, Size::of_expr(expr), span)?;
        let last = self.uses.as_mut().is_some_and(|uses| {
            uses[i] = uses[i].saturating_sub(1);
            uses[i] == 0
        });
        Ok(if last {
            ident.expr.take().ok_or(LowerError::Broken)?
        } else {
            expr.clone()
        })
    }
}

/// Adds the uses `cond` makes of each of `list` to `uses`; false when its selectors would test
/// more than [`COUNTED_NAME_TESTS`] names in all (`tests` so far).
fn count_uses(cond: &Cond, list: &[Identifier], uses: &mut [u32], tests: &mut usize) -> bool {
    match cond {
        Cond::Or(items) | Cond::And(items) => {
            items.iter().all(|c| count_uses(c, list, uses, tests))
        }
        Cond::Not(inner) => count_uses(inner, list, uses, tests),
        Cond::Ident { name, .. } => {
            if let Some(i) = named(list, name) {
                uses[i] = uses[i].saturating_add(1);
            }
            true
        }
        Cond::Selector { target, .. } => {
            *tests += list.len();
            if *tests > COUNTED_NAME_TESTS {
                return false;
            }
            for i in selected(list, target) {
                uses[i] = uses[i].saturating_add(1);
            }
            true
        }
    }
}

/// The identifier of `list` that `name` names.
fn named(list: &[Identifier], name: &str) -> Option<usize> {
    list.iter().position(|i| i.name == name)
}

/// The identifiers of `list` that the selector `target` selects, in the order written.
fn selected<'a>(list: &'a [Identifier], target: &'a Target) -> impl Iterator<Item = usize> + 'a {
    (0..list.len()).filter(|&i| selects(target, &list[i].name))
}

/// Resolves `cond` against `identifiers`, charging what it builds to `budget` before building
/// it: a condition that repeats `1 of sel*` fails at the first selector past the budget.
pub fn lower(
    cond: &Cond,
    identifiers: &mut Identifiers,
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
            let i = named(&identifiers.list, name).ok_or_else(|| LowerError::Invalid {
                span: *span,
                message: format!("`{name}` is not a search identifier of this rule"),
            })?;
            identifiers.take(i, budget, *span)?
        }
        Cond::Selector {
            quantifier,
            target,
            span,
        } => {
            budget
                .charge_name_tests(identifiers.list.len())
                .map_err(|message| over(*span, message))?;
            let selected: Vec<usize> = selected(&identifiers.list, target).collect();
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
                .map(|i| identifiers.take(i, budget, *span))
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
    identifiers: &mut Identifiers,
    budget: &mut Budget,
) -> Result<Vec<Expr>, LowerError> {
    items
        .iter()
        .map(|c| lower(c, identifiers, budget))
        .collect()
}

/// A copy of the identifier's expression, charged to `budget` first (the error is at `span`).
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

/// `*`-only glob match over the whole name: the text before the first `*` starts it, the text
/// after the last ends it, and the pieces between are found in order, each as early as it can.
fn glob(pattern: &str, name: &str) -> bool {
    let Some((head, last)) = pattern.rsplit_once('*') else {
        return pattern == name;
    };
    let mut middle = head.split('*');
    let first = middle.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `glob` is a regular expression's match: `*` any run of characters, the rest itself.
        #[test]
        fn glob_is_a_wildcard_match(pattern in "[ab_*]{0,6}", name in "[ab_]{0,8}") {
            let regex = format!(
                "^{}$",
                pattern.split('*').map(regex::escape).collect::<Vec<_>>().join(".*")
            );
            let expected = regex::Regex::new(&regex).unwrap().is_match(&name);
            prop_assert_eq!(glob(&pattern, &name), expected, "{} {}", pattern, name);
        }
    }

    /// Moving an identifier out at its last counted use lowers every condition to what copying
    /// at every use gives, whatever the mix of names and selectors.
    #[test]
    fn moving_at_the_last_use_equals_copying() {
        let ident = |name: &str, expr: Expr| Identifier {
            name: name.to_string(),
            span: Span::default(),
            expr: Some(expr),
        };
        let list = vec![
            ident("sel_a", Expr::And(vec![])),
            ident("sel_b", Expr::Or(vec![])),
            ident("filter", Expr::Not(Box::new(Expr::And(vec![])))),
            ident("_hidden", Expr::Not(Box::new(Expr::Or(vec![])))),
        ];
        let texts = [
            "sel_a and not filter",
            "1 of sel_* or filter",
            "all of them and sel_b",
            "sel_a or (sel_a and not sel_b)",
            "1 of _* and nosuch",
            "_hidden",
            "filter",
        ];
        let conds: Vec<Cond> = texts.iter().map(|t| condition::parse(t).unwrap()).collect();
        let refs: Vec<&Cond> = conds.iter().collect();
        let mut counted = Identifiers::new(list.clone(), &refs);
        assert!(counted.uses.is_some());
        let mut copying = Identifiers { list, uses: None };
        for (text, cond) in texts.iter().zip(&conds) {
            let moved = lower(cond, &mut counted, &mut Budget::new());
            let copied = lower(cond, &mut copying, &mut Budget::new());
            match (moved, copied) {
                (Ok(m), Ok(c)) => assert_eq!(m, c, "{text}"),
                (Err(LowerError::Invalid { .. }), Err(LowerError::Invalid { .. })) => {}
                _ => panic!("{text}: lowered differently"),
            }
        }
        assert!(
            counted.list.iter().all(|i| i.expr.is_none()),
            "each moved out once"
        );
    }

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
