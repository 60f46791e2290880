//! Reading YAML: one pass of parser events gives every node's meaning, as serde_yaml would
//! read it, and its position.
//!
//! The events come from a fast reader of the block YAML that rule files are written in
//! ([`fast`]), or from saphyr's parser for any other text (and for any text whose reading
//! fails, so that errors are saphyr's). A file is checked character by character
//! ([`crate::text`]), then read once ([`parse`]) into
//! [`serde_yaml::Value`]s and a [`SpanTree`] of byte spans per document; nesting depth, the
//! number of documents and alias expansion are bounded on the way. A [`Node`] walks both at
//! once, so every value the model reads comes with its position. A byte order mark is skipped
//! and kept in the text. serde_yaml's own parser runs only on a file saphyr cannot read, to word
//! the error as it always has been worded.

mod fast;
mod node;
mod parse;
pub(crate) mod scalar;
mod spans;
#[cfg(test)]
mod tests;

pub use node::Node;
pub use parse::{Duplicates, Replaced};
pub use spans::{SpanKind, SpanMap, SpanTree};

use crate::diagnostic::{Diagnostic, Source};
use crate::span::Span;
use parse::ErrorKind;
use std::sync::Arc;

use crate::limits::MAX_FILE_BYTES;

/// Maps of at most this many entries are searched entry by entry, not hashed: comparing a few
/// keys costs less than hashing one, or than keeping an index of them.
const SMALL_MAP: usize = 16;

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

/// Parses every non-null document of `source`.
pub fn load(source: &Arc<Source>) -> Result<Vec<Document>, Diagnostic> {
    load_with(source, Duplicates::Refused).map(|(docs, _)| docs)
}

/// [`load`], reading a key written twice in one map as `duplicates` says; the keys that a later
/// one replaced come with the documents.
pub fn load_with(
    source: &Arc<Source>,
    duplicates: Duplicates,
) -> Result<(Vec<Document>, Vec<Replaced>), Diagnostic> {
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
    parse::documents_with(body, base, duplicates).map_err(|e| match e.kind {
        ErrorKind::Limit(code) => error(code, e.message, e.at),
        ErrorKind::Meaning => error("yaml_syntax", format!("invalid YAML: {}", e.message), e.at),
        // serde_yaml's message is the one shown, when it has one and may be asked
        ErrorKind::Syntax => (flow_openings(&text[e.at..]) <= MAX_FLOW_OPENINGS_AFTER_ERROR)
            .then(|| serde_error(body))
            .flatten()
            .map_or_else(
                || error("yaml_syntax", format!("invalid YAML: {}", e.message), e.at),
                |err| yaml_error(source, base, &err),
            ),
    })
}

/// serde_yaml's first error reading `body`, if it has one.
fn serde_error(body: &str) -> Option<serde_yaml::Error> {
    serde_yaml::Deserializer::from_str(body)
        .find_map(|doc| <serde_yaml::Value as serde::Deserialize>::deserialize(doc).err())
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
