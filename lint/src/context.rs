//! What a validator sees of one rule document: its YAML tree with positions, the detection
//! section taken apart into items, the parsed conditions, the compiled rule if it compiled.

use super::Config;
use sigc_compiler::condition::{self, Cond, ConditionError, Target};
use sigc_compiler::diagnostic::Source;
use sigc_compiler::ir::Rule;
use sigc_compiler::span::Span;
use sigc_compiler::yaml::Node;
use std::collections::HashSet;
use std::sync::Arc;

/// A search identifier of `detection`.
pub struct Ident<'a> {
    pub name: String,
    pub key_span: Span,
    pub node: Node<'a>,
}

/// One detection item: `Field|mods: values`, or a list of keywords (no field).
pub struct Item<'a> {
    /// The search identifier it belongs to.
    pub ident: String,
    /// Which map of the detection section it is in (items of one map are ANDed).
    pub group: usize,
    /// The whole key as written (`Image|endswith`), `None` for plain keywords.
    pub key: Option<String>,
    pub key_span: Span,
    /// The field name, `None` for keywords.
    pub field: Option<String>,
    /// Modifier names with their spans inside the key.
    pub modifiers: Vec<(String, Span)>,
    /// The value node (a scalar or a list).
    pub node: Node<'a>,
    /// The scalar values.
    pub values: Vec<Node<'a>>,
}

impl Item<'_> {
    /// Does the chain hold this modifier?
    pub fn has(&self, name: &str) -> bool {
        self.modifiers.iter().any(|(m, _)| m == name)
    }

    /// The span where the field name is written (the key's start).
    pub fn field_span(&self, cx: &Ctx<'_>) -> Span {
        let start = cx.content_start(self.key_span);
        let len = self.field.as_ref().map_or(0, String::len);
        Span::new(start, start + len)
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

/// One rule document, as validators see it.
pub struct Ctx<'a> {
    pub source: &'a Arc<Source>,
    pub root: Node<'a>,
    /// The compiled rule, when the document compiled.
    pub rule: Option<&'a Rule>,
    pub config: &'a Config,
    pub idents: Vec<Ident<'a>>,
    pub items: Vec<Item<'a>>,
    pub conditions: Vec<Condition>,
    groups: usize,
    /// The key of every item, with its group.
    keys: HashSet<(usize, String)>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        source: &'a Arc<Source>,
        root: Node<'a>,
        rule: Option<&'a Rule>,
        config: &'a Config,
    ) -> Self {
        let mut cx = Ctx {
            source,
            root,
            rule,
            config,
            idents: Vec::new(),
            items: Vec::new(),
            conditions: Vec::new(),
            groups: 0,
            keys: HashSet::new(),
        };
        let Some(entries) = root.get("detection").and_then(|d| d.entries()) else {
            return cx;
        };
        for (name, key_span, node) in entries {
            match name.as_str() {
                "condition" => {
                    let nodes = node.items().unwrap_or_else(|| vec![node]);
                    for n in nodes {
                        if let Some(text) = n.as_str() {
                            let start = cx.content_start(n.span());
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
                    cx.collect_items(&name, node);
                    cx.idents.push(Ident {
                        name,
                        key_span,
                        node,
                    });
                }
            }
        }
        cx
    }

    fn collect_items(&mut self, ident: &str, node: Node<'a>) {
        if let Some(entries) = node.entries() {
            self.groups += 1;
            for (key, key_span, value) in entries {
                self.keys.insert((self.groups, key.clone()));
                self.items.push(self.item(ident, key, key_span, value));
            }
        } else if let Some(list) = node.items() {
            let (maps, plain): (Vec<_>, Vec<_>) =
                list.into_iter().partition(|n| n.entries().is_some());
            for map in maps {
                self.collect_items(ident, map);
            }
            if !plain.is_empty() {
                self.groups += 1;
                self.items.push(Item {
                    ident: ident.to_string(),
                    group: self.groups,
                    key: None,
                    key_span: node.span(),
                    field: None,
                    modifiers: Vec::new(),
                    node,
                    values: plain,
                });
            }
        } else {
            self.groups += 1;
            self.items.push(Item {
                ident: ident.to_string(),
                group: self.groups,
                key: None,
                key_span: node.span(),
                field: None,
                modifiers: Vec::new(),
                node,
                values: vec![node],
            });
        }
    }

    fn item(&self, ident: &str, key: String, key_span: Span, value: Node<'a>) -> Item<'a> {
        let mut parts = key.split('|');
        let field = parts.next().unwrap_or_default().to_string();
        let mut offset = self.content_start(key_span) + field.len() + 1;
        let modifiers = parts
            .map(|m| {
                let span = Span::new(offset, offset + m.len());
                offset += m.len() + 1;
                (m.to_string(), span)
            })
            .collect();
        let values = value
            .items()
            .unwrap_or_else(|| vec![value])
            .into_iter()
            .filter(|n| n.entries().is_none() && n.items().is_none())
            .collect();
        Item {
            ident: ident.to_string(),
            group: self.groups,
            key_span,
            field: (!field.is_empty()).then_some(field),
            key: Some(key),
            modifiers,
            node: value,
            values,
        }
    }

    /// Does the map of items `group` hold `key`?
    pub fn has_key(&self, group: usize, key: &str) -> bool {
        self.keys.contains(&(group, key.to_string()))
    }

    /// The text of `span` in the file.
    pub fn text(&self, span: Span) -> &'a str {
        self.source.text.get(span.start..span.end).unwrap_or("")
    }

    /// Where the characters of a scalar start (after an opening quote).
    pub fn content_start(&self, span: Span) -> usize {
        match self.source.text.as_bytes().get(span.start) {
            Some(b'\'' | b'"') => span.start + 1,
            _ => span.start,
        }
    }

    /// The span of bytes `start..end` of a string scalar's value, when the value is written
    /// verbatim in the file (plain, or quoted without escapes other than `''`); the whole node
    /// otherwise.
    pub fn value_span(&self, node: Node<'_>, start: usize, end: usize) -> Span {
        let span = node.span();
        let Some(value) = node.as_str() else {
            return span;
        };
        let raw = self.text(span);
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
        let raw = self.text(node.span());
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
        self.root
            .get(key)
            .and_then(|n| n.items())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|n| Some((n.as_str()?, n)))
            .collect()
    }

    /// The rule's tags with their nodes.
    pub fn tags(&self) -> Vec<(&'a str, Node<'a>)> {
        self.strings("tags")
    }

    /// A `logsource` value.
    pub fn logsource(&self, key: &str) -> Option<&'a str> {
        self.root.get("logsource")?.get(key)?.as_str()
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
