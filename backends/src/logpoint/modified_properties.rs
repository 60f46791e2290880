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
    condition.visit(&mut |m| named |= m.field.as_deref().is_some_and(names_marker));
    if !named {
        return Cow::Borrowed(condition);
    }
    let mut condition = condition.clone();
    rewrite(&mut condition);
    Cow::Owned(condition)
}

/// Whether the lower case of `field` holds the marker. It then holds it in ASCII letters of
/// either case: the one other character that lowers to one of its letters, `İ`, lowers to `i`
/// and a combining dot, and no `i` ends the marker.
fn names_marker(field: &str) -> bool {
    field
        .as_bytes()
        .windows(MARKER.len())
        .any(|w| w.eq_ignore_ascii_case(MARKER.as_bytes()))
}

/// Rewrites every string leaf on a `…modifiedProperties…` field, in place.
fn rewrite(expr: &mut Expr) {
    expr.visit_mut(&mut |m| {
        let Some(field) = m.field.as_deref().filter(|f| names_marker(f)) else {
            return;
        };
        let Value::Str(value) = &m.value else { return };
        let lower = field.to_lowercase().replace("{}", "");
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

    #[test]
    fn only_ascii_letters_and_dotted_i_lower_to_a_letter_of_the_marker() {
        let lowers_into_marker = |c: char| c.to_lowercase().any(|l| MARKER.contains(l));
        let others: Vec<char> = (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii_alphabetic() && lowers_into_marker(*c))
            .collect();
        assert_eq!(others, ['\u{130}']);
    }

    proptest::proptest! {
        /// The ASCII test finds the marker exactly when the field's lower case holds it.
        #[test]
        fn the_marker_test_agrees_with_lower_casing(
            field in "(modifiedProperties|MODIFIEDPROPERT\u{130}ES|mod\u{130}fiedproperties|[a-z\u{130}I. ]){0,4}"
        ) {
            proptest::prop_assert_eq!(names_marker(&field), field.to_lowercase().contains(MARKER));
        }
    }
}
