//! Hand-built IR for backend unit tests: patterns in Sigma notation, leaves, rules, and
//! one-condition conversions of them.

use crate::Target;
use proptest::prelude::*;
use sigc_compiler::Source;
use sigc_compiler::ir::{
    Expr, LogSource, Match, Meta, Origin, Part, Pattern, RegexFlags, Rule, Value,
};
use sigc_compiler::span::Span;

/// The span every leaf built here carries (errors must point at it).
pub const LEAF_SPAN: Span = Span::new(3, 7);

/// A pattern in Sigma notation: `*` and `?` are wildcards, `\` escapes the next character.
pub fn p(sigma: &str) -> Pattern {
    let mut out = Pattern::default();
    let mut chars = sigma.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '*' => Part::AnyRun,
            '?' => Part::AnyChar,
            '\\' => Part::Lit(chars.next().map_or("\\".into(), String::from)),
            c => Part::Lit(c.into()),
        });
    }
    out
}

/// A case-sensitive (`|cased`) pattern in Sigma notation.
pub fn cased(sigma: &str) -> Pattern {
    Pattern {
        cased: true,
        ..p(sigma)
    }
}

/// A pattern that is one unresolved `%name%` placeholder.
pub fn placeholder(name: &str) -> Pattern {
    let mut out = Pattern::default();
    out.push(Part::Placeholder(name.into()));
    out
}

/// Patterns of up to five parts: literals drawn from `text`, and wildcards.
pub fn patterns(text: impl Strategy<Value = String>) -> impl Strategy<Value = Pattern> {
    prop::collection::vec(
        prop_oneof![
            text.prop_map(Part::Lit),
            Just(Part::AnyRun),
            Just(Part::AnyChar),
        ],
        0..6,
    )
    .prop_map(|parts| {
        let mut p = Pattern::default();
        parts.into_iter().for_each(|part| p.push(part));
        p
    })
}

/// A leaf; an empty field makes a keyword.
pub fn m(field: &str, value: Value) -> Expr {
    Expr::Match(Match {
        field: (!field.is_empty()).then(|| field.to_string()),
        value,
        origin: Origin::Source(LEAF_SPAN),
    })
}

/// A string leaf in Sigma notation.
pub fn s(field: &str, sigma: &str) -> Expr {
    m(field, Value::Str(p(sigma)))
}

/// A regex leaf without flags.
pub fn re(field: &str, pattern: &str) -> Expr {
    m(
        field,
        Value::Regex {
            pattern: pattern.into(),
            flags: RegexFlags::default(),
        },
    )
}

pub fn not(x: Expr) -> Expr {
    Expr::Not(Box::new(x))
}

/// A rule with these condition expressions and `fields`.
pub fn rule_with(conditions: Vec<Expr>, fields: &[&str]) -> Rule {
    Rule {
        meta: Meta {
            title: "t".into(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            ..Meta::default()
        },
        logsource: LogSource::default(),
        conditions,
        tests: None,
        source: Source::new("t.yml", "title: t\n"),
        span: Span::default(),
    }
}

/// The one query `backend` writes for a rule with this condition.
pub fn query(backend: &dyn Target, condition: Expr) -> String {
    let mut out = backend.convert(&rule_with(vec![condition], &[])).unwrap();
    assert_eq!(out.len(), 1);
    out.pop().unwrap()
}

/// The message of the `unsupported_feature` error, located at the leaf, that `backend` gives for
/// a rule with this condition.
pub fn unsupported(backend: &dyn Target, condition: Expr) -> String {
    let e = backend
        .convert(&rule_with(vec![condition], &[]))
        .unwrap_err();
    assert_eq!(e.code, super::UNSUPPORTED);
    assert_eq!(e.span, Some(LEAF_SPAN));
    assert!(e.source.is_some());
    e.message
}
