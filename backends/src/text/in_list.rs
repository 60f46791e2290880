//! When a disjunction becomes `field IN (…)`: pySigma's rule, reproduced exactly.
//!
//! An `Or` qualifies when every child is a leaf on one and the same field whose value is a plain
//! string pattern (wildcards allowed) or a number. Keywords (no field), expansions (`windash`,
//! `base64offset`), regexes, nulls and booleans never qualify. Case-sensitive strings and patterns
//! with placeholders are left out too, so that their leaf reports them.

use sigc_compiler::ir::{Expr, Match, Value};

/// The common field and the leaves, when `children` should be written as an IN list.
pub fn candidates(children: &[Expr]) -> Option<(&str, Vec<&Match>)> {
    let mut leaves = Vec::with_capacity(children.len());
    let mut field: Option<&str> = None;
    for child in children {
        let Expr::Match(m) = child else { return None };
        let f = m.field.as_deref()?;
        if *field.get_or_insert(f) != f || !listable(&m.value) {
            return None;
        }
        leaves.push(m);
    }
    Some((field?, leaves))
}

fn listable(value: &Value) -> bool {
    match value {
        Value::Str(p) => !p.cased && !p.has_placeholder(),
        Value::Num(_) => true,
        Value::Expansion(_)
        | Value::Bool(_)
        | Value::Null
        | Value::Regex { .. }
        | Value::Cidr(_)
        | Value::Compare { .. }
        | Value::Exists(_)
        | Value::FieldRef { .. }
        | Value::TimePart { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::ir::{Number, Origin, Pattern};
    use sigc_compiler::span::Span;

    fn leaf(field: Option<&str>, value: Value) -> Expr {
        Expr::Match(Match {
            field: field.map(str::to_string),
            value,
            origin: Origin::Source(Span::default()),
        })
    }

    #[test]
    fn same_field_strings_and_numbers_qualify() {
        let xs = vec![
            leaf(Some("a"), Value::Str(Pattern::literal("x"))),
            leaf(Some("a"), Value::Num(Number::Int(3))),
        ];
        assert_eq!(candidates(&xs).map(|(f, l)| (f, l.len())), Some(("a", 2)));
    }

    #[test]
    fn other_fields_keywords_and_expansions_do_not() {
        let s = || Value::Str(Pattern::literal("x"));
        assert!(candidates(&[leaf(Some("a"), s()), leaf(Some("b"), s())]).is_none());
        assert!(candidates(&[leaf(None, s()), leaf(None, s())]).is_none());
        let exp = Value::Expansion(vec![Pattern::literal("x")]);
        assert!(candidates(&[leaf(Some("a"), s()), leaf(Some("a"), exp)]).is_none());
        assert!(candidates(&[leaf(Some("a"), s()), leaf(Some("a"), Value::Null)]).is_none());
    }
}
