//! rustc-style rendering of diagnostics: header with severity and code, `--> file:line:col`, the
//! source line with a caret under the span, then the help. Colour only when asked ([`super::colour`]).
//! Message, help and file name are [`terminal`]-escaped; the source line keeps its columns.

use super::terminal;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use sigc_compiler::{Diagnostic, Severity};
use std::borrow::Cow;
use std::ops::Range;

/// Renders one diagnostic as text ending in a newline.
pub fn render(d: &Diagnostic, colour: bool) -> String {
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::High | Severity::Medium => Level::WARNING.with_name(Some(d.severity.as_str())),
        Severity::Low | Severity::Info => Level::NOTE.with_name(Some(d.severity.as_str())),
    };
    let message = terminal::escape(&d.message);
    let title = level.primary_title(message.as_ref()).id(d.code);
    let mut group = Group::with_title(title);
    let name = d.source.as_ref().map(|s| terminal::path(&s.name));
    let snippet = match (&d.source, d.span) {
        (Some(source), Some(span)) => {
            // Only the lines of the span: the cost of a finding is its own size, not the file's.
            let (line, lines, within) = source.snippet(span);
            let (shown, span) = shown_source(lines, within.start, within.end);
            Some((shown, span, line))
        }
        _ => None,
    };
    match (&name, &snippet) {
        (Some(name), Some((text, span, line))) => {
            group = group.element(
                Snippet::source(text.as_ref())
                    .line_start(*line)
                    .path(name.as_ref())
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        }
        (Some(name), None) => group = group.element(Origin::path(name.as_ref())),
        (None, _) => {}
    }
    let help = d.help.as_deref().map(terminal::escape);
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_ref()));
    }
    let mut out = renderer.render(&[group]);
    out.push('\n');
    out
}

/// The source text as shown, and the span `start..end` in it: every unsafe character that the
/// renderer does not picture itself (the non-ASCII ones: C1 controls, line separators, bidi
/// marks), and the `[` that opens a CI logging command (`##[`, `##vso[`), becomes
/// U+FFFD, one character for one so that columns stay right.
fn shown_source(text: &str, start: usize, end: usize) -> (Cow<'_, str>, Range<usize>) {
    let replaced = |i: usize, c: char| {
        (terminal::is_unsafe(c) && !c.is_ascii())
            || (c == '[' && terminal::opens_log_command(&text[..i]))
    };
    if !text.char_indices().any(|(i, c)| replaced(i, c)) {
        return (Cow::Borrowed(text), start..end);
    }
    let mut shown = String::with_capacity(text.len());
    let (mut new_start, mut new_end) = (0, 0);
    for (i, c) in text.char_indices() {
        if i == start {
            new_start = shown.len();
        }
        if i == end {
            new_end = shown.len();
        }
        shown.push(if replaced(i, c) {
            char::REPLACEMENT_CHARACTER
        } else {
            c
        });
    }
    if start == text.len() {
        new_start = shown.len();
    }
    if end == text.len() {
        new_end = shown.len();
    }
    (Cow::Owned(shown), new_start..new_end)
}
