//! The descriptive fields of a rule and its log source (Sigma specification v2.1, "Rule fields").

use super::Errors;
use crate::ir::{LogSource, MapSpans, Meta, Related};
use crate::span::Span;
use crate::yaml::Node;
use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;

/// Keys of a rule document that are not metadata.
pub const RULE_KEYS: &[&str] = &["logsource", "detection"];
/// Keys of a correlation document that are not metadata.
pub const CORRELATION_KEYS: &[&str] = &["correlation", "generate"];
/// Keys of a filter document that are not metadata.
pub const FILTER_KEYS: &[&str] = &["logsource", "filter"];

const RELATED_TYPES: &[&str] = &["derived", "obsolete", "merged", "renamed", "similar"];
const LOGSOURCE_KEYS: &[&str] = &["category", "product", "service", "definition"];

/// Reads every metadata field of the document `root`, whose own sections are the keys in
/// `structural` (e.g. [`RULE_KEYS`]).
pub fn read_meta(root: Node<'_>, structural: &[&str], errors: &mut Errors<'_>) -> Meta {
    let mut meta = Meta::default();
    match root.get("title") {
        None => errors.add("missing_field", "rule has no `title`", root.span()),
        Some(node) => {
            if let Some(title) = string(node, "title", errors) {
                if title.chars().count() > 256 {
                    errors.add(
                        "invalid_field",
                        "`title` is longer than 256 characters",
                        node.span(),
                    );
                }
                meta.title = title;
            }
        }
    }
    let Some(entries) = root.entries() else {
        return meta;
    };
    // each list's entries, read once for the spans and the attribute
    let lists: Vec<_> = entries.iter().map(|(_, _, node)| node.items()).collect();
    // into the default's Arc, not yet shared
    *Arc::make_mut(&mut meta.spans) = spans(&entries, &lists);
    for ((key, _, node), list) in entries.into_iter().zip(&lists) {
        let list = list.as_deref();
        match key.as_ref() {
            "title" => {}
            "id" => {
                meta.id = string(node, "id", errors);
                if let Some(id) = meta.id.as_ref().filter(|id| !is_uuid(id)) {
                    errors.add(
                        "invalid_field",
                        format!("`id` is not a UUID: `{id}`"),
                        node.span(),
                    );
                }
            }
            "name" => {
                meta.name = string(node, "name", errors);
                if meta.name.as_deref() == Some("") {
                    errors.add("invalid_field", "`name` is empty", node.span());
                }
            }
            "related" => meta.related = related(node, errors),
            "taxonomy" => meta.taxonomy = string(node, "taxonomy", errors),
            "status" => meta.status = vocabulary(node, "status", errors),
            "description" => {
                meta.description = string(node, "description", errors);
                if meta.description.as_ref().is_some_and(|d| d.len() > 65_535) {
                    errors.add(
                        "invalid_field",
                        "`description` is longer than 65,535 characters",
                        node.span(),
                    );
                }
            }
            "license" => meta.license = string(node, "license", errors),
            "author" => meta.author = string(node, "author", errors),
            "references" => meta.references = strings(node, list, "references", errors),
            "date" => meta.date = date(node, "date", errors),
            "modified" => meta.modified = date(node, "modified", errors),
            "fields" => meta.fields = strings(node, list, "fields", errors),
            "falsepositives" => meta.falsepositives = strings(node, list, "falsepositives", errors),
            "level" => meta.level = vocabulary(node, "level", errors),
            "tags" => {
                meta.tags = strings(node, list, "tags", errors);
                for (i, tag) in meta.tags.iter().enumerate() {
                    if !tag.contains('.') {
                        let span = list.and_then(|t| t.get(i).map(|n| n.span()));
                        errors.add(
                            "invalid_tag",
                            format!("tag `{tag}` has no namespace (expected `namespace.name`, e.g. `attack.t1070.005`)"),
                            span.unwrap_or(node.span()),
                        );
                    }
                }
            }
            "scope" => meta.scope = strings(node, list, "scope", errors),
            k if structural.contains(&k) => {}
            _ => {
                let json = serde_json::to_value(node.value).unwrap_or(serde_json::Value::Null);
                meta.custom.insert(key.into_owned(), json);
            }
        }
    }
    meta
}

/// Reads `logsource`, which must be a map of strings.
pub fn read_logsource(root: Node<'_>, errors: &mut Errors<'_>) -> LogSource {
    let mut ls = LogSource::default();
    let Some(node) = root.get("logsource") else {
        errors.add("missing_field", "rule has no `logsource`", root.span());
        return ls;
    };
    let Some(entries) = node.entries() else {
        errors.add(
            "invalid_field",
            format!("`logsource` must be a map, not {}", node.kind()),
            node.span(),
        );
        return ls;
    };
    ls.spans.node = Some(node.span());
    ls.spans.values = spans(&entries, &[]);
    for (key, _, value) in entries {
        // the name is formatted for the error only
        let text = value.as_str().map(str::to_owned);
        let Some(text) = text.or_else(|| string(value, &format!("logsource.{key}"), errors)) else {
            continue;
        };
        match key.as_ref() {
            "category" => ls.category = Some(text),
            "product" => ls.product = Some(text),
            "service" => ls.service = Some(text),
            "definition" => ls.definition = Some(text),
            _ => {
                ls.custom.insert(key.into_owned(), text);
            }
        }
    }
    if LOGSOURCE_KEYS[..3].iter().all(|k| node.get(k).is_none()) {
        errors.add(
            "invalid_field",
            "`logsource` names none of category, product or service",
            node.span(),
        );
    }
    ls
}

/// Where each of a map's `entries` was written: its value and, when `lists` holds the entry's
/// items (at the entry's position; a log source gives none), each string entry of that list.
fn spans(entries: &[(Cow<'_, str>, Span, Node<'_>)], lists: &[Option<Vec<Node<'_>>>]) -> MapSpans {
    MapSpans::new(entries.iter().enumerate().map(|(i, (key, _, node))| {
        let list = lists.get(i).and_then(Option::as_deref);
        (key.as_ref(), node.span(), list.map(string_items))
    }))
}

/// The string entries of a list, with their spans.
fn string_items<'a, 'n>(items: &'n [Node<'a>]) -> impl Iterator<Item = (&'a str, Span)> + 'n {
    items
        .iter()
        .filter_map(|item| Some((item.as_str()?, item.span())))
}

fn string(node: Node<'_>, name: &str, errors: &mut Errors<'_>) -> Option<String> {
    text(node, name, errors).map(Cow::into_owned)
}

/// [`string`], borrowed from the rule when it wrote a string.
fn text<'a>(node: Node<'a>, name: &str, errors: &mut Errors<'_>) -> Option<Cow<'a, str>> {
    match node.value {
        serde_yaml::Value::String(s) => Some(Cow::Borrowed(s)),
        serde_yaml::Value::Number(n) if name == "id" || name == "name" => {
            Some(Cow::Owned(n.to_string()))
        }
        _ => {
            errors.add(
                "invalid_field",
                format!("`{name}` must be a string, not {}", node.kind()),
                node.span(),
            );
            None
        }
    }
}

/// The strings of the list `node`, whose `items` the caller has read.
fn strings(
    node: Node<'_>,
    items: Option<&[Node<'_>]>,
    name: &str,
    errors: &mut Errors<'_>,
) -> Vec<String> {
    let Some(items) = items else {
        errors.add(
            "invalid_field",
            format!("`{name}` must be a list of strings, not {}", node.kind()),
            node.span(),
        );
        return Vec::new();
    };
    // sized for every entry: collected from a filter, the vector would grow by doubling
    let mut strings = Vec::with_capacity(items.len());
    strings.extend(items.iter().filter_map(|item| match item.value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => {
            errors.add(
                "invalid_field",
                format!("`{name}` entries must be strings, not {}", item.kind()),
                item.span(),
            );
            None
        }
    }));
    strings
}

fn one_of(node: Node<'_>, name: &str, allowed: &[&str], errors: &mut Errors<'_>) -> Option<String> {
    let value = string(node, name, errors)?;
    if !allowed.contains(&value.as_str()) {
        errors.add(
            "invalid_field",
            format!(
                "`{name}` is `{value}`; expected one of {}",
                allowed.join(", ")
            ),
            node.span(),
        );
    }
    Some(value)
}

/// A value of a closed vocabulary ([`Status`](crate::vocabulary::Status),
/// [`Level`](crate::vocabulary::Level)). Another letter case (`High`) is read as pySigma reads
/// it, with a warning.
fn vocabulary<T: FromStr<Err = String>>(
    node: Node<'_>,
    name: &str,
    errors: &mut Errors<'_>,
) -> Option<T> {
    let value = text(node, name, errors)?;
    if let Ok(known) = value.parse() {
        return Some(known);
    }
    let lower = value.to_lowercase();
    match lower.parse() {
        Ok(known) => {
            errors.warn(
                "letter_case",
                format!("`{name}` is `{value}`, read as `{lower}` as pySigma reads it; the specification writes it in lower case"),
                node.span(),
                format!("write `{name}: {lower}`"),
            );
            Some(known)
        }
        Err(names) => {
            errors.add(
                "invalid_field",
                format!("`{name}` is `{value}`; expected one of {names}"),
                node.span(),
            );
            None
        }
    }
}

/// A date: `YYYY-MM-DD`, or pySigma's `YYYY/M/D` (with a warning, as that date).
fn date(node: Node<'_>, name: &str, errors: &mut Errors<'_>) -> Option<String> {
    let value = string(node, name, errors)?;
    if is_date(&value) {
        return Some(value);
    }
    match slashed_date(&value) {
        Some(iso) => {
            errors.warn(
                "legacy_date",
                format!("`{name}` is `{value}`, read as {iso} as pySigma reads it; the specification writes dates as YYYY-MM-DD"),
                node.span(),
                format!("write `{name}: {iso}`"),
            );
            Some(iso)
        }
        None => {
            errors.add(
                "invalid_date",
                format!("`{name}` is `{value}`; expected a date as YYYY-MM-DD"),
                node.span(),
            );
            Some(value)
        }
    }
}

fn related(node: Node<'_>, errors: &mut Errors<'_>) -> Vec<Related> {
    let Some(items) = node.items() else {
        errors.add(
            "invalid_field",
            format!("`related` must be a list, not {}", node.kind()),
            node.span(),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let (Some(id), Some(kind)) = (item.get("id"), item.get("type")) else {
            errors.add(
                "invalid_field",
                "each `related` entry needs `id` and `type`",
                item.span(),
            );
            continue;
        };
        let (Some(id_text), Some(kind_text)) = (
            string(id, "related.id", errors),
            one_of(kind, "related.type", RELATED_TYPES, errors),
        ) else {
            continue;
        };
        if !is_uuid(&id_text) {
            errors.add(
                "invalid_field",
                format!("`related.id` is not a UUID: `{id_text}`"),
                id.span(),
            );
        }
        out.push(Related {
            id: id_text,
            kind: kind_text,
        });
    }
    out
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `YYYY-MM-DD` with a real month and day.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    text[..4].bytes().all(|c| c.is_ascii_digit())
        && (1..=12).contains(&m)
        && d >= 1
        && d <= days[m as usize - 1]
}

/// A date as pySigma also reads it, `YYYY/M/D` (a year from 1000 to 3999, a month and a day of
/// one or two digits), as `YYYY-MM-DD` when it is a real date.
pub fn slashed_date(text: &str) -> Option<String> {
    let mut parts = text.split('/');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let iso = format!("{y}-{m:0>2}-{d:0>2}");
    (digits(y, 4..=4)
        && ('1'..='3').contains(&y.chars().next()?)
        && digits(m, 1..=2)
        && digits(d, 1..=2)
        && is_date(&iso))
    .then_some(iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_and_dates() {
        assert!(is_uuid("195e1b9d-bfc2-4ffa-ab4e-35aef69815f8"));
        assert!(!is_uuid("195e1b9d-bfc2-4ffa-ab4e-35aef69815f"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2023/01/01"));
        assert!(!is_date("2023-13-01"));
        assert_eq!(slashed_date("2022/07/28").as_deref(), Some("2022-07-28"));
        assert_eq!(slashed_date("2022/7/8").as_deref(), Some("2022-07-08"));
        for bad in [
            "2023/02/29",
            "0999/01/01",
            "2022/007/01",
            "2022/07",
            "2022/07/28/1",
            "22/7/8",
        ] {
            assert_eq!(slashed_date(bad), None, "{bad}");
        }
    }
}
