//! Printing diagnostics for people: `file:line:col: error[code]: message`, then a help line.

use sigc_compiler::Diagnostic;
use std::io::Write;

/// Writes each diagnostic to standard error.
pub fn diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
        if let Some(help) = &d.help {
            let _ = writeln!(err, "  help: {help}");
        }
    }
}

/// Writes a plain error message (usage, I/O) to standard error.
pub fn error(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {message}");
}
