//! Field names, string values and regular expressions written as query text.
//!
//! Everything a rule supplies goes through here, so this is where a value is kept from breaking
//! out of its literal: the quote and the escape character are always escaped (or, in a language
//! without escapes, the other quote is chosen).

use super::tokens::{StringStyle, Tokens};
use sigc_compiler::ir::{Part, Pattern, RegexFlags};

/// Why a pattern cannot be written as a literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiteralError {
    /// An unresolved `%name%` placeholder.
    Placeholder(String),
    /// The language has no escape character and the value holds every available quote, or a
    /// literal wildcard character (which would widen the match).
    Unquotable,
}

/// A field name, quoted when it is not a plain word (`^[\w.]+$`) or is a reserved word.
/// For a language with an escape character (which always succeeds); see [`try_field`].
pub fn field(tokens: &Tokens, name: &str) -> String {
    debug_assert!(
        tokens.string.escape.is_some(),
        "use try_field without an escape"
    );
    try_field(tokens, name).unwrap_or_else(|_| name.to_string())
}

/// A field name as [`field`] writes it, or an error when it needs quoting, holds the quote and
/// the language has no escape character.
pub fn try_field(tokens: &Tokens, name: &str) -> Result<String, LiteralError> {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    let reserved = tokens
        .field_keywords
        .iter()
        .any(|k| name.eq_ignore_ascii_case(k));
    if plain && !reserved {
        return Ok(name.to_string());
    }
    let q = tokens.field_quote;
    if tokens.string.escape.is_none() && name.contains(q) {
        return Err(LiteralError::Unquotable);
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push(q);
    for c in name.chars() {
        if let Some(e) = tokens.string.escape
            && (c == q || c == e)
        {
            out.push(e);
        }
        out.push(c);
    }
    out.push(q);
    Ok(out)
}

/// A Sigma string pattern as a quoted literal, wildcards translated.
pub fn string(style: &StringStyle, pattern: &Pattern) -> Result<String, LiteralError> {
    let quote = choose_quote(style, pattern)?;
    let mut out = String::new();
    out.push(quote);
    for part in &pattern.parts {
        match part {
            Part::Lit(text) => {
                for c in text.chars() {
                    if style.escape.is_none()
                        && (style.wildcard_multi.starts_with(c)
                            || style.wildcard_single.starts_with(c))
                    {
                        return Err(LiteralError::Unquotable);
                    }
                    if let Some(e) = style.escape
                        && (c == quote || c == e || style.escaped.contains(&c))
                    {
                        out.push(e);
                    }
                    out.push(c);
                }
            }
            Part::AnyRun => out.push_str(style.wildcard_multi),
            Part::AnyChar => out.push_str(style.wildcard_single),
            Part::Placeholder(name) => return Err(LiteralError::Placeholder(name.clone())),
        }
    }
    out.push(quote);
    Ok(out)
}

/// The quote for a pattern: the main one, unless it cannot be escaped and the text contains it.
fn choose_quote(style: &StringStyle, pattern: &Pattern) -> Result<char, LiteralError> {
    if style.escape.is_some() {
        return Ok(style.quote);
    }
    let contains = |q: char| {
        pattern
            .parts
            .iter()
            .any(|p| matches!(p, Part::Lit(s) if s.contains(q)))
    };
    if !contains(style.quote) {
        return Ok(style.quote);
    }
    match style.alt_quote {
        Some(alt) if !contains(alt) => Ok(alt),
        _ => Err(LiteralError::Unquotable),
    }
}

/// A regular expression as the body of a quoted literal: `(?ims)` flags prefix, then the
/// expression with `escape` itself and every character of `escaped` preceded by `escape`.
pub fn regex(pattern: &str, flags: RegexFlags, escape: Option<char>, escaped: &[char]) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    if !flags.is_empty() {
        out.push_str("(?");
        out.push_str(&flags.letters());
        out.push(')');
    }
    for c in pattern.chars() {
        if let Some(e) = escape
            && (c == e || escaped.contains(&c))
        {
            out.push(e);
        }
        out.push(c);
    }
    out
}

/// A name made a valid regex capture-group name: every character outside `[A-Za-z0-9_]` becomes
/// `_`, and a `_` is put first when it would be empty or start with a digit.
pub fn group_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{clean}")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::splunk::tokens::SPLUNK;

    fn pat(parts: Vec<Part>) -> Pattern {
        Pattern {
            parts,
            cased: false,
        }
    }

    #[test]
    fn splunk_strings_escape_backslash_quote_and_literal_star() {
        let p = pat(vec![
            Part::AnyRun,
            Part::Lit(r#"\a"b*c?"#.into()),
            Part::AnyChar,
        ]);
        assert_eq!(string(&SPLUNK.string, &p).unwrap(), r#""*\\a\"b\*c?*""#);
    }

    #[test]
    fn placeholders_are_refused() {
        let p = pat(vec![Part::Placeholder("x".into())]);
        assert_eq!(
            string(&SPLUNK.string, &p),
            Err(LiteralError::Placeholder("x".into()))
        );
    }

    #[test]
    fn fields_are_quoted_unless_plain_words() {
        assert_eq!(field(&SPLUNK, "a.b_c1"), "a.b_c1");
        assert_eq!(field(&SPLUNK, "field name"), r#""field name""#);
        assert_eq!(field(&SPLUNK, "c-uri"), r#""c-uri""#);
        assert_eq!(field(&SPLUNK, r#"a"b"#), r#""a\"b""#);
    }

    #[test]
    fn regex_doubles_backslashes_and_escapes_quotes_after_flags() {
        let flags = RegexFlags {
            ignore_case: true,
            multi_line: false,
            dot_all: true,
        };
        assert_eq!(
            regex(r#":[^\\]""#, flags, Some('\\'), &['"']),
            r#"(?is):[^\\\\]\""#
        );
    }
}
