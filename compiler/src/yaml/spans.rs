//! Byte spans of every YAML node: a tree shaped like the document's [`serde_yaml::Value`].

use super::SMALL_MAP;
use crate::span::Span;
use serde_yaml::Mapping;
use std::collections::HashMap;

/// The positions of one YAML node and its children.
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
    /// A scalar, or an alias (whose children have no positions of their own).
    Scalar,
}

/// The `(key span, value tree)` of each entry of a map, in the order of its [`Mapping`].
#[derive(Clone, Debug, Default)]
pub struct SpanMap {
    pub entries: Vec<(Span, SpanTree)>,
    /// Position of each string key, for large maps.
    index: Option<HashMap<String, usize>>,
}

impl SpanMap {
    /// The spans of `map`'s entries, which are `entries` in order.
    pub fn new(entries: Vec<(Span, SpanTree)>, map: &Mapping) -> Self {
        let index = (entries.len() > SMALL_MAP).then(|| {
            let mut index = HashMap::with_capacity(map.len());
            for (i, key) in map.keys().enumerate() {
                if let Some(key) = key.as_str() {
                    index.entry(key.to_string()).or_insert(i);
                }
            }
            index
        });
        SpanMap { entries, index }
    }
}

impl SpanTree {
    /// A node with no children.
    pub fn leaf(span: Span) -> Self {
        SpanTree {
            span,
            kind: SpanKind::Scalar,
        }
    }

    /// The entry for the string key `key` of `map`, the value this tree belongs to:
    /// `(key span, value tree)`.
    pub fn entry(&self, map: &Mapping, key: &str) -> Option<(Span, &SpanTree)> {
        let SpanKind::Map(spans) = &self.kind else {
            return None;
        };
        let i = match &spans.index {
            Some(index) => *index.get(key)?,
            None => map.keys().position(|k| k.as_str() == Some(key))?,
        };
        spans
            .entries
            .get(i)
            .map(|(key_span, tree)| (*key_span, tree))
    }

    /// The `i`-th entry of a map, or element of a sequence.
    pub fn item(&self, i: usize) -> Option<(Span, &SpanTree)> {
        match &self.kind {
            SpanKind::Map(map) => map.entries.get(i).map(|(key_span, tree)| (*key_span, tree)),
            SpanKind::Seq(items) => items.get(i).map(|tree| (tree.span, tree)),
            SpanKind::Scalar => None,
        }
    }
}
