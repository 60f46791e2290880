//! The `detection` section: search identifiers become IR expressions, conditions stay text.
//!
//! A map is the AND of its items, a list of maps the OR of them, a list of plain values a list
//! of keywords (OR, or AND under a `'|all'` key). An item `Field|mod1|mod2: value(s)` is the OR
//! of one match per value (AND under `all`), with the modifiers applied to each value in order.

use super::item::{DetectionItem, ModifierUse, is_scalar};
use super::{Errors, sigma_string};
use crate::ir::{Expr, Match, Number, Origin, Pattern, Value};
use crate::limits::Size;
use crate::modifier::{Modifier, Val};
use crate::span::Span;
use crate::yaml::Node;
use serde_yaml::Value as Yaml;

/// A search identifier and what it matches.
#[derive(Clone)]
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
        errors.add("missing_field", "rule has no `detection`", root.span());
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
            "invalid_detection",
            format!("`{what}` must be a map, not {}", node.kind()),
            node.span(),
        );
        return out;
    };
    for (name, key_span, value) in entries {
        match name.as_ref() {
            k if other.contains(&k) => {}
            "condition" => out.conditions = conditions(value, errors),
            "timeframe" => errors.add(
                "unsupported_feature",
                "`timeframe` belongs to deprecated Sigma v1 aggregations; use a correlation rule",
                key_span,
            ),
            _ => {
                let expr = identifier(value, errors);
                out.identifiers.push(Identifier {
                    name: name.into_owned(),
                    span: key_span,
                    expr,
                });
            }
        }
    }
    if node.get("condition").is_none() {
        errors.add_help(
            "missing_condition",
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
                "invalid_condition",
                format!("a condition must be a string, not {}", n.kind()),
                n.span(),
            );
            None
        }
    };
    match node.items() {
        Some(items) if items.is_empty() => {
            errors.add(
                "invalid_condition",
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
    if node.value.is_mapping() {
        return map(node, errors);
    }
    if let Some(items) = node.items() {
        if items.is_empty() {
            errors.add(
                "invalid_detection",
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
            .filter_map(|item| {
                if item.value.is_mapping() {
                    return map(item, errors);
                }
                if is_scalar(item.value) {
                    return values(None, &[], &[item], errors);
                }
                errors.add(
                    "invalid_detection",
                    format!("a list of detections holds {}", item.kind()),
                    item.span(),
                );
                None
            })
            .collect();
        return (!alternatives.is_empty()).then(|| Expr::or(alternatives));
    }
    if is_scalar(node.value) && !node.value.is_null() {
        return values(None, &[], &[node], errors);
    }
    errors.add(
        "invalid_detection",
        format!(
            "a search identifier must be a map or a list, not {}",
            node.kind()
        ),
        node.span(),
    );
    None
}

/// A map of detection items: their AND.
fn map(node: Node<'_>, errors: &mut Errors<'_>) -> Option<Expr> {
    let items = DetectionItem::read_map(errors.source, node).unwrap_or_default();
    if items.is_empty() {
        errors.add(
            "invalid_detection",
            "search identifier is an empty map",
            node.span(),
        );
        return None;
    }
    let before = errors.list.len();
    let mut exprs = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Ok(item) => exprs.extend(lower(&item, errors)),
            Err(found) => {
                for e in found {
                    match e.help() {
                        Some(help) => errors.add_help(e.code(), e.message(), e.span(), help),
                        None => errors.add(e.code(), e.message(), e.span()),
                    }
                }
            }
        }
    }
    (errors.list.len() == before).then(|| Expr::and(exprs))
}

/// One detection item: the matches of its values.
fn lower(item: &DetectionItem<'_>, errors: &mut Errors<'_>) -> Option<Expr> {
    let field = item.field.as_ref().map(|f| f.name.clone());
    values(field, &item.modifiers, &item.values, errors)
}

/// The matches of one item's values, linked by OR (AND under `all`), negated under `neq`.
fn values(
    field: Option<String>,
    modifiers: &[ModifierUse],
    items: &[Node<'_>],
    errors: &mut Errors<'_>,
) -> Option<Expr> {
    let raw = modifiers
        .first()
        .is_some_and(|m| m.modifier == Modifier::Re);
    // `exists` reads `yes`/`no` as booleans already, whatever the YAML version.
    let exists = modifiers.iter().any(|m| m.modifier == Modifier::Exists);
    let room = modifiers
        .iter()
        .map(|m| m.modifier.wrap_room())
        .max()
        .unwrap_or(0);
    let mut matches = Vec::with_capacity(items.len());
    'values: for node in items {
        if errors.budget.exhausted() {
            return None;
        }
        let Some(initial) = scalar(*node, raw, !exists, room, errors) else {
            continue;
        };
        if initial == Value::Null && field.is_none() {
            errors.add(
                "invalid_detection",
                "null must be bound to a field (`Field: null`)",
                node.span(),
            );
            continue;
        }
        let mut val = Val::Ir(initial);
        for m in modifiers {
            if matches!(m.modifier, Modifier::All | Modifier::Neq) {
                continue;
            }
            match m.modifier.apply(val) {
                Ok(v) => val = v,
                // A bad network is the value's fault: point at it, as for a bad regex.
                Err(message) if m.modifier == Modifier::Cidr => {
                    errors.add("invalid_cidr", message, node.span());
                    continue 'values;
                }
                Err(message) => {
                    errors.add(
                        "invalid_modifier",
                        format!("modifier `{}`: {message}", m.name),
                        m.span,
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
                "invalid_regex",
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
            errors.add("limit_exceeded", message, node.span());
            continue;
        }
        matches.push(leaf);
    }
    if matches.len() != items.len() {
        return None;
    }
    if let Some(m) = modifiers.iter().find(|m| m.modifier == Modifier::Exists)
        && matches.len() != 1
    {
        errors.add(
            "invalid_modifier",
            "`exists` takes a single true or false",
            m.span,
        );
        return None;
    }
    let has = |modifier| modifiers.iter().any(|m| m.modifier == modifier);
    let linked = if has(Modifier::All) {
        Expr::and(matches)
    } else {
        Expr::or(matches)
    };
    Some(if has(Modifier::Neq) {
        Expr::Not(Box::new(linked))
    } else {
        linked
    })
}

/// The initial value of a YAML scalar (`raw`: strings are taken as written, for `re`). With
/// `yaml11`, a plain scalar that YAML 1.1 reads otherwise is read as pySigma reads it. A
/// pattern has room for `room` more parts.
fn scalar(
    node: Node<'_>,
    raw: bool,
    yaml11: bool,
    room: usize,
    errors: &mut Errors<'_>,
) -> Option<Value> {
    let pysigma = if yaml11 {
        yaml11_reading(node, errors)
    } else {
        None
    };
    Some(match pysigma.as_ref().unwrap_or(node.value) {
        Yaml::String(s) if raw => Value::Str(Pattern::literal(s.as_str())),
        Yaml::String(s) => Value::Str(sigma_string::parse_with_room(s, room)),
        Yaml::Number(n) => Value::Num(match n.as_i64() {
            Some(i) => Number::Int(i),
            None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Null => Value::Null,
        _ => {
            errors.add(
                "invalid_detection",
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

/// YAML 1.1's value of a plain scalar (`yes`, `0123`, `1:30`, `1e3`, …) where it differs from
/// YAML 1.2's, with a `yaml11_scalar` warning: pySigma reads rules with PyYAML, so its queries
/// hold that value.
fn yaml11_reading(node: Node<'_>, errors: &mut Errors<'_>) -> Option<Yaml> {
    let span = node.span();
    let text = errors.source.text.get(span.start..span.end)?;
    let plain = !text.starts_with(['\'', '"', '|', '>', '!', '&', '*']);
    let old = plain.then(|| crate::yaml::scalar::yaml11(text)).flatten()?;
    let (shown, help) = match &old {
        Yaml::String(s) => (
            format!("the string `{s}`"),
            "write the number in decimal for a number".to_string(),
        ),
        Yaml::Bool(b) => (
            format!("the boolean {b}"),
            format!("quote it (`'{text}'`) for the text"),
        ),
        Yaml::Number(n) => (
            format!("the number {n}"),
            format!("quote it (`'{text}'`) for the text"),
        ),
        Yaml::Null | Yaml::Sequence(_) | Yaml::Mapping(_) | Yaml::Tagged(_) => {
            (format!("`{text}`"), String::new())
        }
    };
    errors.warn(
        "yaml11_scalar",
        format!("`{text}` is read as {shown}, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise"),
        span,
        help,
    );
    Some(old)
}

/// Where a scalar's text starts: after its opening quote, if it has one.
fn content_start(errors: &Errors<'_>, span: Span) -> usize {
    let quoted = matches!(
        errors.source.text.as_bytes().get(span.start),
        Some(b'\'' | b'"')
    );
    span.start + usize::from(quoted)
}
