//! Printing diagnostics for people: `file:line:col: error[code]: message`, then a help line.
//! Every piece that comes from a rule or a file name is [`terminal`]-escaped.

use super::{out, terminal};
use sigc_compiler::Diagnostic;
use std::fmt::Write as _;

/// Writes each diagnostic to standard error.
pub fn diagnostics(diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let mut text = String::new();
    for d in diags {
        line(&mut text, d);
    }
    out::stderr(&text);
}

/// One diagnostic as its line (and help line), escaped.
fn line(text: &mut String, d: &Diagnostic) {
    if let Some(source) = &d.source {
        text.push_str(&terminal::path(&source.name));
        if let Some(span) = d.span {
            let lc = source.line_col(span.start);
            let _ = write!(text, ":{}:{}", lc.line, lc.col);
        }
        text.push_str(": ");
    }
    let _ = writeln!(
        text,
        "{}[{}]: {}",
        d.severity.as_str(),
        d.code,
        terminal::escape(&d.message)
    );
    if let Some(help) = &d.help {
        let _ = writeln!(text, "  help: {}", terminal::escape(help));
    }
}

/// Writes a plain error message (usage, I/O) to standard error, escaped: it may hold a file
/// name or a rule's text.
pub fn error(message: &str) {
    out::stderr(&format!("error: {}\n", terminal::escape(message)));
}

/// Writes a line of sigc's own text (a summary) to standard error; `text` must hold nothing
/// from a rule or a file name unless already escaped.
pub fn note(text: &str) {
    out::stderr(&format!("{text}\n"));
}
