//! Splunk `.conf` text: stanza headers and setting values that a `.conf` reader reads back as
//! the text written, or the reason it cannot.
//!
//! Splunk reads a `.conf` file by lines (a `\r` before the `\n` dropped). A line ending with `\`,
//! blanks after it allowed, continues on the next one, the backslash read as a line break; the
//! joined line is then a comment (`#`), a stanza header (`[name]`) or a setting (`key = value`,
//! the value trimmed). So, as pySigma-backend-splunk writes them:
//!
//! - a value is trimmed and each of its line breaks written ` \` + newline (the value read back
//!   has a blank before each line break); it cannot end with `\`, which would continue it on the
//!   next setting's line;
//! - a stanza name loses its brackets; it cannot hold a line break, be empty or be `default`
//!   (the stanza of every search's defaults).
//!
//! Neither may hold another control character (a reader may split lines at `\r`, U+0085, U+2028
//! or U+2029, or stop at NUL) but tab.

/// `[name]`, the stanza header for `title`.
pub fn stanza(title: &str) -> Result<String, String> {
    let name: String = title.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    if let Some(c) = name.chars().find(|&c| c == '\n' || refused(c)) {
        return Err(format!(
            "a .conf stanza name cannot hold {} ({})",
            describe(c),
            excerpt(title)
        ));
    }
    match name.trim() {
        "" => Err("a .conf stanza name cannot be empty".to_string()),
        "default" => Err("the .conf stanza `default` holds every stanza's defaults".to_string()),
        _ => Ok(format!("[{name}]")),
    }
}

/// `text` as a setting's value: trimmed, line breaks continued with ` \`.
pub fn value(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Some(c) = text.chars().find(|&c| refused(c)) {
        return Err(format!(
            "a .conf value cannot hold {} ({})",
            describe(c),
            excerpt(text)
        ));
    }
    if text.ends_with('\\') {
        return Err(format!(
            "a .conf value cannot end with `\\`, Splunk would continue it on the next line ({})",
            excerpt(text)
        ));
    }
    Ok(text.replace('\n', " \\\n"))
}

/// A search as a setting's value: its parts (the search, then each `| command`) one per line,
/// continued with ` \`. A line break inside a part (a value of the rule holding one) cannot be
/// carried exactly, since Splunk reads a blank before each continued line break: it is refused.
pub fn search(parts: &[String]) -> Result<String, String> {
    if let Some(part) = parts.iter().find(|p| p.contains(['\n', '\r'])) {
        return Err(format!(
            "a .conf search cannot carry a line break inside a value exactly ({})",
            excerpt(part)
        ));
    }
    value(&parts.join("\n"))
}

/// Characters no `.conf` text may hold (line feeds are the caller's business).
fn refused(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n')) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The start of `text`, quoted, its control characters escaped.
fn excerpt(text: &str) -> String {
    const SHOWN: usize = 40;
    let start: String = text.chars().take(SHOWN).collect();
    let more = if text.chars().nth(SHOWN).is_some() {
        "…"
    } else {
        ""
    };
    format!("{start:?}{more}")
}

fn describe(c: char) -> String {
    match c {
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
            format!("a line break (U+{:04X})", u32::from(c))
        }
        _ => format!("the control character U+{:04X}", u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_trimmed_and_continued() {
        assert_eq!(value("  a\nb \\ c\n").unwrap(), "a \\\nb \\ c");
        assert_eq!(value("C:\\x\\\ny").unwrap(), "C:\\x\\ \\\ny");
        assert!(value("C:\\x\\").unwrap_err().contains("end with"));
        assert!(value("a\rb").unwrap_err().contains("U+000D"));
        assert!(value("a\u{2028}b").is_err());
        assert!(value("a\0b").is_err());
    }

    #[test]
    fn searches_keep_one_command_a_line_and_refuse_breaks_in_values() {
        let parts = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            search(&parts(&["a=1", "| regex b=\"c\""])).unwrap(),
            "a=1 \\\n| regex b=\"c\""
        );
        assert!(
            search(&parts(&["a=\"x\ny\""]))
                .unwrap_err()
                .contains("line break")
        );
    }

    #[test]
    fn stanza_names_lose_brackets_and_refuse_breaks() {
        assert_eq!(stanza("a [b] c").unwrap(), "[a b c]");
        assert!(stanza("a\nb").unwrap_err().contains("U+000A"));
        assert!(stanza("[]").is_err());
        assert!(stanza("[default]").is_err());
    }
}
