//! Reading YAML: serde_yaml decides what every node means, saphyr tells where it is.
//!
//! A file is checked character by character ([`crate::text`]), then parsed twice: first by saphyr
//! into a [`SpanTree`] of byte spans per document, which is also where nesting depth and the
//! number of documents are bounded; then by serde_yaml into [`serde_yaml::Value`]s (the meaning,
//! with its limits against alias bombs). A [`Node`] walks both at once, so every value the model
//! reads comes with its position. A byte order mark is skipped by both and kept in the text.

mod node;
mod spans;

pub use node::Node;
pub use spans::{SpanKind, SpanMap, SpanTree};

use crate::diagnostic::{Diagnostic, Source};
use crate::span::Span;
use std::sync::Arc;

use crate::limits::MAX_FILE_BYTES;

/// Flow collections opened past a saphyr syntax error beyond which serde_yaml is not asked for
/// its own message (libyaml's time grows with the square of the flow nesting).
const MAX_FLOW_OPENINGS_AFTER_ERROR: usize = 1024;

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
    let error = |code, message: String, at: usize| {
        Diagnostic::error(code, message, source, Span::new(at, at))
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(error(
            "file_too_large",
            format!(
                "file is {} bytes; sigc reads rule files up to {MAX_FILE_BYTES} bytes",
                text.len()
            ),
            0,
        ));
    }
    if let Some((at, message)) = crate::text::forbidden_char(text) {
        return Err(Diagnostic::error(
            "forbidden_character",
            message,
            source,
            Span::new(at, at + text[at..].chars().next().map_or(0, char::len_utf8)),
        ));
    }
    let body = text.strip_prefix(crate::text::BOM).unwrap_or(text);
    let base = text.len() - body.len();
    // On a syntax error serde_yaml's message is the one shown, when it has one and may be asked.
    let trees = SpanTree::parse(body, base).map_err(|e| {
        let syntax = e.code == "yaml_syntax";
        let ask_serde = syntax && flow_openings(&text[e.at..]) <= MAX_FLOW_OPENINGS_AFTER_ERROR;
        let message = if syntax {
            format!("invalid YAML: {}", e.message)
        } else {
            e.message
        };
        (error(e.code, message, e.at), ask_serde)
    });
    if let Err((e, false)) = trees {
        return Err(e);
    }
    let mut values = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(body) {
        let value: serde_yaml::Value =
            serde::Deserialize::deserialize(doc).map_err(|e| yaml_error(source, base, &e))?;
        values.push(value);
    }
    let whole = Span::new(0, text.len());
    let mut trees = trees.map_err(|(e, _)| e)?.into_iter();
    Ok(values
        .into_iter()
        .filter(|v| !v.is_null())
        .map(|value| Document {
            value,
            spans: trees.next().unwrap_or_else(|| SpanTree::leaf(whole)),
        })
        .collect())
}

/// The most flow collections `text` could have open at once (brackets in strings count too).
fn flow_openings(text: &str) -> usize {
    let (mut open, mut most) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                open += 1;
                most = most.max(open);
            }
            b']' | b'}' => open = open.saturating_sub(1),
            _ => {}
        }
    }
    most
}

/// A serde_yaml error, located by its byte index into the text after `base`.
fn yaml_error(source: &Arc<Source>, base: usize, err: &serde_yaml::Error) -> Diagnostic {
    let at = err.location().map_or(0, |loc| {
        crate::span::floor_char_boundary(&source.text, base + loc.index())
    });
    // serde_yaml writes the primary location into the message; it is printed separately.
    let mut message = err.to_string();
    if let Some(loc) = err.location() {
        let at = format!(" at line {} column {}", loc.line(), loc.column());
        message = message.replacen(&at, "", 1);
    }
    Diagnostic::error(
        "yaml_syntax",
        format!("invalid YAML: {message}"),
        source,
        Span::new(at, at),
    )
}
