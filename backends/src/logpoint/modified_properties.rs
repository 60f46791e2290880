//! pySigma-backend-logpoint's one field rewrite: LogPoint stores Azure's `modifiedProperties`
//! as JSON text inside the top-level field, so `TargetResources.modifiedProperties.newValue: x`
//! is searched as `targetresources='*"newvalue": "x"*'` (names lower-cased, `{}` dropped, each
//! name after `modifiedProperties` a JSON key, the value a substring).

use sigc_compiler::ir::{Expr, Part, Pattern, Value};
use std::borrow::Cow;

const MARKER: &str = "modifiedproperties";

/// `condition` with [`rewrite`] applied: borrowed when no field names `modifiedProperties`.
pub fn rewritten(condition: &Expr) -> Cow<'_, Expr> {
    let mut named = false;
    condition.visit(&mut |m| {
        // a field whose lower case holds the marker holds it in ASCII letters of either case:
        // the one other character that lowers to one of its letters, `İ`, lowers to `i` and a
        // combining dot, and no `i` ends the marker
        named |= m.field.as_deref().is_some_and(|f| {
            f.as_bytes()
                .windows(MARKER.len())
                .any(|w| w.eq_ignore_ascii_case(MARKER.as_bytes()))
        });
    });
    if !named {
        return Cow::Borrowed(condition);
    }
    let mut condition = condition.clone();
    rewrite(&mut condition);
    Cow::Owned(condition)
}

/// Rewrites every string leaf on a `…modifiedProperties…` field, in place.
fn rewrite(expr: &mut Expr) {
    expr.visit_mut(&mut |m| {
        let Some(field) = m.field.as_deref() else {
            return;
        };
        let lower = field.to_lowercase();
        if !lower.contains(MARKER) {
            return;
        }
        let Value::Str(value) = &m.value else { return };
        let lower = lower.replace("{}", "");
        let names: Vec<&str> = lower.split('.').collect();
        let Some(at) = names.iter().position(|n| *n == MARKER) else {
            return;
        };
        let value = json_substring(value, &names[at + 1..]);
        m.field = Some(names[0].to_string());
        m.value = Value::Str(value);
    });
}

/// `*"a"*"b": "<value>"*` for the keys `[a, b]`; the value unchanged when there are none.
fn json_substring(value: &Pattern, keys: &[&str]) -> Pattern {
    let Some((last, outer)) = keys.split_last() else {
        return value.clone();
    };
    let mut out = Pattern {
        parts: Vec::new(),
        cased: value.cased,
    };
    for key in outer {
        out.push(Part::AnyRun);
        out.push(Part::Lit(format!("\"{key}\"")));
    }
    out.push(Part::AnyRun);
    out.push(Part::Lit(format!("\"{last}\": \"")));
    value.parts.iter().cloned().for_each(|p| out.push(p));
    out.push(Part::Lit("\"".into()));
    out.push(Part::AnyRun);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::ir::{Match, Origin};
    use sigc_compiler::span::Span;

    fn leaf(field: &str, parts: Vec<Part>) -> Expr {
        Expr::Match(Match {
            field: Some(field.into()),
            value: Value::Str(Pattern {
                parts,
                cased: false,
            }),
            origin: Origin::Source(Span::default()),
        })
    }

    #[test]
    fn keys_after_the_marker_become_a_json_substring() {
        let mut e = leaf(
            "TargetResources.modifiedProperties.newValue",
            vec![Part::AnyRun, Part::Lit("x".into()), Part::AnyRun],
        );
        rewrite(&mut e);
        let Expr::Match(m) = e else {
            panic!("the rewrite keeps a leaf: {e:?}")
        };
        assert_eq!(m.field.as_deref(), Some("targetresources"));
        let Value::Str(p) = m.value else {
            panic!("the rewrite keeps a string: {:?}", m.value)
        };
        assert_eq!(p.to_string(), r#"*"newvalue": "*x*"*"#);
    }

    #[test]
    fn a_field_ending_in_the_marker_keeps_its_value() {
        let mut e = leaf("A.ModifiedProperties", vec![Part::Lit("v".into())]);
        rewrite(&mut e);
        assert_eq!(e, leaf("a", vec![Part::Lit("v".into())]));
    }
}
