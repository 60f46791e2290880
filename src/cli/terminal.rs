//! Text from rules, event files and file names made safe for a terminal or a CI log.
//!
//! Every piece of such text that reaches standard error, or a human-readable report on standard
//! output, goes through [`escape`] (or [`path`]), so it can neither start a line of its own (a
//! GitHub Actions workflow command is a line starting with `::`), nor move the cursor, recolour
//! or retitle the terminal, nor reorder what is shown. Machine formats (JSON, SARIF) are written
//! by serde and stay exact.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal or a CI log as itself: C0 and C1 control characters
/// (line breaks, carriage return, tab and ESC among them), DEL, the Unicode line and paragraph
/// separators, and the bidirectional formatting characters ("Trojan Source").
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Whether a `[` after `before` would open a logging command that a CI runner obeys anywhere in
/// a line: GitHub's old-style `##[command]` and Azure Pipelines' `##vso[task.…]`.
pub fn opens_log_command(before: &str) -> bool {
    before.ends_with("##") || before.ends_with("##vso")
}

/// `text` with every unsafe character written as a visible escape (`\n`, `\r`, `\t`, else
/// `\u{…}` with the code point in hex), and the `[` that would open a logging command
/// ([`opens_log_command`]) written as `\u{5b}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    // printable ASCII has no unsafe character: only the logging commands are to be looked for
    let printable = text.bytes().all(|b| matches!(b, b' '..=b'~'));
    if (printable || !text.chars().any(is_unsafe)) && !text.contains("##") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(escape_each(text))
}

/// [`escape`], a character at a time.
fn escape_each(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '[' if opens_log_command(&out) => out.push_str("\\u{5b}"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A file name as [`escape`]d text that may start a line: a relative name that begins with
/// white space or `:` gets `./` before it (the same file), so that it cannot start a workflow
/// command.
pub fn path(name: &str) -> Cow<'_, str> {
    let escaped = escape(name);
    if escaped.starts_with(|c: char| c.is_whitespace() || c == ':') {
        Cow::Owned(format!("./{escaped}"))
    } else {
        escaped
    }
}

/// Text of several lines (a diff of a rule file) with each line [`escape`]d and its line ending
/// (`\n` or `\r\n`) kept.
pub fn escape_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push_str(&escape(body));
        out.push_str(&line[body.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_or_ci_log_would_obey() {
        let cases = [
            ("plain `text` \\ 100%", "plain `text` \\ 100%"),
            ("a\nb\r\tc", "a\\nb\\r\\tc"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("\u{9b}31m \u{85} \u{7f}", "\\u{9b}31m \\u{85} \\u{7f}"),
            ("abc\u{202e}def\u{2066}", "abc\\u{202e}def\\u{2066}"),
            ("x\u{2028}y\u{2029}z", "x\\u{2028}y\\u{2029}z"),
            ("##[error]x #[ok] ###[", "##\\u{5b}error]x #[ok] ###\\u{5b}"),
            ("##vso[task.setvariable]x", "##vso\\u{5b}task.setvariable]x"),
            ("é ü 漢字 🙂", "é ü 漢字 🙂"),
        ];
        for (text, want) in cases {
            assert_eq!(escape(text), want, "{text:?}");
        }
    }

    proptest::proptest! {
        /// What is given back as it is, printable ASCII without a look at each character
        /// among it, is what escaping each character gives.
        #[test]
        fn escape_is_escaping_each_character(text in "([ -~]|#|\\[|\n|\u{1b}|\u{7f}|\u{9b}|\u{202e}|é){0,40}") {
            proptest::prop_assert_eq!(escape(&text), escape_each(&text));
        }
    }

    #[test]
    fn lines_keep_their_endings() {
        assert_eq!(
            escape_lines("a\u{1b}\r\nb\rc\n\u{2028}"),
            "a\\u{1b}\r\nb\\rc\n\\u{2028}"
        );
    }

    #[test]
    fn a_path_never_starts_a_workflow_command() {
        assert_eq!(path("::error file=x::y.yml"), "./::error file=x::y.yml");
        assert_eq!(path(" \u{3000}::x"), "./ \u{3000}::x");
        assert_eq!(path("rules/a.yml"), "rules/a.yml");
        assert_eq!(path("/abs/::x"), "/abs/::x");
    }
}
