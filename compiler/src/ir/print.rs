//! IR leaves as text for people (`sigc explain` prints its trees with them, and the pipeline
//! trace its changes).
//!
//! Values are written in Sigma notation ([`Pattern`]'s `Display`), with the modifier that made
//! them where the IR keeps no other trace of it (`re`, `cidr`, `exists`, …). The text is for
//! reading, not parsing back: whoever prints it to a terminal or a document escapes it there.

use super::expr::Match;
use super::value::{FieldRefKind, Pattern, Value};

/// One leaf: `Field = value`, or the value alone for a keyword.
pub fn leaf(m: &Match) -> String {
    match &m.field {
        Some(field) => format!("{field} {}", value(&m.value)),
        None => format!("keyword {}", value(&m.value)),
    }
}

/// A value with its comparison: `= 'x*'`, `re '…'`, `> 3`, `cidr 10.0.0.0/8`, …
pub fn value(v: &Value) -> String {
    match v {
        Value::Str(p) => format!("= {}", pattern(p)),
        Value::Expansion(ps) => {
            let all: Vec<String> = ps.iter().map(pattern).collect();
            format!("= any of [{}]", all.join(", "))
        }
        Value::Num(n) => format!("= {n}"),
        Value::Bool(b) => format!("= {b}"),
        Value::Null => "= null".to_string(),
        Value::Regex { pattern, flags } if flags.is_empty() => format!("re '{pattern}'"),
        Value::Regex { pattern, flags } => format!("re(?{}) '{pattern}'", flags.letters()),
        Value::Cidr(net) => format!("cidr {net}"),
        Value::Compare { op, value } => format!("{} {value}", op.symbol()),
        Value::Exists(b) => format!("exists {b}"),
        Value::FieldRef { field, kind } => {
            let how = match kind {
                FieldRefKind::Equals => "=",
                FieldRefKind::StartsWith => "startswith",
                FieldRefKind::EndsWith => "endswith",
                FieldRefKind::Contains => "contains",
            };
            format!("{how} field {field}")
        }
        Value::TimePart { part, value } => format!("{} = {value}", part.name()),
    }
}

/// A quoted pattern, `cased` marked.
fn pattern(p: &Pattern) -> String {
    if p.cased {
        format!("cased '{p}'")
    } else {
        format!("'{p}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{CmpOp, Expr, Number, Origin, Part};
    use crate::span::Span;

    fn m(field: Option<&str>, value: Value) -> Expr {
        Expr::Match(Match {
            field: field.map(str::to_string),
            value,
            origin: Origin::Source(Span::new(0, 0)),
        })
    }

    #[test]
    fn prints_leaves() {
        let mut p = Pattern::literal("cmd.exe");
        p.parts.insert(0, Part::AnyRun);
        let leaf_of = |e: Expr| match e {
            Expr::Match(m) => leaf(&m),
            other => panic!("not a leaf: {other:?}"),
        };
        assert_eq!(
            leaf_of(m(Some("Image"), Value::Str(p))),
            "Image = '*cmd.exe'"
        );
        let size = Value::Compare {
            op: CmpOp::Gt,
            value: Number::Int(3),
        };
        assert_eq!(leaf_of(m(Some("Size"), size)), "Size > 3");
        let mut cased = Pattern::literal("a*b");
        cased.cased = true;
        assert_eq!(
            leaf_of(m(None, Value::Str(cased))),
            "keyword = cased 'a\\*b'"
        );
    }
}
