//! A correlation document's `correlation` section (Sigma correlation rules; pySigma
//! `sigma/correlations.py` where the specification leaves room).
//!
//! Everything is checked here, so that a later stage only meets correlations that make sense:
//! the type is one of the seven, `timespan` is a positive count of a unit, `condition` holds
//! exactly one operator and, for the value types, the `field` they aggregate. References stay
//! names until [`RuleSet`](crate::ruleset::RuleSet) resolves them across every input.

use super::Errors;
use super::test_cases::read_sequence_tests;
use crate::ir::{
    Alias, ConditionOp, Correlation, CorrelationType, Meta, Name, Number, RuleRef, Threshold,
    TimeUnit, Timespan,
};
use crate::yaml::Node;
use serde_yaml::Value as Yaml;

/// The keys of the `correlation` map.
const KEYS: &[&str] = &[
    "type",
    "rules",
    "group-by",
    "timespan",
    "condition",
    "aliases",
    "generate",
];

/// Reads the correlation document `root` (its metadata already read into `meta`); `None` when
/// it has errors, all of them in `errors`.
pub fn read_correlation(
    root: Node<'_>,
    meta: Meta,
    errors: &mut Errors<'_>,
) -> Option<Correlation> {
    let before = errors.list.len();
    let keyword = root.key_span("correlation");
    let node = root.get("correlation")?;
    let Some(entries) = node.entries() else {
        errors.add(
            "invalid_correlation",
            format!("`correlation` must be a map, not {}", node.kind()),
            node.span(),
        );
        return None;
    };
    for (key, key_span, _) in &entries {
        if !KEYS.contains(&key.as_ref()) {
            errors.add(
                "invalid_correlation",
                format!(
                    "unknown key `{key}` in `correlation`; expected one of {}",
                    KEYS.join(", ")
                ),
                *key_span,
            );
        }
    }
    let kind_node = required(node, "type", errors);
    let kind = kind_node.and_then(|n| correlation_type(n, errors));
    let rules = match required(node, "rules", errors) {
        Some(n) => references(n, "correlation.rules", errors),
        None => Vec::new(),
    };
    if node
        .get("rules")
        .is_some_and(|n| n.items().is_some_and(|i| i.is_empty()))
    {
        errors.add(
            "invalid_correlation",
            "`correlation.rules` is empty; list the rules to correlate",
            node.get("rules").map_or(node.span(), |n| n.span()),
        );
    }
    let group_by = match node.get("group-by") {
        Some(n) => names(n, "correlation.group-by", errors),
        None => Vec::new(),
    };
    let timespan = required(node, "timespan", errors).and_then(|n| timespan(n, errors));
    let aliases = match node.get("aliases") {
        Some(n) => aliases(n, errors),
        None => Vec::new(),
    };
    let generate = generate(root, node, errors);
    let condition = kind.and_then(|kind| condition(node, kind, rules.len(), errors));
    let tests = read_sequence_tests(root, errors);
    if errors.list.len() > before {
        return None;
    }
    Some(Correlation {
        meta,
        kind: kind?,
        kind_span: kind_node?.span(),
        rules,
        group_by,
        timespan: timespan?,
        condition: condition?,
        aliases,
        generate,
        tests,
        source: errors.source.clone(),
        span: root.span(),
        keyword,
    })
}

/// The value of `key` in `node`, or a `missing_field` error at `node`.
fn required<'a>(node: Node<'a>, key: &str, errors: &mut Errors<'_>) -> Option<Node<'a>> {
    let found = node.get(key);
    if found.is_none() {
        errors.add(
            "missing_field",
            format!("`correlation` has no `{key}`"),
            node.span(),
        );
    }
    found
}

fn correlation_type(node: Node<'_>, errors: &mut Errors<'_>) -> Option<CorrelationType> {
    let parsed = node.as_str().and_then(|t| t.parse().ok());
    if parsed.is_none() {
        let names: Vec<&str> = CorrelationType::ALL.iter().map(|t| t.name()).collect();
        errors.add(
            "invalid_correlation",
            format!(
                "`correlation.type` is {}; expected one of {}",
                shown(node),
                names.join(", ")
            ),
            node.span(),
        );
    }
    parsed
}

/// `node` for a message: a scalar as written, else its kind.
fn shown(node: Node<'_>) -> String {
    match scalar(node) {
        Some(text) => format!("`{text}`"),
        None => node.kind().to_string(),
    }
}

/// The text of a string or number node (ids and names may be written as numbers).
fn scalar(node: Node<'_>) -> Option<String> {
    match node.value {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Rule references: one string, or a list of them (`what` names the attribute in messages).
pub fn references(node: Node<'_>, what: &str, errors: &mut Errors<'_>) -> Vec<RuleRef> {
    strings(node, what, errors)
        .into_iter()
        .map(|(reference, span)| RuleRef { reference, span })
        .collect()
}

/// Field names: one string, or a list of them.
fn names(node: Node<'_>, what: &str, errors: &mut Errors<'_>) -> Vec<Name> {
    strings(node, what, errors)
        .into_iter()
        .map(|(name, span)| Name { name, span })
        .collect()
}

/// One string, or a list of strings, each with its span.
fn strings(
    node: Node<'_>,
    what: &str,
    errors: &mut Errors<'_>,
) -> Vec<(String, crate::span::Span)> {
    let items = node.items().unwrap_or_else(|| vec![node]);
    items
        .into_iter()
        .filter_map(|item| match scalar(item) {
            Some(text) => Some((text, item.span())),
            None => {
                errors.add(
                    "invalid_correlation",
                    format!(
                        "`{what}` must be a string or a list of strings; found {}",
                        item.kind()
                    ),
                    item.span(),
                );
                None
            }
        })
        .collect()
}

/// `<count><unit>`: a positive integer and one of the letters s, m, h, d, w, M, y.
fn timespan(node: Node<'_>, errors: &mut Errors<'_>) -> Option<Timespan> {
    let parsed = node.as_str().and_then(|text| {
        let letter = text.chars().last()?;
        let unit = TimeUnit::ALL.into_iter().find(|u| u.letter() == letter)?;
        let digits = &text[..text.len() - letter.len_utf8()];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let count: u64 = digits.parse().ok().filter(|&c| c > 0)?;
        let seconds = count.checked_mul(unit.seconds())?;
        Some(Timespan {
            count,
            unit,
            seconds,
            span: node.span(),
        })
    });
    if parsed.is_none() {
        errors.add_help(
            "invalid_timespan",
            format!(
                "`correlation.timespan` is {}; expected a positive whole number followed by a unit",
                shown(node)
            ),
            node.span(),
            "write e.g. `90s`, `5m`, `1h` or `7d` (pySigma also reads `w`, `M` and `y`)",
        );
    }
    parsed
}

/// `aliases`: `{alias: {rule name: field}}`.
fn aliases(node: Node<'_>, errors: &mut Errors<'_>) -> Vec<Alias> {
    let Some(entries) = node.entries() else {
        errors.add(
            "invalid_correlation",
            format!("`correlation.aliases` must be a map, not {}", node.kind()),
            node.span(),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (alias, alias_span, mapping) in entries {
        let Some(fields) = mapping.entries() else {
            errors.add(
                "invalid_correlation",
                format!(
                    "alias `{alias}` must map rule names to field names, not be {}",
                    mapping.kind()
                ),
                mapping.span(),
            );
            continue;
        };
        let mut pairs = Vec::new();
        for (rule, rule_span, field) in fields {
            match scalar(field) {
                Some(name) => pairs.push((
                    RuleRef {
                        reference: rule.into_owned(),
                        span: rule_span,
                    },
                    Name {
                        name,
                        span: field.span(),
                    },
                )),
                None => errors.add(
                    "invalid_correlation",
                    format!(
                        "alias `{alias}`: the field for rule `{rule}` must be a string, not {}",
                        field.kind()
                    ),
                    field.span(),
                ),
            }
        }
        out.push(Alias {
            name: Name {
                name: alias.into_owned(),
                span: alias_span,
            },
            fields: pairs,
        });
    }
    out
}

/// `generate`, a boolean at the top level (specification) or inside `correlation` (pySigma).
fn generate(root: Node<'_>, correlation: Node<'_>, errors: &mut Errors<'_>) -> bool {
    let (top, inner) = (root.get("generate"), correlation.get("generate"));
    if let (Some(_), Some(second)) = (top, inner) {
        errors.add(
            "invalid_correlation",
            "`generate` is given twice, at the top level and inside `correlation`",
            second.span(),
        );
    }
    let Some(node) = top.or(inner) else {
        return false;
    };
    match node.value {
        Yaml::Bool(b) => *b,
        _ => {
            errors.add(
                "invalid_correlation",
                format!("`generate` must be true or false, not {}", node.kind()),
                node.span(),
            );
            false
        }
    }
}

/// `condition`: exactly one operator with its number, `field` for the value types and
/// `percentile` for value_percentile. A temporal type without one needs every rule to match.
fn condition(
    correlation: Node<'_>,
    kind: CorrelationType,
    rule_count: usize,
    errors: &mut Errors<'_>,
) -> Option<Threshold> {
    let Some(node) = correlation.get("condition") else {
        if kind.is_temporal() {
            return Some(Threshold {
                op: ConditionOp::Gte,
                value: Number::Int(i64::try_from(rule_count).unwrap_or(i64::MAX)),
                field: Vec::new(),
                percentile: None,
                span: None,
            });
        }
        errors.add(
            "missing_field",
            format!("a correlation of type `{kind}` needs a `condition`"),
            correlation.span(),
        );
        return None;
    };
    let Some(entries) = node.entries() else {
        let message = if node.as_str().is_some() {
            "a `condition` written as an expression over rule names (pySigma's extended temporal condition) is not supported; write a map with one operator".to_string()
        } else {
            format!("`correlation.condition` must be a map, not {}", node.kind())
        };
        errors.add("invalid_correlation", message, node.span());
        return None;
    };
    let mut op: Option<(ConditionOp, Number)> = None;
    let mut field = None;
    let mut percentile = None;
    for (key, key_span, value) in entries {
        if let Ok(this) = key.parse::<ConditionOp>() {
            if let Some((first, _)) = op {
                errors.add_help(
                    "invalid_correlation",
                    format!("`condition` has two operators, `{first}` and `{this}`; it takes exactly one"),
                    key_span,
                    "for a range, chain two correlations",
                );
                continue;
            }
            match number(value) {
                Some(n) => op = Some((this, n)),
                None => errors.add(
                    "invalid_correlation",
                    format!("`{this}` must be a number, not {}", shown(value)),
                    value.span(),
                ),
            }
            continue;
        }
        match key.as_ref() {
            "field" => field = Some((key_span, names(value, "condition.field", errors))),
            "percentile" => percentile = Some((key_span, percent(value, errors))),
            _ => {
                let ops: Vec<&str> = ConditionOp::ALL.iter().map(|o| o.name()).collect();
                errors.add(
                    "invalid_correlation",
                    format!(
                        "unknown key `{key}` in `condition`; expected one of {}, `field` or `percentile`",
                        ops.join(", ")
                    ),
                    key_span,
                );
            }
        }
    }
    if op.is_none() && !entries_have_operator(node) {
        let ops: Vec<&str> = ConditionOp::ALL.iter().map(|o| o.name()).collect();
        errors.add(
            "invalid_correlation",
            format!(
                "`condition` has no operator; expected one of {}",
                ops.join(", ")
            ),
            node.span(),
        );
    }
    match (&field, kind.is_value()) {
        (None, true) => errors.add(
            "missing_field",
            format!(
                "a correlation of type `{kind}` needs the `field` it aggregates in its `condition`"
            ),
            node.span(),
        ),
        (Some((span, _)), false) => errors.add(
            "invalid_correlation",
            format!("`field` applies to the value_* correlation types, not to `{kind}`"),
            *span,
        ),
        (None, false) | (Some(_), true) => {}
    }
    if let Some((span, _)) = percentile.filter(|_| kind != CorrelationType::ValuePercentile) {
        errors.add(
            "invalid_correlation",
            format!("`percentile` applies to `value_percentile`, not to `{kind}`"),
            span,
        );
    }
    let (op, value) = op?;
    Some(Threshold {
        op,
        value,
        field: field.map(|(_, f)| f).unwrap_or_default(),
        percentile: percentile.and_then(|(_, p)| p),
        span: Some(node.span()),
    })
}

/// Whether a map node holds an operator key (whose value may have been refused).
fn entries_have_operator(node: Node<'_>) -> bool {
    ConditionOp::ALL
        .iter()
        .any(|op| node.get(op.name()).is_some())
}

/// A finite YAML number.
fn number(node: Node<'_>) -> Option<Number> {
    let Yaml::Number(n) = node.value else {
        return None;
    };
    n.as_i64()
        .map(Number::Int)
        .or_else(|| n.as_f64().filter(|x| x.is_finite()).map(Number::Float))
}

/// `percentile`: a whole number from 0 to 100.
fn percent(node: Node<'_>, errors: &mut Errors<'_>) -> Option<u8> {
    let value = match node.value {
        Yaml::Number(n) => n.as_u64().filter(|&p| p <= 100),
        _ => None,
    };
    if value.is_none() {
        errors.add(
            "invalid_correlation",
            format!(
                "`percentile` must be a whole number from 0 to 100, not {}",
                shown(node)
            ),
            node.span(),
        );
    }
    value.and_then(|p| u8::try_from(p).ok())
}

#[cfg(test)]
mod tests {
    use crate::compile;
    use crate::diagnostic::{Diagnostic, Source};
    use crate::ir::{ConditionOp, Correlation, CorrelationType, Document, Number, TimeUnit};

    const HEAD: &str = "title: c\nid: 0e95725d-7320-415d-80f7-004da920fc12\n";

    fn read(text: &str) -> Result<Correlation, Vec<Diagnostic>> {
        match compile(&Source::new("c.yml", text)).remove(0)? {
            Document::Correlation(c) => Ok(*c),
            other => panic!("a {} document", other.kind()),
        }
    }

    /// The messages of a document that must fail, each with the text it points at.
    fn errors(text: &str) -> Vec<(String, String)> {
        read(text)
            .expect_err("must fail")
            .into_iter()
            .map(|d| {
                let span = d.span.expect("located");
                (d.message, text[span.start..span.end].to_string())
            })
            .collect()
    }

    fn correlation(kind: &str, condition: &str) -> String {
        format!(
            "{HEAD}correlation:\n  type: {kind}\n  rules:\n    - failed_logon\n    - 5638f7c0-ac70-491d-8465-2a65075e0d86\n  group-by: [User]\n  timespan: 5m\n{condition}"
        )
    }

    #[test]
    fn every_type_is_read() {
        for kind in CorrelationType::ALL {
            let condition = if kind.is_value() {
                "  condition: {field: Count, gte: 10}\n"
            } else {
                "  condition: {gte: 10}\n"
            };
            let c = read(&correlation(kind.name(), condition)).expect("reads");
            assert_eq!(c.kind, kind);
            let refs: Vec<&str> = c.rules.iter().map(|r| r.reference.as_str()).collect();
            assert_eq!(
                refs,
                ["failed_logon", "5638f7c0-ac70-491d-8465-2a65075e0d86"]
            );
            assert_eq!(c.group_by[0].name, "User");
            assert_eq!(
                (c.timespan.count, c.timespan.unit, c.timespan.seconds),
                (5, TimeUnit::Minute, 300)
            );
            assert_eq!(
                (c.condition.op, c.condition.value),
                (ConditionOp::Gte, Number::Int(10))
            );
            assert_eq!(c.condition.field.len(), usize::from(kind.is_value()));
            assert!(!c.generate);
        }
    }

    #[test]
    fn temporal_types_default_to_every_rule() {
        let c = read(&correlation("temporal_ordered", "")).expect("reads");
        assert_eq!(
            (c.condition.op, c.condition.value),
            (ConditionOp::Gte, Number::Int(2))
        );
        assert_eq!(c.condition.span, None);
        let found = errors(&correlation("event_count", ""));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].0,
            "a correlation of type `event_count` needs a `condition`"
        );
        assert!(
            found[0].1.starts_with("type: event_count"),
            "at the `correlation` map"
        );
    }

    #[test]
    fn a_bad_timespan_is_located() {
        for bad in [
            "5",
            "m",
            "0m",
            "5x",
            "-5m",
            "5 m",
            "99999999999999999999y",
            "5µ",
        ] {
            let text = correlation("event_count", "  condition: {gte: 1}\n")
                .replace("timespan: 5m", &format!("timespan: '{bad}'"));
            let found = errors(&text);
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            assert!(found[0].0.starts_with("`correlation.timespan` is"), "{bad}");
            assert_eq!(found[0].1, format!("'{bad}'"));
        }
    }

    #[test]
    fn two_operators_are_an_error_at_the_second() {
        let text = correlation("event_count", "  condition:\n    gt: 100\n    lte: 200\n");
        assert_eq!(
            errors(&text),
            [(
                "`condition` has two operators, `gt` and `lte`; it takes exactly one".to_string(),
                "lte".to_string()
            )]
        );
    }

    #[test]
    fn value_types_need_a_field() {
        for kind in CorrelationType::ALL.into_iter().filter(|k| k.is_value()) {
            let text = correlation(kind.name(), "  condition: {gt: 3}\n");
            let found = errors(&text);
            assert_eq!(
                found,
                [(
                    format!(
                        "a correlation of type `{kind}` needs the `field` it aggregates in its `condition`"
                    ),
                    "{gt: 3".to_string()
                )]
            );
        }
        let text = correlation("event_count", "  condition: {gt: 3, field: X}\n");
        assert_eq!(errors(&text)[0].1, "field");
    }

    #[test]
    fn other_mistakes_are_located() {
        let text = correlation("event_sum", "  condition: {gt: 3}\n");
        assert!(
            errors(&text)[0]
                .0
                .starts_with("`correlation.type` is `event_sum`; expected one of event_count,")
        );
        let text = correlation("event_count", "  condition: {gt: 3}\n  window: 5m\n");
        assert_eq!(errors(&text)[0].1, "window");
        let text = correlation("event_count", "  condition: {gt: many}\n");
        assert_eq!(
            errors(&text),
            [(
                "`gt` must be a number, not `many`".to_string(),
                "many".to_string()
            )]
        );
        let text = correlation("temporal", "  condition: a and b\n");
        assert_eq!(errors(&text)[0].1, "a and b");
        let text = format!("{HEAD}correlation:\n  type: event_count\n  condition: {{gt: 1}}\n");
        let missing: Vec<String> = errors(&text).into_iter().map(|(m, _)| m).collect();
        assert_eq!(
            missing,
            [
                "`correlation` has no `rules`",
                "`correlation` has no `timespan`"
            ]
        );
    }

    #[test]
    fn aliases_and_generate_are_read() {
        let text = format!(
            "{HEAD}generate: true\ncorrelation:\n  type: temporal\n  rules: [internal_error, new_network_connection]\n  group-by: [internal_ip]\n  timespan: 10s\n  aliases:\n    internal_ip:\n      internal_error: destination.ip\n      new_network_connection: source.ip\n"
        );
        let c = read(&text).expect("reads");
        assert!(c.generate);
        assert_eq!(c.aliases.len(), 1);
        assert_eq!(c.aliases[0].name.name, "internal_ip");
        let fields: Vec<(&str, &str)> = c.aliases[0]
            .fields
            .iter()
            .map(|(r, f)| (r.reference.as_str(), f.name.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("internal_error", "destination.ip"),
                ("new_network_connection", "source.ip")
            ]
        );
        let doc = Document::Correlation(Box::new(c));
        assert_eq!(doc.references().len(), 4);
        let error = doc.into_rule("`sigc convert`").expect_err("not a rule");
        assert_eq!(error[0].code, "unsupported_document");
        assert_eq!(
            error[0].message,
            "correlation rules are not supported yet by `sigc convert`"
        );
        let at = error[0].span.expect("located");
        assert_eq!(&text[at.start..at.end], "correlation");
    }
}
