//! One pass over saphyr's parser events builds every document's [`serde_yaml::Value`] and its
//! [`SpanTree`] together.
//!
//! The values are the ones serde_yaml would build from the same text: scalars resolve by its
//! rules ([`super::scalar`]), a duplicate key, a core tag that does not fit its scalar, an alias
//! to an anchor of another document, and alias expansion past serde_yaml's own repetition and
//! recursion limits are errors worded as serde_yaml words them. Such an error is kept and
//! reported once the file has been read, so that a limit passed later in the file, which
//! refuses the file before serde_yaml would have read it, still wins, as it did when serde_yaml
//! ran second.
//!
//! This pass is also where the shape of a file is bounded: nesting depth, documents per file
//! and the size the file expands to (an alias counted as the node it stands for) are counted
//! event by event, so a hostile file is refused after reading at most a limit's worth of it,
//! before anything expands. The tree is built with an explicit stack (no recursion).

use super::fast;
use super::scalar;
use super::spans::{SpanKind, SpanMap, SpanTree};
use super::{Document, SMALL_MAP};
use crate::span::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, Tag as ParsedTag};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};
use std::borrow::Cow;
use std::collections::HashMap;

use crate::limits::{
    MAX_DOCUMENTS, MAX_YAML_DEPTH as MAX_DEPTH, MAX_YAML_EXPANDED_BYTES, MAX_YAML_EXPANDED_NODES,
};

/// serde_yaml's nesting limit, which only aliases can reach past [`MAX_DEPTH`].
const SERDE_DEPTH: usize = 128;

/// serde_yaml refuses a document whose aliases are followed more than this many times per event.
const SERDE_REPETITIONS_PER_EVENT: usize = 100;

/// Why a file could not be read.
#[derive(Debug)]
pub struct ParseError {
    /// Byte offset in the file.
    pub at: usize,
    pub kind: ErrorKind,
    pub message: String,
}

/// What kind of [`ParseError`].
#[derive(Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// saphyr could not read the text.
    Syntax,
    /// The text reads, but serde_yaml would refuse its meaning (a duplicate key, …).
    Meaning,
    /// A limit was passed: `yaml_too_deep`, `too_many_documents` or `yaml_too_large`.
    Limit(&'static str),
}

/// How a key written twice in one map is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Duplicates {
    /// An error, as serde_yaml reads it (rule files, pipelines).
    #[default]
    Refused,
    /// The last value wins, as PyYAML reads it (sigma-cli's configuration files).
    LastWins,
}

/// A key that a later one of the same map replaced ([`Duplicates::LastWins`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    /// The key's text (its YAML text when it is not a string).
    pub key: String,
    /// The key that was replaced.
    pub earlier: Span,
    /// The key that replaced it.
    pub later: Span,
}

/// The documents of `text`, whose byte 0 is byte `base` of the file (past a byte order mark),
/// reading duplicate keys as `duplicates` says; the keys replaced come with them. Null
/// documents are left out, as the loader has always done.
///
/// The events come from the fast reader when the text is in its subset; any other text, and
/// any text whose reading fails, is read again from saphyr's events, so that an error is the
/// one saphyr's reading has always given.
pub fn documents_with(
    text: &str,
    base: usize,
    duplicates: Duplicates,
) -> Result<(Vec<Document>, Vec<Replaced>), ParseError> {
    if let Ok(events) = fast::events(text, base) {
        let sizes = collection_sizes(&events);
        if let Ok(read) = build(events.into_iter().map(Ok), duplicates, sizes) {
            return Ok(read);
        }
    }
    build(saphyr_events(text, base), duplicates, Vec::new())
}

/// The number of children (keys and values, or items) of each collection of `events`, in the
/// order they open: what a collection is allocated for when it opens.
fn collection_sizes(events: &[(Event<'_>, Span)]) -> Vec<usize> {
    // a collection takes two events at least, and rules nest a few levels deep
    let mut sizes = Vec::with_capacity(events.len() / 4);
    // the open collections' indices into `sizes`
    let mut open: Vec<usize> = Vec::with_capacity(8);
    for (event, _) in events {
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if let Some(&parent) = open.last() {
                    sizes[parent] += 1;
                }
                open.push(sizes.len());
                sizes.push(0);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
            }
            Event::Scalar(..) | Event::Alias(_) => {
                if let Some(&parent) = open.last() {
                    sizes[parent] += 1;
                }
            }
            _ => {}
        }
    }
    sizes
}

/// The documents the `events` describe; `sizes` are their collections' sizes, in the order they
/// open, where known ([`collection_sizes`]).
fn build<'t>(
    events: impl Iterator<Item = Result<(Event<'t>, Span), ParseError>>,
    duplicates: Duplicates,
    sizes: Vec<usize>,
) -> Result<(Vec<Document>, Vec<Replaced>), ParseError> {
    let mut builder = Builder {
        duplicates,
        sizes: sizes.into_iter(),
        ..Builder::default()
    };
    for event in events {
        let (event, span) = event?;
        builder.event(event, span)?;
    }
    match builder.refused {
        Some(e) => Err(e),
        None => Ok((builder.docs, builder.replaced)),
    }
}

/// saphyr's parser events of `text`, with byte spans in the file (`text` starts at `base`).
pub(super) fn saphyr_events(
    text: &str,
    base: usize,
) -> impl Iterator<Item = Result<(Event<'_>, Span), ParseError>> {
    let offsets = CharOffsets::new(text, base);
    Parser::new_from_str(text).map(move |event| {
        let (event, span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            // saphyr's own bound on flow nesting, met while scanning ahead of the events
            if e.info() == "recursion limit exceeded" {
                too_deep(at)
            } else {
                ParseError {
                    at,
                    kind: ErrorKind::Syntax,
                    message: e.info().to_string(),
                }
            }
        })?;
        let span = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        Ok((event, span))
    })
}

/// A size of YAML as serde_yaml builds it: nodes and bytes of scalar text (the file's budget),
/// and aliases followed (serde_yaml's repetition count).
#[derive(Clone, Copy, Debug, Default)]
struct Expanded {
    nodes: usize,
    bytes: usize,
    aliases: usize,
}

impl Expanded {
    fn since(self, start: Expanded) -> Expanded {
        Expanded {
            nodes: self.nodes - start.nodes,
            bytes: self.bytes - start.bytes,
            aliases: self.aliases - start.aliases,
        }
    }
}

/// An anchored node, as an alias to it expands.
struct Anchor {
    value: Value,
    size: Expanded,
    /// Collections nested in it, itself included.
    height: usize,
}

/// A collection whose end event has not come yet.
struct Open<'t> {
    start: usize,
    anchor: usize,
    tag: Option<Tag>,
    /// The file's expanded size when it started.
    before: Expanded,
    /// Collections nested in it so far, itself included.
    height: usize,
    body: Body<'t>,
}

enum Body<'t> {
    Map {
        map: Mapping,
        spans: Vec<(Span, SpanTree)>,
        /// The key read, waiting for its value.
        key: Option<Key<'t>>,
    },
    Seq {
        items: Vec<Value>,
        spans: Vec<SpanTree>,
    },
}

struct Key<'t> {
    value: Value,
    span: Span,
    /// How serde_yaml names the entry in an error's path: by the key's text when the key is
    /// a scalar, `?` otherwise.
    name: Option<Cow<'t, str>>,
}

/// A key's text for a message: a scalar key as written, another as `?`.
fn name_of(key: &Key<'_>) -> String {
    key.name.as_deref().unwrap_or("?").to_string()
}

/// The index of `key` in `map`, if it holds it.
fn position(map: &Mapping, key: &Value) -> Option<usize> {
    if map.len() > SMALL_MAP && !map.contains_key(key) {
        return None;
    }
    map.keys().position(|k| same(k, key))
}

/// `a == b`, two string keys (the common case) compared here: most keys of a map differ in their
/// length or first byte, and need no call to compare their texts.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => {
            a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
        }
        _ => a == b,
    }
}

/// The current document: what serde_yaml's repetition limit counts.
#[derive(Default)]
struct DocumentCount {
    start: usize,
    events: usize,
    aliases: usize,
}

#[derive(Default)]
struct Builder<'t> {
    /// Open collections, outermost first.
    stack: Vec<Open<'t>>,
    documents: usize,
    docs: Vec<Document>,
    document: DocumentCount,
    /// The size of the file so far with every alias expanded.
    expanded: Expanded,
    /// This document's anchors, by saphyr's anchor id.
    anchors: HashMap<usize, Anchor>,
    /// The first error in meaning, reported when the file has been read.
    refused: Option<ParseError>,
    duplicates: Duplicates,
    /// Keys replaced by a later one ([`Duplicates::LastWins`]).
    replaced: Vec<Replaced>,
    /// The sizes of the collections still to open, where known ([`collection_sizes`]).
    sizes: std::vec::IntoIter<usize>,
}

impl<'t> Builder<'t> {
    fn event(&mut self, event: Event<'t>, span: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > MAX_DOCUMENTS {
                    return Err(ParseError {
                        at: span.start,
                        kind: ErrorKind::Limit("too_many_documents"),
                        message: format!(
                            "file holds more than {MAX_DOCUMENTS} YAML documents, the most sigc reads from one file"
                        ),
                    });
                }
                self.anchors.clear();
                self.document = DocumentCount {
                    start: span.start,
                    ..DocumentCount::default()
                };
            }
            Event::DocumentEnd => {
                let doc = &self.document;
                if doc.aliases > doc.events * SERDE_REPETITIONS_PER_EVENT {
                    self.refuse(doc.start, "repetition limit exceeded".to_string());
                }
            }
            Event::MappingStart(anchor, tag) => {
                let entries = self.sizes.next().unwrap_or(0) / 2;
                let body = Body::Map {
                    map: Mapping::with_capacity(entries),
                    spans: Vec::with_capacity(entries),
                    key: None,
                };
                self.open(body, anchor, tag, span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                let items = self.sizes.next().unwrap_or(0);
                let body = Body::Seq {
                    items: Vec::with_capacity(items),
                    spans: Vec::with_capacity(items),
                };
                self.open(body, anchor, tag, span)?;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.document.events += 1;
                if let Some(open) = self.stack.pop() {
                    self.close(open, span);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(text, style, anchor, tag, span)?
            }
            Event::Alias(anchor) => self.alias(anchor, span)?,
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Opens a collection (anchored when `anchor` is not 0) at `span`.
    fn open(
        &mut self,
        body: Body<'t>,
        anchor: usize,
        tag: Option<Cow<'t, ParsedTag>>,
        span: Span,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(span.start));
        }
        self.document.events += 1;
        let before = self.expanded;
        self.grow(
            Expanded {
                nodes: 1,
                ..Expanded::default()
            },
            span,
        )?;
        self.stack.push(Open {
            start: span.start,
            anchor,
            tag: scalar::collection_tag(tag.as_deref()),
            before,
            height: 1,
            body,
        });
        Ok(())
    }

    /// Finishes a collection whose end event is at `end`.
    fn close(&mut self, open: Open<'t>, end: Span) {
        let (value, kind) = match open.body {
            Body::Map { map, spans, .. } => {
                let spans = SpanMap::new(spans, &map);
                (Value::Mapping(map), SpanKind::Map(spans))
            }
            Body::Seq { items, spans } => (Value::Sequence(items), SpanKind::Seq(spans)),
        };
        let value = match open.tag {
            Some(tag) => Value::Tagged(Box::new(TaggedValue { tag, value })),
            None => value,
        };
        if open.anchor != 0 {
            let anchor = Anchor {
                value: value.clone(),
                size: self.expanded.since(open.before),
                height: open.height,
            };
            self.anchors.insert(open.anchor, anchor);
        }
        let tree = SpanTree {
            span: Span::new(open.start, end.start),
            kind,
        };
        self.add(value, tree, open.height, None);
    }

    fn scalar(
        &mut self,
        text: Cow<'t, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'t, ParsedTag>>,
        span: Span,
    ) -> Result<(), ParseError> {
        self.document.events += 1;
        let size = Expanded {
            nodes: 1,
            bytes: text.len(),
            aliases: 0,
        };
        self.grow(size, span)?;
        let name = self.awaits_key().then(|| text.clone());
        let value = scalar::resolve(text, style, tag.as_deref()).unwrap_or_else(|message| {
            let path = self.path(true);
            self.refuse(span.start, with_path(&path, &message));
            Value::Null
        });
        if anchor != 0 {
            let anchor_value = Anchor {
                value: value.clone(),
                size,
                height: 0,
            };
            self.anchors.insert(anchor, anchor_value);
        }
        self.add(value, SpanTree::leaf(span), 0, name);
        Ok(())
    }

    fn alias(&mut self, anchor: usize, span: Span) -> Result<(), ParseError> {
        self.document.events += 1;
        let Some(Anchor {
            value,
            size,
            height,
        }) = self.anchors.get(&anchor)
        else {
            // an anchor still open stands for itself: serde_yaml recurses until its limit,
            // at the anchored collection; saphyr keeps other documents' anchors, serde_yaml not
            match self.stack.iter().find(|open| open.anchor == anchor) {
                Some(open) => self.refuse(open.start, "recursion limit exceeded".to_string()),
                None => self.refuse(span.start, "unknown anchor".to_string()),
            }
            self.add(Value::Null, SpanTree::leaf(span), 0, None);
            return Ok(());
        };
        let (value, size, height) = (value.clone(), *size, *height);
        self.grow(size, span)?;
        let followed = 1 + size.aliases;
        self.expanded.aliases += followed;
        self.document.aliases += followed;
        if self.stack.len() + height > SERDE_DEPTH {
            self.refuse(span.start, "recursion limit exceeded".to_string());
        }
        self.add(value, SpanTree::leaf(span), height, None);
        Ok(())
    }

    /// Adds `size` to the file's expanded size; an error at `span` once it passes the limits.
    fn grow(&mut self, size: Expanded, span: Span) -> Result<(), ParseError> {
        self.expanded.nodes = self.expanded.nodes.saturating_add(size.nodes);
        self.expanded.bytes = self.expanded.bytes.saturating_add(size.bytes);
        if self.expanded.nodes > MAX_YAML_EXPANDED_NODES
            || self.expanded.bytes > MAX_YAML_EXPANDED_BYTES
        {
            return Err(ParseError {
                at: span.start,
                kind: ErrorKind::Limit("yaml_too_large"),
                message: format!(
                    "the YAML expands to more than {MAX_YAML_EXPANDED_NODES} nodes or {} MiB of text (aliases counted as what they stand for), the most sigc reads from one file",
                    MAX_YAML_EXPANDED_BYTES >> 20
                ),
            });
        }
        Ok(())
    }

    /// Whether the next node is a map key.
    fn awaits_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Open {
                body: Body::Map { key: None, .. },
                ..
            })
        )
    }

    /// Places a finished node: as a document root, a sequence item, a map key or a map value.
    /// `name` is a scalar key's text.
    fn add(&mut self, value: Value, tree: SpanTree, height: usize, name: Option<Cow<'t, str>>) {
        let Some(open) = self.stack.last_mut() else {
            if !value.is_null() {
                self.docs.push(Document { value, spans: tree });
            }
            return;
        };
        open.height = open.height.max(height + 1);
        let mut replaced = None;
        let duplicate_key = match &mut open.body {
            Body::Seq { items, spans } => {
                items.push(value);
                spans.push(tree);
                None
            }
            Body::Map { map, spans, key } => match key.take() {
                Some(key) => {
                    // a key written twice was refused when it was read, unless the last wins
                    let earlier = (self.duplicates == Duplicates::LastWins)
                        .then(|| position(map, &key.value))
                        .flatten();
                    match earlier {
                        // only when the last wins: a duplicate is refused at its key otherwise
                        Some(i) => {
                            replaced = Some(Replaced {
                                key: name_of(&key),
                                earlier: spans[i].0,
                                later: key.span,
                            });
                            spans[i] = (key.span, tree);
                        }
                        None => spans.push((key.span, tree)),
                    }
                    map.insert(key.value, value);
                    None
                }
                None => {
                    // worded with the key already in the map, as serde_yaml words it
                    let duplicate = (self.duplicates == Duplicates::Refused)
                        .then(|| position(map, &value))
                        .flatten()
                        .and_then(|i| map.keys().nth(i))
                        .map(duplicate);
                    *key = Some(Key {
                        value,
                        span: tree.span,
                        name,
                    });
                    duplicate.map(|message| (open.start, message))
                }
            },
        };
        self.replaced.extend(replaced);
        if let Some((at, message)) = duplicate_key {
            let path = self.path(false);
            self.refuse(at, with_path(&path, &message));
        }
    }

    /// Keeps the first error in meaning.
    fn refuse(&mut self, at: usize, message: String) {
        if self.refused.is_none() {
            self.refused = Some(ParseError {
                at,
                kind: ErrorKind::Meaning,
                message,
            });
        }
    }

    /// serde_yaml's path to the innermost open collection, or with `next`, to the node being
    /// read in it: `.` for the root, `a.b[2].?` below it (a key's own path is its map's).
    fn path(&self, next: bool) -> String {
        let mut path = String::new();
        let levels = self.stack.len().saturating_sub(1) + usize::from(next);
        for parent in self.stack.iter().take(levels) {
            match &parent.body {
                Body::Seq { items, .. } => {
                    if path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&format!("[{}]", items.len()));
                }
                Body::Map { key: Some(key), .. } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key.name.as_deref().unwrap_or("?"));
                }
                Body::Map { key: None, .. } => {}
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        path
    }
}

/// serde_yaml's message for a key met twice in one map.
fn duplicate(key: &Value) -> String {
    match key {
        Value::Null => "duplicate entry with null key".to_string(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => {
            "duplicate entry in YAML map".to_string()
        }
    }
}

/// An error message with serde_yaml's path in front, as serde_yaml prints it.
fn with_path(path: &str, message: &str) -> String {
    if path == "." {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }
}

fn too_deep(at: usize) -> ParseError {
    ParseError {
        at,
        kind: ErrorKind::Limit("yaml_too_deep"),
        message: format!("YAML nested deeper than {MAX_DEPTH} levels, the most sigc reads"),
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
