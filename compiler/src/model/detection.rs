//! The `detection` section: search identifiers become IR expressions, conditions stay text.
//!
//! A map is the AND of its items, a list of maps the OR of them, a list of plain values a list
//! of keywords (OR, or AND under a `'|all'` key). An item `Field|mod1|mod2: value(s)` is the OR
//! of one match per value (AND under `all`), with the modifiers applied to each value in order.

use super::{Errors, sigma_string};
use crate::ir::{Expr, Match, Number, Origin, Pattern, Value};
use crate::limits::Size;
use crate::modifier::{Modifier, Val};
use crate::span::Span;
use crate::yaml::Node;
use serde_yaml::Value as Yaml;

/// A search identifier and what it matches.
pub struct Identifier {
    pub name: String,
    pub span: Span,
    /// `None` when the identifier has errors (already reported).
    pub expr: Option<Expr>,
}

/// One `condition` string and where its text starts in the file.
pub struct ConditionText {
    pub text: String,
    /// Span of the scalar node.
    pub span: Span,
    /// Byte offset of the string's first character (after an opening quote).
    pub content_start: usize,
}

/// The detection section of a rule.
#[derive(Default)]
pub struct Detections {
    pub identifiers: Vec<Identifier>,
    pub conditions: Vec<ConditionText>,
}

/// Reads the rule's `detection` map.
pub fn read_detection(root: Node<'_>, errors: &mut Errors<'_>) -> Detections {
    let Some(node) = root.get("detection") else {
        errors.add("missing-field", "rule has no `detection`", root.span());
        return Detections::default();
    };
    read_section(node, "detection", &[], errors)
}

/// Reads a map of search identifiers and `condition` (`what` names the map in messages: a rule's
/// `detection`, a filter's `filter`), leaving out the keys in `other`.
pub fn read_section(
    node: Node<'_>,
    what: &str,
    other: &[&str],
    errors: &mut Errors<'_>,
) -> Detections {
    let mut out = Detections::default();
    let Some(entries) = node.entries() else {
        errors.add(
            "invalid-detection",
            format!("`{what}` must be a map, not {}", node.kind()),
            node.span(),
        );
        return out;
    };
    for (name, key_span, value) in entries {
        match name.as_str() {
            k if other.contains(&k) => {}
            "condition" => out.conditions = conditions(value, errors),
            "timeframe" => errors.add(
                "unsupported-feature",
                "`timeframe` belongs to deprecated Sigma v1 aggregations; use a correlation rule",
                key_span,
            ),
            _ => {
                let expr = identifier(value, errors);
                out.identifiers.push(Identifier {
                    name,
                    span: key_span,
                    expr,
                });
            }
        }
    }
    if node.get("condition").is_none() {
        errors.add_help(
            "missing-condition",
            format!("`{what}` has no `condition`"),
            node.span(),
            format!("add e.g. `condition: selection` inside `{what}` (check its indentation)"),
        );
    }
    out
}

fn conditions(node: Node<'_>, errors: &mut Errors<'_>) -> Vec<ConditionText> {
    let text_of = |n: Node<'_>, errors: &mut Errors<'_>| match n.as_str() {
        Some(text) => {
            let span = n.span();
            Some(ConditionText {
                text: text.to_string(),
                span,
                content_start: content_start(errors, span),
            })
        }
        None => {
            errors.add(
                "invalid-condition",
                format!("a condition must be a string, not {}", n.kind()),
                n.span(),
            );
            None
        }
    };
    match node.items() {
        Some(items) if items.is_empty() => {
            errors.add(
                "invalid-condition",
                "`condition` is an empty list",
                node.span(),
            );
            Vec::new()
        }
        Some(items) => items
            .into_iter()
            .filter_map(|n| text_of(n, errors))
            .collect(),
        None => text_of(node, errors).into_iter().collect(),
    }
}

/// One search identifier's value.
fn identifier(node: Node<'_>, errors: &mut Errors<'_>) -> Option<Expr> {
    if let Some(entries) = node.entries() {
        return map(entries, node.span(), errors);
    }
    if let Some(items) = node.items() {
        if items.is_empty() {
            errors.add(
                "invalid-detection",
                "search identifier is an empty list",
                node.span(),
            );
            return None;
        }
        let all_plain = items.iter().all(|i| is_scalar(i.value));
        if all_plain {
            return values(None, &[], &items, errors);
        }
        let alternatives: Vec<Expr> = items
            .into_iter()
            .filter_map(|item| match item.entries() {
                Some(entries) => map(entries, item.span(), errors),
                None if is_scalar(item.value) => values(None, &[], &[item], errors),
                None => {
                    errors.add(
                        "invalid-detection",
                        format!("a list of detections holds {}", item.kind()),
                        item.span(),
                    );
                    None
                }
            })
            .collect();
        return (!alternatives.is_empty()).then(|| Expr::or(alternatives));
    }
    if is_scalar(node.value) && !node.value.is_null() {
        return values(None, &[], &[node], errors);
    }
    errors.add(
        "invalid-detection",
        format!(
            "a search identifier must be a map or a list, not {}",
            node.kind()
        ),
        node.span(),
    );
    None
}

/// A map of detection items: their AND.
fn map(
    entries: Vec<(String, Span, Node<'_>)>,
    span: Span,
    errors: &mut Errors<'_>,
) -> Option<Expr> {
    if entries.is_empty() {
        errors.add(
            "invalid-detection",
            "search identifier is an empty map",
            span,
        );
        return None;
    }
    let before = errors.list.len();
    let items: Vec<Expr> = entries
        .into_iter()
        .filter_map(|(key, key_span, value)| item(&key, key_span, value, errors))
        .collect();
    (errors.list.len() == before).then(|| Expr::and(items))
}

/// One detection item `Field|modifiers: value(s)`.
fn item(key: &str, key_span: Span, value: Node<'_>, errors: &mut Errors<'_>) -> Option<Expr> {
    let mut parts = key.split('|');
    let field = parts.next().unwrap_or_default();
    let mut offset = content_start(errors, key_span) + field.len() + 1;
    let mut modifiers = Vec::new();
    let mut ok = true;
    for name in parts {
        let span = Span::new(offset, offset + name.len());
        offset += name.len() + 1;
        match Modifier::parse(name) {
            Some(m) if m.must_be_first() && !modifiers.is_empty() => {
                errors.add(
                    "invalid-modifier",
                    format!("modifier `{name}` must come first in the chain"),
                    span,
                );
                ok = false;
            }
            Some(m) => modifiers.push((m, span)),
            None => {
                errors.add_help(
                    "unknown-modifier",
                    format!("unknown modifier `{name}`"),
                    span,
                    "`sigc list modifiers` lists the supported modifiers",
                );
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let field = (!field.is_empty()).then(|| field.to_string());
    if field.is_none()
        && let Some((_, span)) = modifiers
            .iter()
            .find(|(m, _)| matches!(m, Modifier::Exists | Modifier::FieldRef))
    {
        let name = span_text(errors, *span);
        errors.add(
            "invalid-modifier",
            format!("`{name}` needs a field name before it"),
            *span,
        );
        return None;
    }
    let items = match value.items() {
        Some(items) if items.is_empty() => {
            errors.add(
                "invalid-detection",
                "empty value list matches nothing",
                value.span(),
            );
            return None;
        }
        Some(items) => items,
        None => vec![value],
    };
    values(field, &modifiers, &items, errors)
}

/// The matches of one item's values, linked by OR (AND under `all`), negated under `neq`.
fn values(
    field: Option<String>,
    modifiers: &[(Modifier, Span)],
    items: &[Node<'_>],
    errors: &mut Errors<'_>,
) -> Option<Expr> {
    let raw = modifiers.first().is_some_and(|(m, _)| *m == Modifier::Re);
    let mut matches = Vec::with_capacity(items.len());
    'values: for node in items {
        if errors.budget.exhausted() {
            return None;
        }
        let Some(initial) = scalar(*node, raw, errors) else {
            continue;
        };
        if initial == Value::Null && field.is_none() {
            errors.add(
                "invalid-detection",
                "null must be bound to a field (`Field: null`)",
                node.span(),
            );
            continue;
        }
        let mut val = Val::Ir(initial);
        for (m, span) in modifiers {
            if matches!(m, Modifier::All | Modifier::Neq) {
                continue;
            }
            match m.apply(val) {
                Ok(v) => val = v,
                // A bad network is the value's fault: point at it, as for a bad regex.
                Err(message) if *m == Modifier::Cidr => {
                    errors.add("invalid-cidr", message, node.span());
                    continue 'values;
                }
                Err(message) => {
                    let name = span_text(errors, *span);
                    errors.add(
                        "invalid-modifier",
                        format!("modifier `{name}`: {message}"),
                        *span,
                    );
                    continue 'values;
                }
            }
        }
        if let Val::Ir(Value::Regex { pattern, flags }) = &val
            && let Err((range, why)) = super::regex_check::check(pattern, *flags, errors.budget)
        {
            let start = content_start(errors, node.span());
            errors.add(
                "invalid-regex",
                format!("invalid regular expression: {why}"),
                Span::new(start + range.start, start + range.end),
            );
            continue;
        }
        let value = match val {
            Val::Ir(v) => v,
            Val::Bytes(bytes) => Value::Str(Pattern::literal(
                bytes.iter().map(|&b| b as char).collect::<String>(),
            )),
        };
        let leaf = Expr::Match(Match {
            field: field.clone(),
            value,
            origin: Origin::Source(node.span()),
        });
        if let Err(message) = errors.budget.charge(Size::of_expr(&leaf)) {
            errors.add("limit-exceeded", message, node.span());
            continue;
        }
        matches.push(leaf);
    }
    if matches.len() != items.len() {
        return None;
    }
    if let Some((_, span)) = modifiers.iter().find(|(m, _)| *m == Modifier::Exists)
        && matches.len() != 1
    {
        errors.add(
            "invalid-modifier",
            "`exists` takes a single true or false",
            *span,
        );
        return None;
    }
    let linked = if modifiers.iter().any(|(m, _)| *m == Modifier::All) {
        Expr::and(matches)
    } else {
        Expr::or(matches)
    };
    Some(if modifiers.iter().any(|(m, _)| *m == Modifier::Neq) {
        Expr::Not(Box::new(linked))
    } else {
        linked
    })
}

/// The initial value of a YAML scalar (`raw`: strings are taken as written, for `re`).
fn scalar(node: Node<'_>, raw: bool, errors: &mut Errors<'_>) -> Option<Value> {
    Some(match node.value {
        Yaml::String(s) if raw => Value::Str(Pattern::literal(s.as_str())),
        Yaml::String(s) => Value::Str(sigma_string::parse(s)),
        Yaml::Number(n) => Value::Num(match n.as_i64() {
            Some(i) => Number::Int(i),
            None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Null => Value::Null,
        _ => {
            errors.add(
                "invalid-detection",
                format!(
                    "a detection value must be a string, number, boolean or null, not {}",
                    node.kind()
                ),
                node.span(),
            );
            return None;
        }
    })
}

fn is_scalar(v: &Yaml) -> bool {
    !matches!(v, Yaml::Mapping(_) | Yaml::Sequence(_) | Yaml::Tagged(_))
}

fn span_text(errors: &Errors<'_>, span: Span) -> String {
    errors
        .source
        .text
        .get(span.start..span.end)
        .unwrap_or("?")
        .to_string()
}

/// Where a scalar's text starts: after its opening quote, if it has one.
fn content_start(errors: &Errors<'_>, span: Span) -> usize {
    let quoted = matches!(
        errors.source.text.as_bytes().get(span.start),
        Some(b'\'' | b'"')
    );
    span.start + usize::from(quoted)
}
