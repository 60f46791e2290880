//! Printing diagnostics for people: `file:line:col: error[code]: message`, then a help line.
//! Every piece that comes from a rule or a file name is [`terminal`]-escaped. The location,
//! severity and code are coloured as rustc colours them when standard error is ([`colour`]).

use super::{colour, out, terminal};
use anstyle::{AnsiColor, Style};
use sigc_compiler::{Diagnostic, Severity};
use std::fmt::Write as _;

const BOLD: Style = Style::new().bold();
const ERROR: Style = AnsiColor::BrightRed.on_default().bold();
const WARNING: Style = AnsiColor::BrightYellow.on_default().bold();
const NOTE: Style = AnsiColor::BrightGreen.on_default().bold();
const HELP: Style = AnsiColor::BrightCyan.on_default().bold();

/// `text` in `style` when `on`.
fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// Writes each diagnostic to standard error.
pub fn diagnostics(diags: &[Diagnostic]) {
    if !diags.is_empty() {
        out::stderr(&diagnostics_text(diags));
    }
}

/// The diagnostics as [`diagnostics`] writes them.
pub fn diagnostics_text(diags: &[Diagnostic]) -> String {
    let on = colour::stderr();
    let mut text = String::new();
    for d in diags {
        line(&mut text, d, on);
    }
    text
}

/// One diagnostic as its line (and help line), escaped, coloured when `on`.
fn line(text: &mut String, d: &Diagnostic, on: bool) {
    if let Some(source) = &d.source {
        let mut at = terminal::path(&source.name).into_owned();
        if let Some(span) = d.span {
            let lc = source.line_col(span.start);
            let _ = write!(at, ":{}:{}", lc.line, lc.col);
        }
        let _ = write!(text, "{}: ", paint(&at, BOLD, on));
    }
    let style = match d.severity {
        Severity::Error => ERROR,
        Severity::High | Severity::Medium => WARNING,
        Severity::Low | Severity::Info => NOTE,
    };
    let _ = writeln!(
        text,
        "{}: {}",
        paint(&format!("{}[{}]", d.severity.as_str(), d.code), style, on),
        terminal::escape(&d.message)
    );
    if let Some(help) = &d.help {
        let _ = writeln!(
            text,
            "  {} {}",
            paint("help:", HELP, on),
            terminal::escape(help)
        );
    }
}

/// Writes a plain error message (usage, I/O) to standard error, escaped: it may hold a file
/// name or a rule's text.
pub fn error(message: &str) {
    labelled("error:", ERROR, message);
}

/// Writes `warning: message` to standard error, escaped.
pub fn warning(message: &str) {
    labelled("warning:", WARNING, message);
}

/// Writes `message` after `label` in `style` to standard error, escaped.
fn labelled(label: &str, style: Style, message: &str) {
    let label = paint(label, style, colour::stderr());
    out::stderr(&format!("{label} {}\n", terminal::escape(message)));
}

/// Writes a line of sigc's own text (a summary) to standard error; `text` must hold nothing
/// from a rule or a file name unless already escaped.
pub fn note(text: &str) {
    out::stderr(&format!("{text}\n"));
}
