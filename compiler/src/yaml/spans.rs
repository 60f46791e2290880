//! Byte spans of every YAML node, from saphyr's marked tree.

use crate::span::Span;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// The positions of one YAML document: a tree shaped like the document.
#[derive(Debug)]
pub struct SpanTree {
    pub span: Span,
    pub kind: SpanKind,
}

/// What a [`SpanTree`] node holds.
#[derive(Debug)]
pub enum SpanKind {
    /// Entries as `(key text, key span, value)`, in document order.
    Map(Vec<(String, Span, SpanTree)>),
    Seq(Vec<SpanTree>),
    Scalar,
}

impl SpanTree {
    /// A node with no children.
    pub fn leaf(span: Span) -> Self {
        SpanTree {
            span,
            kind: SpanKind::Scalar,
        }
    }

    /// The span trees of every non-empty document of `text`.
    pub fn parse(text: &str) -> Result<Vec<SpanTree>, (Span, String)> {
        let offsets = CharOffsets::new(text);
        let docs = MarkedYaml::load_from_str(text).map_err(|e| {
            let at = offsets.byte(e.marker().index());
            (Span::new(at, at), e.info().to_string())
        })?;
        Ok(docs
            .iter()
            .filter(|d| !matches!(d.data, YamlData::Value(Scalar::Null)))
            .map(|d| convert(d, &offsets))
            .collect())
    }

    /// The entry for `key` when this node is a map: `(key span, value tree)`.
    pub fn entry(&self, key: &str) -> Option<(Span, &SpanTree)> {
        match &self.kind {
            SpanKind::Map(entries) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, ks, v)| (*ks, v)),
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

fn convert(node: &MarkedYaml<'_>, offsets: &CharOffsets) -> SpanTree {
    let span = Span::new(
        offsets.byte(node.span.start.index()),
        offsets.byte(node.span.end.index()),
    );
    let kind = match &node.data {
        YamlData::Mapping(map) => SpanKind::Map(
            map.iter()
                .map(|(k, v)| {
                    let key = convert(k, offsets);
                    (scalar_text(k), key.span, convert(v, offsets))
                })
                .collect(),
        ),
        YamlData::Sequence(items) => {
            SpanKind::Seq(items.iter().map(|i| convert(i, offsets)).collect())
        }
        _ => SpanKind::Scalar,
    };
    SpanTree { span, kind }
}

/// The text of a scalar key, as serde_yaml's keys are compared.
fn scalar_text(node: &MarkedYaml<'_>) -> String {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => s.to_string(),
        YamlData::Value(Scalar::Integer(i)) => i.to_string(),
        YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
        YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
        YamlData::Value(Scalar::Null) => "null".to_string(),
        YamlData::Representation(s, _, _) => s.to_string(),
        _ => String::new(),
    }
}

/// Maps saphyr's character indices to byte offsets.
struct CharOffsets {
    /// Byte offset of every character, or empty when the text is ASCII (index = offset).
    bytes: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        }
    }
}
