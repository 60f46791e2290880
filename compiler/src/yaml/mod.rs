//! Reading YAML: serde_yaml decides what every node means, saphyr tells where it is.
//!
//! A file is parsed twice: once by serde_yaml into [`serde_yaml::Value`]s (the meaning, with its
//! limits against alias bombs and deep nesting), then by saphyr into a [`SpanTree`] of byte spans.
//! A [`Node`] walks both at once, so every value the model reads comes with its position.

mod node;
mod spans;

pub use node::Node;
pub use spans::SpanTree;

use crate::diagnostic::{Diagnostic, Source};
use crate::span::Span;
use std::sync::Arc;

/// Largest file sigc reads as a rule file; larger input is refused before parsing.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// One YAML document of a file.
pub struct Document {
    pub value: serde_yaml::Value,
    pub spans: SpanTree,
}

impl Document {
    /// The root node, with positions.
    pub fn root(&self) -> Node<'_> {
        Node::new(&self.value, Some(&self.spans))
    }
}

/// Parses every document of `source`.
pub fn load(source: &Arc<Source>) -> Result<Vec<Document>, Diagnostic> {
    let text = source.text.as_str();
    if text.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            format!(
                "file is {} bytes; sigc reads rule files up to {MAX_FILE_BYTES} bytes",
                text.len()
            ),
            source,
            Span::new(0, 0),
        ));
    }
    let mut values = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value: serde_yaml::Value =
            serde::Deserialize::deserialize(doc).map_err(|e| yaml_error(source, &e))?;
        values.push(value);
    }
    let trees = SpanTree::parse(text).map_err(|(span, message)| {
        Diagnostic::error(
            "yaml-syntax",
            format!("invalid YAML: {message}"),
            source,
            span,
        )
    })?;
    let whole = Span::new(0, text.len());
    let mut trees = trees.into_iter();
    Ok(values
        .into_iter()
        .filter(|v| !v.is_null())
        .map(|value| Document {
            value,
            spans: trees.next().unwrap_or_else(|| SpanTree::leaf(whole)),
        })
        .collect())
}

fn yaml_error(source: &Arc<Source>, err: &serde_yaml::Error) -> Diagnostic {
    let span = err.location().map_or(Span::new(0, 0), |loc| {
        let lines = source.lines();
        let range = lines.line_range(&source.text, loc.line().max(1));
        let line_text = &source.text[range.clone()];
        let col = line_text
            .char_indices()
            .nth(loc.column().saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        Span::new(range.start + col, range.start + col)
    });
    // serde_yaml writes the primary location into the message; it is printed separately.
    let mut message = err.to_string();
    if let Some(loc) = err.location() {
        let at = format!(" at line {} column {}", loc.line(), loc.column());
        message = message.replacen(&at, "", 1);
    }
    Diagnostic::error(
        "yaml-syntax",
        format!("invalid YAML: {message}"),
        source,
        span,
    )
}
