//! What a validator sees of one document: its YAML tree with positions, the detection items as
//! the front end reads them, the parsed conditions, the compiled rule or correlation if it
//! compiled.

use super::Config;
use crate::sigmahq_data::Logsource;
use sigc_compiler::condition::{self, Cond, ConditionError, Target};
use sigc_compiler::diagnostic::Source;
use sigc_compiler::ir::{Correlation, Document, Rule};
use sigc_compiler::model::item::DetectionItem;
use sigc_compiler::span::Span;
use sigc_compiler::yaml::Node;
use std::ops::Deref;
use std::sync::Arc;

/// A search identifier of `detection`.
pub struct Ident<'a> {
    pub name: String,
    pub key_span: Span,
    pub node: Node<'a>,
}

/// One detection item, as the front end reads it, with the map of the detection section it is
/// in (items of one map are ANDed). It dereferences to the [`DetectionItem`].
pub struct Item<'a> {
    pub group: usize,
    pub item: DetectionItem<'a>,
}

impl<'a> Deref for Item<'a> {
    type Target = DetectionItem<'a>;

    fn deref(&self) -> &DetectionItem<'a> {
        &self.item
    }
}

/// One `condition` string.
pub struct Condition {
    pub text: String,
    /// Span of the scalar node.
    pub span: Span,
    /// Byte offset of the text's first character in the file.
    pub start: usize,
    pub parsed: Result<Cond, ConditionError>,
}

/// One document (a rule, a correlation or a filter), as validators see it.
pub struct Ctx<'a> {
    pub source: &'a Arc<Source>,
    pub root: Node<'a>,
    /// The compiled rule, when the document is a rule that compiled.
    pub rule: Option<&'a Rule>,
    /// The compiled correlation, when the document is a correlation that compiled.
    pub correlation: Option<&'a Correlation>,
    pub config: &'a Config,
    /// The file holds several documents, one of them a correlation (SigmaHQ's combined format).
    pub combined: bool,
    pub idents: Vec<Ident<'a>>,
    pub items: Vec<Item<'a>>,
    pub conditions: Vec<Condition>,
    groups: usize,
    /// The rule's tags with their nodes, read once for the many validators of tags.
    tags: Vec<(&'a str, Node<'a>)>,
    /// `logsource`, and its product, category and service, read once for the validators of
    /// log sources and field names.
    logsource: Option<Node<'a>>,
    logsource_key: Logsource<'a>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        source: &'a Arc<Source>,
        root: Node<'a>,
        compiled: Option<&'a Document>,
        config: &'a Config,
        combined: bool,
    ) -> Self {
        let logsource = root.get("logsource");
        let mut cx = Ctx {
            source,
            root,
            rule: compiled.and_then(Document::as_rule),
            correlation: match compiled {
                Some(Document::Correlation(c)) => Some(c),
                Some(Document::Rule(_) | Document::Filter(_)) | None => None,
            },
            config,
            combined,
            idents: Vec::new(),
            items: Vec::new(),
            conditions: Vec::new(),
            groups: 0,
            tags: strings(root, "tags"),
            logsource,
            logsource_key: (
                string(logsource, "product"),
                string(logsource, "category"),
                string(logsource, "service"),
            ),
        };
        let Some(entries) = root.get("detection").and_then(|d| d.entries()) else {
            return cx;
        };
        for (name, key_span, node) in entries {
            match name.as_ref() {
                "condition" => {
                    let nodes = node.items().unwrap_or_else(|| vec![node]);
                    for n in nodes {
                        if let Some(text) = n.as_str() {
                            let start = cx.content_start(n);
                            cx.conditions.push(Condition {
                                text: text.to_string(),
                                span: n.span(),
                                start,
                                parsed: condition::parse(text),
                            });
                        }
                    }
                }
                "timeframe" => {}
                _ => {
                    cx.collect_items(node);
                    cx.idents.push(Ident {
                        name: name.into_owned(),
                        key_span,
                        node,
                    });
                }
            }
        }
        cx
    }

    fn collect_items(&mut self, node: Node<'a>) {
        if let Some(items) = DetectionItem::read_map(self.source, node) {
            self.groups += 1;
            // An item the front end cannot read is its error; there is nothing to validate.
            for item in items.into_iter().flatten() {
                self.items.push(Item {
                    group: self.groups,
                    item,
                });
            }
        } else if let Some(list) = node.items() {
            let (maps, plain): (Vec<_>, Vec<_>) =
                list.into_iter().partition(|n| n.value.is_mapping());
            for map in maps {
                self.collect_items(map);
            }
            if !plain.is_empty() {
                self.keywords(node, plain);
            }
        } else {
            self.keywords(node, vec![node]);
        }
    }

    fn keywords(&mut self, node: Node<'a>, values: Vec<Node<'a>>) {
        self.groups += 1;
        self.items.push(Item {
            group: self.groups,
            item: DetectionItem::keywords(node, values),
        });
    }

    /// Does the map of items `group` hold `key`?
    pub fn has_key(&self, group: usize, key: &str) -> bool {
        // asked only when a fix is offered: a scan of the items costs less than keeping a set
        self.items
            .iter()
            .any(|i| i.group == group && i.item.key.as_deref() == Some(key))
    }

    /// Where the characters of a scalar start (after an opening quote).
    pub fn content_start(&self, node: Node<'_>) -> usize {
        let quoted = matches!(
            node.written(self.source).as_bytes().first(),
            Some(b'\'' | b'"')
        );
        node.span().start + usize::from(quoted)
    }

    /// The span of bytes `start..end` of a string scalar's value, when the value is written
    /// verbatim in the file (plain, or quoted without escapes other than `''`); the whole node
    /// otherwise.
    pub fn value_span(&self, node: Node<'_>, start: usize, end: usize) -> Span {
        let span = node.span();
        let Some(value) = node.as_str() else {
            return span;
        };
        let raw = node.written(self.source);
        let map = |i: usize| -> Option<usize> {
            match raw.as_bytes().first() {
                Some(b'\'') => {
                    // `''` in the file is one `'` in the value.
                    let inner = raw.get(1..raw.len().saturating_sub(1))?;
                    if inner.replace("''", "'") != value {
                        return None;
                    }
                    let quotes_before = value.get(..i)?.matches('\'').count();
                    Some(span.start + 1 + i + quotes_before)
                }
                Some(b'"') => {
                    let inner = raw.get(1..raw.len().saturating_sub(1))?;
                    (inner == value).then_some(span.start + 1 + i)
                }
                Some(b'|' | b'>') => None,
                _ => raw.starts_with(value).then_some(span.start + i),
            }
        };
        match (map(start), map(end)) {
            (Some(s), Some(e)) if value.is_char_boundary(start) && value.is_char_boundary(end) => {
                Span::new(s, e)
            }
            _ => span,
        }
    }

    /// Is this string scalar written verbatim (so that byte edits inside it are exact)?
    pub fn verbatim(&self, node: Node<'_>) -> bool {
        let Some(value) = node.as_str() else {
            return false;
        };
        let raw = node.written(self.source);
        match raw.as_bytes().first() {
            Some(b'\'' | b'"') => raw.get(1..raw.len() - 1) == Some(value),
            Some(b'|' | b'>') => false,
            _ => raw == value,
        }
    }

    /// A top-level string field with its node.
    pub fn string(&self, key: &str) -> Option<(&'a str, Node<'a>)> {
        let node = self.root.get(key)?;
        Some((node.as_str()?, node))
    }

    /// A top-level list of strings, with each item's node.
    pub fn strings(&self, key: &str) -> Vec<(&'a str, Node<'a>)> {
        strings(self.root, key)
    }

    /// The rule's tags with their nodes.
    pub fn tags(&self) -> &[(&'a str, Node<'a>)] {
        &self.tags
    }

    /// A `logsource` value.
    pub fn logsource(&self, key: &str) -> Option<&'a str> {
        string(self.logsource, key)
    }

    /// The log source as (product, category, service).
    pub fn logsource_key(&self) -> Logsource<'a> {
        self.logsource_key
    }

    /// Is this document a detection rule (not a correlation, not a filter)?
    pub fn is_detection_rule(&self) -> bool {
        self.root.get("detection").is_some() && self.root.get("correlation").is_none()
    }

    /// The file name (last path component) of the source, unless it is standard input.
    pub fn file_name(&self) -> Option<&'a str> {
        file_name(&self.source.name)
    }

    /// The span of a top-level key, for findings about a missing or whole field.
    pub fn key_span(&self, key: &str) -> Span {
        self.root.key_span(key)
    }

    /// Where to point when a top-level field is missing: the `title` key, or the document.
    pub fn missing_span(&self) -> Span {
        if self.root.get("title").is_some() {
            self.root.key_span("title")
        } else {
            Span::new(self.root.span().start, self.root.span().start)
        }
    }

    /// How many of the rule's search identifiers a selector (`1 of sel_*`, `all of them`) names.
    pub fn selected(&self, target: &Target) -> usize {
        self.idents
            .iter()
            .filter(|i| sigc_compiler::lower::selects(target, &i.name))
            .count()
    }

    /// Every parsed condition, with its operands: `(target, span in the file)` for selectors and
    /// `(name, span)` for identifiers.
    pub fn condition_parts(&self) -> Vec<Part<'_>> {
        let mut out = Vec::new();
        for c in &self.conditions {
            if let Ok(cond) = &c.parsed {
                walk(cond, c.start, &mut out);
            }
        }
        out
    }
}

/// An operand of a condition.
pub enum Part<'c> {
    Ident(&'c str, Span),
    Selector(&'c condition::Quantifier, &'c Target, Span),
}

fn walk<'c>(cond: &'c Cond, start: usize, out: &mut Vec<Part<'c>>) {
    match cond {
        Cond::Or(xs) | Cond::And(xs) => xs.iter().for_each(|x| walk(x, start, out)),
        Cond::Not(x) => walk(x, start, out),
        Cond::Ident { name, span } => out.push(Part::Ident(name, span.shift(start))),
        Cond::Selector {
            quantifier,
            target,
            span,
        } => out.push(Part::Selector(quantifier, target, span.shift(start))),
    }
}

/// The last path component of a source name; `None` for standard input.
pub fn file_name(name: &str) -> Option<&str> {
    if name == "<stdin>" {
        return None;
    }
    name.rsplit(['/', '\\']).next()
}

/// The strings of the list `key` of the map `root`, with each item's node.
fn strings<'a>(root: Node<'a>, key: &str) -> Vec<(&'a str, Node<'a>)> {
    root.get(key)
        .and_then(|n| n.items())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| Some((n.as_str()?, n)))
        .collect()
}

/// The string value of `key` in `map`, when there is one.
fn string<'a>(map: Option<Node<'a>>, key: &str) -> Option<&'a str> {
    map?.get(key)?.as_str()
}
