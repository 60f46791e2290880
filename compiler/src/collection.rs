//! Legacy rule collections (Sigma 1 "Rule Collections"; pySigma `SigmaCollection.from_dicts`):
//! the `action` of a document of a multi-document file.
//!
//! - `action: global` makes the document the template merged into each following rule document;
//! - `action: reset` drops the template;
//! - `action: repeat` merges the document into the previous rule document (or the template, if
//!   it came last), which gives a new rule;
//! - a document without `action` is a rule merged with the template, or a correlation or filter,
//!   which is never merged.
//!
//! Merging is pySigma's `deep_dict_update(dest, src)`: each key of `src` replaces the one of
//! `dest`, except that two maps merge key by key; a rule document is the `dest` of the template
//! (the template wins), a repeated document the `src` of the previous one. Each merged node keeps
//! the span tree of the document it came from, so an error about a key of the template points at
//! the template's text, and the document itself is located where it is written. What merging
//! copies is bounded, for the whole file, by the limits on what a file may expand to.

use crate::diagnostic::{Diagnostic, Source};
use crate::limits::{MAX_YAML_DEPTH, MAX_YAML_EXPANDED_BYTES, MAX_YAML_EXPANDED_NODES};
use crate::span::Span;
use crate::yaml::{self, SpanKind, SpanMap, SpanTree};
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The documents of `source` after their collection actions: each rule, correlation or filter
/// document, merged as pySigma merges it, or the located error of a document whose `action` is
/// unknown or whose merge passes the file's limits. A file without any `action` is given back
/// as it is.
pub fn resolve(
    source: &Arc<Source>,
    docs: Vec<yaml::Document>,
) -> Vec<Result<yaml::Document, Diagnostic>> {
    if !docs.iter().any(|d| d.value.get("action").is_some()) {
        return docs.into_iter().map(Ok).collect();
    }
    let mut collection = Collection {
        source,
        template: None,
        previous: None,
        previous_is_template: false,
        copied: (0, 0),
    };
    docs.into_iter()
        .filter_map(|doc| collection.add(doc))
        .collect()
}

/// The state of a file's collection while its documents are read in order.
struct Collection<'a> {
    source: &'a Arc<Source>,
    /// The `action: global` document, without its `action`.
    template: Option<yaml::Document>,
    /// The last rule document given (merged), or the template when it was set after it.
    previous: Option<yaml::Document>,
    /// pySigma's previous rule *is* the template after `global`: a `repeat` then changes both.
    previous_is_template: bool,
    /// Nodes and bytes built by merging so far.
    copied: (usize, usize),
}

impl Collection<'_> {
    /// What `doc` gives: a document, an error, or nothing (`global`, `reset`).
    fn add(&mut self, mut doc: yaml::Document) -> Option<Result<yaml::Document, Diagnostic>> {
        if !doc.value.is_mapping() {
            // not a document of a collection: the front end refuses it
            return Some(Ok(doc));
        }
        let action = doc
            .value
            .get("action")
            .map(|a| (a.as_str(), action_span(&doc)));
        match action {
            None if doc.value.get("correlation").is_some() || doc.value.get("filter").is_some() => {
                Some(Ok(doc))
            }
            None => {
                let merged = match &self.template {
                    Some(template) => merge_documents(
                        &mut self.copied,
                        self.source,
                        &doc,
                        template,
                        doc.spans.span,
                    ),
                    None => Ok(doc),
                };
                if let Ok(rule) = &merged {
                    self.previous = Some(copy(rule));
                    self.previous_is_template = false;
                }
                Some(merged)
            }
            Some((Some("global"), _)) => {
                remove_action(&mut doc);
                self.previous = Some(copy(&doc));
                self.previous_is_template = true;
                self.template = Some(doc);
                None
            }
            Some((Some("reset"), _)) => {
                self.template = None;
                None
            }
            Some((Some("repeat"), _)) => {
                remove_action(&mut doc);
                let merged = match &self.previous {
                    Some(previous) => merge_documents(
                        &mut self.copied,
                        self.source,
                        previous,
                        &doc,
                        doc.spans.span,
                    ),
                    None => Ok(doc),
                };
                if let Ok(rule) = &merged {
                    if self.previous_is_template {
                        self.template = Some(copy(rule));
                    }
                    self.previous = Some(copy(rule));
                }
                Some(merged)
            }
            Some((other, at)) => {
                let written = other.map_or_else(
                    || "a value that is not a string".into(),
                    |a| format!("`{a}`"),
                );
                Some(Err(Diagnostic::error(
                    "invalid_collection",
                    format!("unknown collection action {written}; the actions are `global`, `reset` and `repeat`"),
                    self.source,
                    at,
                )
                .with_help("Sigma 1 collections are read as pySigma reads them; Sigma 2 files separate documents with `---` alone")))
            }
        }
    }
}

/// `src` merged into `dest` (pySigma `deep_dict_update`), located at `at` as a whole (the
/// document being read), its size added to `copied` (nodes, bytes) and bounded.
fn merge_documents(
    copied: &mut (usize, usize),
    source: &Arc<Source>,
    dest: &yaml::Document,
    src: &yaml::Document,
    at: Span,
) -> Result<yaml::Document, Diagnostic> {
    let (value, mut spans) = merge(
        (&dest.value, Some(&dest.spans)),
        (&src.value, Some(&src.spans)),
        0,
    );
    spans.span = at;
    let (nodes, bytes) = size(&value);
    *copied = (copied.0 + nodes, copied.1 + bytes);
    if copied.0 > MAX_YAML_EXPANDED_NODES || copied.1 > MAX_YAML_EXPANDED_BYTES {
        return Err(Diagnostic::error(
            "yaml_too_large",
            format!(
                "merging this file's collection builds more than {MAX_YAML_EXPANDED_NODES} YAML nodes or {MAX_YAML_EXPANDED_BYTES} bytes, the most sigc reads from one file"
            ),
            source,
            Span::new(at.start, at.start),
        ));
    }
    Ok(yaml::Document { value, spans })
}

/// A document's copy (its tree and its positions).
fn copy(doc: &yaml::Document) -> yaml::Document {
    yaml::Document {
        value: doc.value.clone(),
        spans: doc.spans.clone(),
    }
}

/// Where the document's `action` value is written.
fn action_span(doc: &yaml::Document) -> Span {
    let root = doc.root();
    root.get("action").map_or(root.span(), |n| n.span())
}

/// Takes the `action` key out of a document, with its span.
fn remove_action(doc: &mut yaml::Document) {
    let Some(map) = doc.value.as_mapping() else {
        return;
    };
    let entries: Vec<Entry> = entries(map, Some(&doc.spans))
        .into_iter()
        .filter(|(k, _, _)| k.as_str() != Some("action"))
        .collect();
    let span = doc.spans.span;
    let (value, spans) = rebuild(entries, span);
    doc.value = value;
    doc.spans = spans;
}

/// A YAML value and, where known, its positions.
type Located<'a> = (&'a Value, Option<&'a SpanTree>);

/// A map entry: key, value and, where known, the key's span and the value's tree.
type Entry = (Value, Value, Option<(Span, SpanTree)>);

/// pySigma's `deep_dict_update(dest, src)` on located values: `src` wins, maps merge. Maps
/// nested deeper than [`MAX_YAML_DEPTH`] (only aliases can nest them so) are replaced, not
/// merged, so that the recursion stays bounded.
fn merge(dest: Located<'_>, src: Located<'_>, depth: usize) -> (Value, SpanTree) {
    let (Some(src_map), dest_map) = (src.0.as_mapping(), dest.0.as_mapping()) else {
        return (src.0.clone(), tree_or_leaf(src.1));
    };
    if depth >= MAX_YAML_DEPTH {
        return (src.0.clone(), tree_or_leaf(src.1));
    }
    let empty = Mapping::new();
    let mut out = entries(
        dest_map.unwrap_or(&empty),
        dest.1.filter(|_| dest_map.is_some()),
    );
    let mut position: HashMap<Value, usize> = out
        .iter()
        .enumerate()
        .map(|(i, (k, _, _))| (k.clone(), i))
        .collect();
    for (key, value, located) in entries(src_map, src.1) {
        let at = position.get(&key).copied();
        let (value, located) = match (&value, at) {
            (Value::Mapping(_), Some(i)) => {
                let (dest_value, dest_spans) = (&out[i].1, out[i].2.as_ref());
                let (merged, mut tree) = merge(
                    (dest_value, dest_spans.map(|(_, t)| t)),
                    (&value, located.as_ref().map(|(_, t)| t)),
                    depth + 1,
                );
                let key_span = dest_spans.or(located.as_ref()).map(|(k, _)| *k);
                if let Some((_, t)) = dest_spans.filter(|_| dest_value.is_mapping()) {
                    tree.span = t.span;
                }
                (merged, key_span.map(|k| (k, tree)))
            }
            _ => (value, located),
        };
        match at {
            Some(i) => {
                out[i].1 = value;
                out[i].2 = located;
            }
            None => {
                position.insert(key.clone(), out.len());
                out.push((key, value, located));
            }
        }
    }
    let span = dest.1.or(src.1).map_or(Span::default(), |t| t.span);
    rebuild(out, span)
}

/// The entries of `map` with their key spans and value trees, when `tree` knows them.
fn entries(map: &Mapping, tree: Option<&SpanTree>) -> Vec<Entry> {
    let spans: Option<&SpanMap> = match tree.map(|t| &t.kind) {
        Some(SpanKind::Map(m)) => Some(m),
        Some(SpanKind::Seq(_) | SpanKind::Scalar) | None => None,
    };
    map.iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let located = spans
                .and_then(|m| m.entries.get(i))
                .map(|(key_span, tree)| (*key_span, tree.clone()));
            (k.clone(), v.clone(), located)
        })
        .collect()
}

/// A map of `entries`, its tree spanning `span`.
fn rebuild(entries: Vec<Entry>, span: Span) -> (Value, SpanTree) {
    let mut map = Mapping::with_capacity(entries.len());
    let mut trees = Vec::with_capacity(entries.len());
    for (key, value, located) in entries {
        trees.push(located.unwrap_or_else(|| (span, SpanTree::leaf(span))));
        map.insert(key, value);
    }
    let spans = SpanMap::new(trees, &map);
    (
        Value::Mapping(map),
        SpanTree {
            span,
            kind: SpanKind::Map(spans),
        },
    )
}

fn tree_or_leaf(tree: Option<&SpanTree>) -> SpanTree {
    tree.cloned()
        .unwrap_or_else(|| SpanTree::leaf(Span::default()))
}

/// Nodes and bytes of scalar text of a value (without recursion).
fn size(value: &Value) -> (usize, usize) {
    let (mut nodes, mut bytes) = (0usize, 0usize);
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        nodes += 1;
        match v {
            Value::Mapping(m) => m.iter().for_each(|(k, v)| stack.extend([k, v])),
            Value::Sequence(items) => stack.extend(items),
            Value::String(s) => bytes += s.len(),
            Value::Tagged(t) => stack.push(&t.value),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    (nodes, bytes)
}

#[cfg(test)]
mod tests {
    use crate::compile;
    use crate::diagnostic::Source;
    use crate::ir::Document;

    /// A rule's title and log source category, or each error's code and the text it points at.
    type Read = Result<(String, Option<String>), Vec<(&'static str, String)>>;

    /// What each document of `text` gives.
    fn read(text: &str) -> Vec<Read> {
        let source = Source::new("c.yml", text);
        compile(&source)
            .into_iter()
            .map(|c| match c {
                Ok(Document::Rule(r)) => Ok((r.meta.title.clone(), r.logsource.category.clone())),
                Ok(other) => Ok((format!("<{}>", other.kind()), None)),
                Err(errors) => Err(errors
                    .iter()
                    .map(|d| {
                        let span = d.span.expect("located");
                        (d.code, text[span.start..span.end].to_string())
                    })
                    .collect()),
            })
            .collect()
    }

    const TEMPLATE: &str = "action: global\ntitle: T\nlogsource: {product: windows}\ndetection:\n  sel: {User: admin}\n  condition: sel\n";

    #[test]
    fn the_template_merges_into_each_rule_and_wins() {
        let text = format!(
            "{TEMPLATE}---\nlogsource: {{category: process_creation}}\n---\ntitle: Mine\nlogsource: {{category: ps_script}}\n"
        );
        let docs = read(&text);
        let ok = |t: &str, c: &str| Ok((t.to_string(), Some(c.to_string())));
        assert_eq!(docs, [ok("T", "process_creation"), ok("T", "ps_script")]);
    }

    #[test]
    fn an_error_in_the_template_points_at_the_template() {
        let text = TEMPLATE.replace("{User: admin}", "{User|nope: admin}")
            + "---\nlogsource: {category: x}\n";
        assert_eq!(
            read(&text),
            [Err(vec![("unknown_modifier", "nope".to_string())])]
        );
    }

    #[test]
    fn repeat_reuses_the_previous_rule_and_reset_drops_the_template() {
        let text = format!(
            "{TEMPLATE}---\nlogsource: {{category: a}}\n---\naction: repeat\nlogsource: {{category: b}}\n---\naction: reset\n---\naction: repeat\ntitle: R\n---\ntitle: Alone\nlogsource: {{product: linux}}\ndetection:\n  s: {{x: 1}}\n  condition: s\n"
        );
        let docs = read(&text);
        let ok = |t: &str, c: Option<&str>| Ok((t.to_string(), c.map(str::to_string)));
        assert_eq!(
            docs,
            [
                ok("T", Some("a")),
                ok("T", Some("b")),
                ok("R", Some("b")),
                ok("Alone", None)
            ]
        );
    }

    #[test]
    fn what_merging_copies_is_bounded_for_the_whole_file() {
        let values: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
        let template = format!(
            "action: global\ntitle: T\ndetection:\n  sel: {{x: [{}]}}\n  condition: sel\n",
            values.join(",")
        );
        let text = template + &"---\nlogsource: {product: a}\n".repeat(60);
        let source = Source::new("c.yml", text);
        let docs = super::resolve(&source, crate::yaml::load(&source).expect("YAML"));
        assert!(docs[..45].iter().all(Result::is_ok));
        assert!(
            docs[55..]
                .iter()
                .all(|d| matches!(d, Err(e) if e.code == "yaml_too_large")),
            "every later document is refused"
        );
    }

    #[test]
    fn correlations_and_filters_are_not_merged_and_an_unknown_action_is_located() {
        let text = format!(
            "{TEMPLATE}---\ntitle: F\nlogsource: {{category: x}}\nfilter:\n  rules: any\n  s: {{User: y}}\n  condition: not s\n---\naction: include\n"
        );
        assert_eq!(
            read(&text),
            [
                Ok(("<filter>".to_string(), None)),
                Err(vec![("invalid_collection", "include".to_string())])
            ]
        );
    }
}
