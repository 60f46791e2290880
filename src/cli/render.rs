//! rustc-style rendering of diagnostics: header with severity and code, `--> file:line:col`, the
//! source line with a caret under the span, then the help. Colour only when asked (a terminal).

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use sigc_compiler::span::floor_char_boundary;
use sigc_compiler::{Diagnostic, Severity};
use std::io::IsTerminal;

/// Should output to standard output be coloured? Only on a terminal, and never under `NO_COLOR`.
pub fn colour_stdout() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

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
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let mut group = Group::with_title(title);
    match (&d.source, d.span) {
        (Some(source), Some(span)) => {
            // Only the lines of the span: the cost of a finding is its own size, not the file's.
            let text = source.text.as_str();
            let (line, lines) = source.lines().lines_of(text, span);
            let at =
                |i: usize| floor_char_boundary(text, i.clamp(lines.start, lines.end)) - lines.start;
            let start = at(span.start);
            let end = at(span.end).max(start);
            group = group.element(
                Snippet::source(&text[lines])
                    .line_start(line)
                    .path(source.name.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        }
        (Some(source), None) => group = group.element(Origin::path(source.name.as_str())),
        (None, _) => {}
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let mut out = renderer.render(&[group]);
    out.push('\n');
    out
}
