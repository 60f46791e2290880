//! Located findings: every error and lint result is a [`Diagnostic`] with a byte span in a named file.

use crate::span::{LineIndex, Span, floor_char_boundary};
use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Error => "error",
        }
    }
}

/// A source text with its name (a path, or `<stdin>`), shared by every diagnostic that points into it.
///
/// The text is the front end's alone: outside this crate a source gives its name, positions and
/// the lines a diagnostic shows, and the whole text only to rewrite the file ([`Source::rewrite`]),
/// so no later stage can read a rule again.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub(crate) text: String,
    index: std::sync::OnceLock<LineIndex>,
}

/// Two sources are equal when they have the same name and text.
impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other) || (self.name == other.name && self.text == other.text)
    }
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Source {
            name: name.into(),
            text: text.into(),
            index: std::sync::OnceLock::new(),
        })
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// `name:line:col` of the start of `span`.
    pub fn location(&self, span: Span) -> String {
        let lc = self.line_col(span.start);
        format!("{}:{}:{}", self.name, lc.line, lc.col)
    }

    /// A source from a file's bytes. Invalid UTF-8 is an error located at its first byte.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Arc<Self>, Diagnostic> {
        match crate::text::decode(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err((at, byte, lossy)) => {
                // The bad byte shows as U+FFFD in the text kept for rendering.
                let end = at + lossy[at..].chars().next().map_or(0, char::len_utf8);
                let source = Source::new(name, lossy);
                Err(Diagnostic::error(
                    "invalid_utf8",
                    format!("file is not UTF-8 text (byte 0x{byte:02X})"),
                    &source,
                    Span::new(at, end),
                ))
            }
        }
    }

    /// The line index, built on first use.
    fn lines(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// `line:col` of a byte offset.
    pub fn line_col(&self, offset: usize) -> crate::span::LineCol {
        self.lines().line_col(&self.text, offset)
    }

    /// What a diagnostic at `span` shows: the 1-based number of its first line, the text of the
    /// whole lines it covers (without the last one's break), and `span` within that text (on
    /// character boundaries).
    pub fn snippet(&self, span: Span) -> (usize, &str, Range<usize>) {
        let (line, lines) = self.lines().lines_of(&self.text, span);
        let at = |i: usize| {
            floor_char_boundary(&self.text, i.clamp(lines.start, lines.end)) - lines.start
        };
        let start = at(span.start);
        let end = at(span.end).max(start);
        (line, &self.text[lines], start..end)
    }

    /// The byte range of 1-based `line` (clamped to the first and last line), without its break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        self.lines().line_range(line)
    }

    /// The text of 1-based `line`, without its break.
    pub fn line(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    /// The break that ends 1-based `line` (`\n`, `\r\n` or `\r`; empty for the last line).
    pub fn line_break(&self, line: usize) -> &str {
        let end = self.line_range(line).end;
        let next = self.line_range(line + 1).start;
        self.text.get(end..next.max(end)).unwrap_or("")
    }

    /// The text before and after replacing the byte ranges of `edits` (sorted, not overlapping):
    /// what `sigc check --fix` writes and `--diff` shows.
    pub fn rewrite<'e>(&self, edits: impl IntoIterator<Item = (Span, &'e str)>) -> (&str, String) {
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for (span, text) in edits {
            out.push_str(&self.text[at..span.start]);
            out.push_str(text);
            at = span.end;
        }
        out.push_str(&self.text[at..]);
        (&self.text, out)
    }

    /// `span` without the white space it ends with (a block node's span ends with the line break
    /// and the indentation of the next line).
    pub fn trim_end(&self, span: Span) -> Span {
        let text = self.text.get(span.start..span.end).unwrap_or("");
        Span::new(span.start, span.start + text.trim_end().len())
    }

    /// Does `span` lie within the text, on character boundaries?
    pub fn contains(&self, span: Span) -> bool {
        span.start <= span.end && self.text.get(span.start..span.end).is_some()
    }
}

/// One finding: a stable code, a severity, a message and where it is.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Stable identifier, e.g. `unknown_modifier` or a validator name.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The file the span points into; `None` for errors with no source (I/O, usage).
    pub source: Option<Arc<Source>>,
    pub span: Option<Span>,
    /// An optional hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error located at `span` in `source`.
    pub fn error(
        code: &'static str,
        message: impl Into<String>,
        source: &Arc<Source>,
        span: Span,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            source: Some(source.clone()),
            span: Some(span),
            help: None,
        }
    }

    /// An error not tied to a position (the file name alone, if any).
    pub fn unlocated(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            source: None,
            span: None,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// `file:line:col`, or just the file name, or nothing.
    pub fn location(&self) -> Option<String> {
        let source = self.source.as_ref()?;
        Some(match self.span {
            Some(span) => source.location(span),
            None => source.name.clone(),
        })
    }
}

/// One line: `file:line:col: severity[code]: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location() {
            write!(f, "{loc}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for Diagnostic {}
