//! YAML scalars for rule text: a double-quoted scalar that any YAML 1.1 or 1.2 reader reads back
//! as the text, or, for a text that allows it, a literal block.
//!
//! The double-quoted form escapes `"`, `\` and every character that is not printable in YAML or
//! that a reader may take for a line break (U+0085, U+2028, U+2029), with the escapes JSON also
//! has (`\n`, `\uXXXX`, …), so it is on one line and, for ordinary text, JSON's string syntax.

/// `text` as a double-quoted scalar, on one line.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// `text` as a literal block (`|`, its lines indented by `indent` spaces, read back with a final
/// line break) when it can be one, else [`quoted`].
pub fn scalar(text: &str, indent: usize) -> String {
    if !block_safe(text) {
        return quoted(text);
    }
    let pad = " ".repeat(indent);
    let mut out = String::from("|");
    for line in text.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// A literal block holds printable characters, tabs and line feeds only; it must not start with
/// a blank (the first line sets the indentation) nor end with one (trailing breaks are chomped).
fn block_safe(text: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    edge(text.chars().next())
        && edge(text.chars().last())
        && text.chars().all(|c| c == '\n' || c == '\t' || printable(c))
}

/// Printable in YAML (c-printable less tab and breaks), and not U+0085, U+2028, U+2029 or the
/// byte-order mark.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_is_json_for_ordinary_text_and_escapes_breaks() {
        assert_eq!(quoted("a \"b\" \\ é\n"), "\"a \\\"b\\\" \\\\ é\\n\"");
        assert_eq!(
            quoted("\r\u{85}\u{2028}\u{7f}\0"),
            "\"\\r\\u0085\\u2028\\u007f\\u0000\""
        );
    }

    #[test]
    fn blocks_only_for_printable_text() {
        assert_eq!(scalar("a\n\n  b", 4), "|\n    a\n\n      b");
        assert_eq!(scalar("a\rb", 4), "\"a\\rb\"");
        assert_eq!(scalar(" a", 4), "\" a\"");
        assert_eq!(scalar("", 4), "\"\"");
    }
}
