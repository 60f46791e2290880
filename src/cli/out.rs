//! Checked writes to standard output and standard error.
//!
//! `print!` panics when a write fails, and `let _ = writeln!(…)` loses the output without a
//! word; both are forbidden in the CLI (`clippy::print_stdout`, `clippy::print_stderr`). Every
//! write goes through [`stdout`] or [`stderr`] instead, and a failed write ends the run at once:
//!
//! - a closed pipe (`sigc … | head`) ends it quietly with status [`EXIT_BROKEN_PIPE`];
//! - any other error (a full disk, `> /dev/full`) is an I/O error: status 2, with a message on
//!   standard error if that still works.

use std::io::{ErrorKind, Write};

/// Exit status when standard output or standard error is a closed pipe: 128 + SIGPIPE, what a
/// shell reports for a program that the signal ended. Not 0, since the output was cut short (a
/// `set -o pipefail` script must not take `sigc check … | head` for a clean check), and not
/// 1 or 2, which say something about the rules or the input.
pub const EXIT_BROKEN_PIPE: i32 = 141;

/// Writes `text` to standard output and flushes it; a failure ends the run.
pub fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        fail("standard output", &e);
    }
}

/// Writes `text` to standard error; a failure ends the run.
pub fn stderr(text: &str) {
    if let Err(e) = std::io::stderr().lock().write_all(text.as_bytes()) {
        fail("standard error", &e);
    }
}

/// Ends the run after a failed write to `stream`.
fn fail(stream: &str, e: &std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(EXIT_BROKEN_PIPE);
    }
    let _ = writeln!(std::io::stderr(), "error: writing to {stream}: {e}");
    std::process::exit(super::EXIT_USAGE);
}
