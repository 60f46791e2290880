//! A YAML value together with its position.

use super::SMALL_MAP;
use super::spans::SpanTree;
use crate::diagnostic::Source;
use crate::span::Span;
use serde_yaml::Value;
use std::borrow::Cow;

/// A read-only cursor over a YAML value and, where known, its span tree.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    pub value: &'a Value,
    tree: Option<&'a SpanTree>,
    /// Where to point when this node has no span of its own (its nearest located ancestor).
    fallback: Span,
}

impl<'a> Node<'a> {
    pub fn new(value: &'a Value, tree: Option<&'a SpanTree>) -> Self {
        Node {
            value,
            tree,
            fallback: tree.map_or(Span::default(), |t| t.span),
        }
    }

    /// The node's span (or its nearest ancestor's).
    pub fn span(&self) -> Span {
        self.tree.map_or(self.fallback, |t| t.span)
    }

    /// The value of `key` when this node is a map.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let map = self.value.as_mapping()?;
        if map.len() > SMALL_MAP {
            let value = map.get(key)?;
            let entry = self.tree.and_then(|t| t.entry(map, key));
            return Some(self.child(value, entry.map(|(_, t)| t)));
        }
        // a short scan costs less than hashing the key (twice, for the value and its span)
        let (i, value) = map
            .iter()
            .enumerate()
            .find_map(|(i, (k, v))| (k.as_str() == Some(key)).then_some((i, v)))?;
        let entry = self.tree.and_then(|t| t.item(i));
        Some(self.child(value, entry.map(|(_, t)| t)))
    }

    /// The span of `key` itself when this node is a map holding it.
    pub fn key_span(&self, key: &str) -> Span {
        self.value
            .as_mapping()
            .zip(self.tree)
            .and_then(|(map, t)| t.entry(map, key))
            .map_or(self.span(), |(ks, _)| ks)
    }

    /// Whether this node is a map.
    pub fn is_map(&self) -> bool {
        self.value.is_mapping()
    }

    /// Entries `(key text, key span, value)` when this node is a map; `None` otherwise.
    /// Non-string keys are given as their YAML text.
    pub fn entries(&self) -> Option<Vec<(Cow<'a, str>, Span, Node<'a>)>> {
        let map = self.value.as_mapping()?;
        Some(
            map.iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    let entry = self.tree.and_then(|t| t.item(i));
                    let key_span = entry.map_or(self.span(), |(ks, _)| ks);
                    (key_text(k), key_span, self.child(v, entry.map(|(_, t)| t)))
                })
                .collect(),
        )
    }

    /// Items when this node is a sequence; `None` otherwise.
    pub fn items(&self) -> Option<Vec<Node<'a>>> {
        let seq = self.value.as_sequence()?;
        Some(
            seq.iter()
                .enumerate()
                .map(|(i, v)| self.child(v, self.tree.and_then(|t| t.item(i)).map(|(_, t)| t)))
                .collect(),
        )
    }

    /// The node's text as written in `source` (quotes, escapes and block indicators included),
    /// for a consumer that must know how a scalar was written.
    pub fn written<'s>(&self, source: &'s Source) -> &'s str {
        let span = self.span();
        source.text.get(span.start..span.end).unwrap_or("")
    }

    pub fn as_str(&self) -> Option<&'a str> {
        self.value.as_str()
    }

    /// The node's YAML kind, for messages ("a string", "a list", …).
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a map",
            Value::Tagged(_) => "a tagged value",
        }
    }

    fn child(&self, value: &'a Value, tree: Option<&'a SpanTree>) -> Node<'a> {
        Node {
            value,
            tree,
            fallback: self.span(),
        }
    }
}

/// The text of a map key as written (strings bare, other scalars in YAML form).
pub fn key_text(key: &Value) -> Cow<'_, str> {
    match key {
        Value::String(s) => Cow::Borrowed(s),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::Bool(b) => Cow::Owned(b.to_string()),
        Value::Null => Cow::Borrowed("null"),
        other => Cow::Owned(
            serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        ),
    }
}
