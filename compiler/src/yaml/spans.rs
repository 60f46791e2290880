//! Byte spans of every YAML node, built from saphyr's parser events.
//!
//! This pass runs before serde_yaml reads the meaning, and it is where the shape of a file is
//! bounded: nesting depth, documents per file and the size the file expands to (an alias counted
//! as the node it stands for, as serde_yaml will build it) are counted event by event, so a
//! hostile file is refused after reading at most a limit's worth of it, before anything expands. The tree is built with an explicit stack
//! (no recursion), and each map keeps an index from key to entry, so lookups are constant time.

use crate::span::Span;
use saphyr::{Scalar, ScalarStyle, Tag};
use saphyr_parser::{Event, Parser};
use std::borrow::Cow;
use std::collections::HashMap;

use crate::limits::{
    MAX_DOCUMENTS, MAX_YAML_DEPTH as MAX_DEPTH, MAX_YAML_EXPANDED_BYTES, MAX_YAML_EXPANDED_NODES,
};

/// The positions of one YAML document: a tree shaped like the document.
#[derive(Clone, Debug)]
pub struct SpanTree {
    pub span: Span,
    pub kind: SpanKind,
}

/// What a [`SpanTree`] node holds.
#[derive(Clone, Debug)]
pub enum SpanKind {
    Map(SpanMap),
    Seq(Vec<SpanTree>),
    Scalar,
}

/// Map entries `(key text, key span, value)` in document order, indexed by key text.
#[derive(Clone, Debug, Default)]
pub struct SpanMap {
    pub entries: Vec<(String, Span, SpanTree)>,
    /// The first entry of each key.
    index: HashMap<String, usize>,
}

impl SpanMap {
    /// The spans of `map`'s entries, which are `entries` (key span, value tree) in order.
    pub fn new(entries: Vec<(Span, SpanTree)>, map: &serde_yaml::Mapping) -> Self {
        let mut spans = SpanMap::default();
        for (key, (key_span, tree)) in map.keys().zip(entries) {
            spans.push(super::node::key_text(key), key_span, tree);
        }
        spans
    }

    fn push(&mut self, key: String, key_span: Span, value: SpanTree) {
        self.index.entry(key.clone()).or_insert(self.entries.len());
        self.entries.push((key, key_span, value));
    }
}

/// Why a file's span tree could not be built.
#[derive(Debug)]
pub struct SpanError {
    /// Byte offset in the text.
    pub at: usize,
    /// `yaml_syntax`, or the limit that was passed: `yaml_too_deep`, `too_many_documents`,
    /// `yaml_too_large`.
    pub code: &'static str,
    pub message: String,
}

impl SpanTree {
    /// A node with no children.
    pub fn leaf(span: Span) -> Self {
        SpanTree {
            span,
            kind: SpanKind::Scalar,
        }
    }

    /// The span trees of every non-null document of `text`, whose byte 0 is byte `base` of the
    /// file (past a byte order mark).
    pub fn parse(text: &str, base: usize) -> Result<Vec<SpanTree>, SpanError> {
        let offsets = CharOffsets::new(text, base);
        let mut builder = Builder::default();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| {
                let at = offsets.byte(e.marker().index());
                // saphyr's own bound on flow nesting, met while scanning ahead of the events
                if e.info() == "recursion limit exceeded" {
                    too_deep(at)
                } else {
                    SpanError {
                        at,
                        code: "yaml_syntax",
                        message: e.info().to_string(),
                    }
                }
            })?;
            let span = Span::new(
                offsets.byte(span.start.index()),
                offsets.byte(span.end.index()),
            );
            builder.event(event, span)?;
        }
        Ok(builder.docs)
    }

    /// The entry for `key` when this node is a map: `(key span, value tree)`.
    pub fn entry(&self, key: &str) -> Option<(Span, &SpanTree)> {
        match &self.kind {
            SpanKind::Map(map) => {
                let (_, key_span, value) = &map.entries[*map.index.get(key)?];
                Some((*key_span, value))
            }
            _ => None,
        }
    }

    /// The `i`-th element when this node is a sequence.
    pub fn item(&self, i: usize) -> Option<&SpanTree> {
        match &self.kind {
            SpanKind::Seq(items) => items.get(i),
            _ => None,
        }
    }
}

/// A collection whose end event has not come yet.
enum Open {
    /// A map, with the key read and waiting for its value.
    Map(SpanMap, Option<(String, Span)>),
    Seq(Vec<SpanTree>),
}

#[derive(Default)]
struct Builder {
    /// Open collections, outermost first, each with its start offset, its anchor and the
    /// expanded size of the file when it started.
    stack: Vec<(usize, Open, usize, Expanded)>,
    documents: usize,
    docs: Vec<SpanTree>,
    /// The size of the file so far with every alias expanded.
    expanded: Expanded,
    /// The expanded size of each anchored node, by anchor id.
    anchors: HashMap<usize, Expanded>,
}

/// A size of YAML as serde_yaml builds it: nodes, and bytes of scalar text.
#[derive(Clone, Copy, Debug, Default)]
struct Expanded {
    nodes: usize,
    bytes: usize,
}

impl Expanded {
    fn since(self, start: Expanded) -> Expanded {
        Expanded {
            nodes: self.nodes - start.nodes,
            bytes: self.bytes - start.bytes,
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SpanError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > MAX_DOCUMENTS {
                    return Err(SpanError {
                        at: span.start,
                        code: "too_many_documents",
                        message: format!(
                            "file holds more than {MAX_DOCUMENTS} YAML documents, the most sigc reads from one file"
                        ),
                    });
                }
            }
            Event::MappingStart(anchor, _) => {
                self.open(Open::Map(SpanMap::default(), None), anchor, span)?;
            }
            Event::SequenceStart(anchor, _) => self.open(Open::Seq(Vec::new()), anchor, span)?,
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((start, open, anchor, before)) = self.stack.pop() {
                    if anchor != 0 {
                        self.anchors.insert(anchor, self.expanded.since(before));
                    }
                    let kind = match open {
                        Open::Map(map, _) => SpanKind::Map(map),
                        Open::Seq(items) => SpanKind::Seq(items),
                    };
                    let tree = SpanTree {
                        span: Span::new(start, span.start),
                        kind,
                    };
                    self.add(tree, String::new, false);
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let size = Expanded {
                    nodes: 1,
                    bytes: value.len(),
                };
                self.grow(size, span)?;
                if anchor != 0 {
                    self.anchors.insert(anchor, size);
                }
                let null = matches!(
                    Scalar::parse_from_cow_and_metadata(value.clone(), style, tag.as_ref()),
                    Some(Scalar::Null)
                );
                self.add(SpanTree::leaf(span), || key_text(value, style, tag), null);
            }
            Event::Alias(anchor) => {
                let size = self.anchors.get(&anchor).copied().unwrap_or_default();
                self.grow(size, span)?;
                self.add(SpanTree::leaf(span), String::new, false);
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Opens a collection (anchored when `anchor` is not 0) at `span`.
    fn open(&mut self, open: Open, anchor: usize, span: Span) -> Result<(), SpanError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(span.start));
        }
        let before = self.expanded;
        self.grow(Expanded { nodes: 1, bytes: 0 }, span)?;
        self.stack.push((span.start, open, anchor, before));
        Ok(())
    }

    /// Adds `size` to the file's expanded size; an error at `span` once it passes the limits.
    fn grow(&mut self, size: Expanded, span: Span) -> Result<(), SpanError> {
        self.expanded.nodes = self.expanded.nodes.saturating_add(size.nodes);
        self.expanded.bytes = self.expanded.bytes.saturating_add(size.bytes);
        if self.expanded.nodes > MAX_YAML_EXPANDED_NODES
            || self.expanded.bytes > MAX_YAML_EXPANDED_BYTES
        {
            return Err(SpanError {
                at: span.start,
                code: "yaml_too_large",
                message: format!(
                    "the YAML expands to more than {MAX_YAML_EXPANDED_NODES} nodes or {} MiB of text (aliases counted as what they stand for), the most sigc reads from one file",
                    MAX_YAML_EXPANDED_BYTES >> 20
                ),
            });
        }
        Ok(())
    }

    /// Places a finished node: as a document root, a sequence item, a map key or a map value.
    /// `key` is its text, asked for only when it is a key; `null` tells a null document root.
    fn add(&mut self, tree: SpanTree, key: impl FnOnce() -> String, null: bool) {
        match self.stack.last_mut() {
            None if null => {}
            None => self.docs.push(tree),
            Some((_, Open::Seq(items), ..)) => items.push(tree),
            Some((_, Open::Map(map, pending), ..)) => match pending.take() {
                None => *pending = Some((key(), tree.span)),
                Some((k, key_span)) => map.push(k, key_span, tree),
            },
        }
    }
}

fn too_deep(at: usize) -> SpanError {
    SpanError {
        at,
        code: "yaml_too_deep",
        message: format!("YAML nested deeper than {MAX_DEPTH} levels, the most sigc reads"),
    }
}

/// The text of a scalar key, as serde_yaml's keys are compared (see [`super::node::key_text`]).
fn key_text(value: Cow<'_, str>, style: ScalarStyle, tag: Option<Cow<'_, Tag>>) -> String {
    match Scalar::parse_from_cow_and_metadata(value.clone(), style, tag.as_ref()) {
        Some(Scalar::String(s)) => s.into_owned(),
        Some(Scalar::Integer(i)) => i.to_string(),
        Some(Scalar::FloatingPoint(f)) => f.to_string(),
        Some(Scalar::Boolean(b)) => b.to_string(),
        Some(Scalar::Null) => "null".to_string(),
        None => value.into_owned(),
    }
}

/// Maps saphyr's character indices to byte offsets in the file.
struct CharOffsets {
    /// Byte offset of every character, or empty when the text is ASCII (index = offset).
    bytes: Vec<usize>,
    len: usize,
    base: usize,
}

impl CharOffsets {
    fn new(text: &str, base: usize) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            bytes,
            len: text.len(),
            base,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.base
            + if self.bytes.is_empty() {
                char_index.min(self.len)
            } else {
                self.bytes.get(char_index).copied().unwrap_or(self.len)
            }
    }
}
