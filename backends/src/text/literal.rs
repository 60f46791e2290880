//! Field names, string values and regular expressions written as query text.
//!
//! Everything a rule supplies goes through here, so this is where a value is kept from breaking
//! out of its literal: the quote and the escape character are always escaped (or, in a language
//! without escapes, the other quote is chosen).

use super::tokens::{StringStyle, Tokens};
use sigc_compiler::ir::{Part, Pattern, RegexFlags};
use std::borrow::Cow;

/// Why a pattern cannot be written as a literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiteralError {
    /// An unresolved `%name%` placeholder.
    Placeholder(String),
    /// The language has no escape character and the value holds every available quote, or a
    /// literal wildcard character (which would widen the match).
    Unquotable,
}

/// Why a field name cannot be written in some place of a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    /// A control character (a line break among them): no target can carry one in a name.
    Control(char),
    /// A character that this place cannot quote or escape.
    Holds(char),
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::Control(c) => write!(f, "the control character U+{:04X}", u32::from(*c)),
            NameError::Holds(c) => write!(f, "`{c}`"),
        }
    }
}

/// A control character or a Unicode line or paragraph separator: what could break a line of
/// query text, or hide in it.
pub fn invisible(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Refuses a field name holding a character that no target can write in a name
/// ([`invisible`]).
pub fn writable(name: &str) -> Result<(), NameError> {
    match name.chars().find(|&c| invisible(c)) {
        Some(c) => Err(NameError::Control(c)),
        None => Ok(()),
    }
}

/// A field name, quoted when it is not a plain word (`^[\w.]+$`) or is a reserved word; an error
/// when it holds a control character, or needs quoting, holds the quote and the language has no
/// escape character.
pub fn field<'n>(tokens: &Tokens, name: &'n str) -> Result<Cow<'n, str>, NameError> {
    writable(name)?;
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    let reserved = tokens
        .field_keywords
        .iter()
        .any(|k| name.eq_ignore_ascii_case(k));
    if plain && !reserved {
        return Ok(Cow::Borrowed(name));
    }
    let q = tokens.field_quote;
    if tokens.string.escape.is_none() && name.contains(q) {
        return Err(NameError::Holds(q));
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
    Ok(Cow::Owned(out))
}

/// A Sigma string pattern as a quoted literal, wildcards translated.
pub fn string(style: &StringStyle, pattern: &Pattern) -> Result<String, LiteralError> {
    let mut out = String::new();
    write_string(style, pattern, &mut out)?;
    Ok(out)
}

/// Appends [`string`]'s text to `out`; on an error `out` is left as it was.
pub fn write_string(
    style: &StringStyle,
    pattern: &Pattern,
    out: &mut String,
) -> Result<(), LiteralError> {
    let quote = choose_quote(style, pattern)?;
    let text: usize = pattern
        .parts
        .iter()
        .map(|p| match p {
            Part::Lit(text) => text.len(),
            _ => 1,
        })
        .sum();
    // room for the quotes and a few escapes: most literals are written without growing
    out.reserve(text + 8);
    let mark = out.len();
    let written = write_parts(style, pattern, quote, out);
    if written.is_err() {
        out.truncate(mark);
    }
    written
}

/// The quoted literal's characters, or the first reason it cannot be written.
fn write_parts(
    style: &StringStyle,
    pattern: &Pattern,
    quote: char,
    out: &mut String,
) -> Result<(), LiteralError> {
    let special = Special::new(style, quote);
    out.push(quote);
    for part in &pattern.parts {
        match part {
            Part::Lit(text) => {
                // runs of ordinary characters are copied whole
                let mut rest = text.as_str();
                while let Some(i) = special.find(rest) {
                    out.push_str(&rest[..i]);
                    let c = rest[i..].chars().next().expect("a character starts at i");
                    // a special character is escaped, or, without an escape, a wildcard
                    let Some(e) = style.escape else {
                        return Err(LiteralError::Unquotable);
                    };
                    out.push(e);
                    out.push(c);
                    rest = &rest[i + c.len_utf8()..];
                }
                out.push_str(rest);
            }
            Part::AnyRun => out.push_str(style.wildcard_multi),
            Part::AnyChar => out.push_str(style.wildcard_single),
            Part::Placeholder(name) => return Err(LiteralError::Placeholder(name.clone())),
        }
    }
    out.push(quote);
    Ok(())
}

/// The characters a literal cannot hold as they are: with an escape character, the quote, the
/// escape and the style's escaped characters (written escaped); without one, the characters
/// that start a wildcard (refused).
struct Special<'s> {
    style: &'s StringStyle,
    quote: char,
    /// The same characters as a table of bytes, when all of them are ASCII: no byte of a
    /// longer character is ASCII, so a text is searched a byte at a time.
    ascii: Option<[bool; 128]>,
}

impl<'s> Special<'s> {
    fn new(style: &'s StringStyle, quote: char) -> Self {
        let mut special = Special {
            style,
            quote,
            ascii: None,
        };
        let (mut table, mut ascii) = ([false; 128], true);
        special.each(|c| match table.get_mut(c as usize) {
            Some(slot) => *slot = true,
            None => ascii = false,
        });
        special.ascii = ascii.then_some(table);
        special
    }

    /// Calls `f` with each special character.
    fn each(&self, mut f: impl FnMut(char)) {
        let style = self.style;
        match style.escape {
            Some(e) => {
                f(self.quote);
                f(e);
                style.escaped.iter().copied().for_each(f);
            }
            None => [style.wildcard_multi, style.wildcard_single]
                .iter()
                .filter_map(|w| w.chars().next())
                .for_each(f),
        }
    }

    fn is(&self, c: char) -> bool {
        let mut is = false;
        self.each(|special| is |= special == c);
        is
    }

    /// The byte offset of the first special character of `text`.
    fn find(&self, text: &str) -> Option<usize> {
        match &self.ascii {
            Some(table) => text
                .bytes()
                .position(|b| table.get(usize::from(b)).copied().unwrap_or(false)),
            None => text
                .char_indices()
                .find(|&(_, c)| self.is(c))
                .map(|(i, _)| i),
        }
    }
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
/// expression ([`visible_regex`]) with `escape` itself and every character of `escaped` preceded
/// by `escape`; `None` when [`visible_regex`] refuses it.
pub fn regex(
    pattern: &str,
    flags: RegexFlags,
    escape: Option<char>,
    escaped: &[char],
) -> Option<String> {
    let pattern = visible_regex(pattern)?;
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
    Some(out)
}

/// The regex with every [`invisible`] character, bare or escaped, written as a hex escape
/// (`\x0a`, `\x{2028}`): the same regex to PCRE's and Rust's engines, and no line break left in
/// the query text. `None` when it has such a character and a flag group naming `x` (extended
/// mode, where a bare line break ends a comment and is not matched, unlike `\x0a`).
pub fn visible_regex(pattern: &str) -> Option<Cow<'_, str>> {
    if !pattern.contains(invisible) {
        return Some(Cow::Borrowed(pattern));
    }
    if extended(pattern) {
        return None;
    }
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match (c, chars.peek()) {
            ('\\', Some(&next)) if invisible(next) => chars.next().unwrap_or(next),
            ('\\', Some(&next)) => {
                out.push(c);
                chars.next();
                next
            }
            _ => c,
        };
        if u32::from(c) < 0x100 && invisible(c) {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else if invisible(c) {
            out.push_str(&format!("\\x{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// Whether a flag group (`(?x)`, `(?ix:…)`, `(?-x)`) names the extended flag.
fn extended(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| {
        pattern[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
            .any(|c| c == 'x')
    })
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

    /// The definition of [`string`]'s literal text, a character at a time.
    fn one_char_at_a_time(style: &StringStyle, pattern: &Pattern) -> Result<String, LiteralError> {
        let quote = choose_quote(style, pattern)?;
        let mut out = String::from(quote);
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

    /// Characters that are special to some style below, ASCII or not, and ordinary ones.
    const ALPHABET: &[char] = &[
        'a', '"', '\\', '\'', '*', '?', '%', '«', '»', '€', 'é', '\u{2028}',
    ];

    fn style_strategy() -> impl proptest::strategy::Strategy<Value = StringStyle> {
        use proptest::prelude::*;
        let quotes = prop::sample::select(vec!['"', '\'', '«']);
        let escapes = prop::sample::select(vec![None, Some('\\'), Some('€')]);
        let escaped: Vec<&'static [char]> = vec![&[], &['*'], &['*', '?'], &['é', '%']];
        let wildcards = prop::sample::select(vec!["*", "?", "%", "»", ""]);
        (
            quotes.clone(),
            prop::option::of(quotes),
            escapes,
            prop::sample::select(escaped),
            wildcards.clone(),
            wildcards,
        )
            .prop_map(
                |(quote, alt_quote, escape, escaped, multi, single)| StringStyle {
                    quote,
                    alt_quote,
                    escape,
                    escaped,
                    wildcard_multi: multi,
                    wildcard_single: single,
                },
            )
    }

    fn pattern_strategy() -> impl proptest::strategy::Strategy<Value = Pattern> {
        use proptest::prelude::*;
        let text = prop::collection::vec(prop::sample::select(ALPHABET.to_vec()), 0..12)
            .prop_map(|cs| cs.into_iter().collect::<String>());
        let part = prop_oneof![
            text.prop_map(Part::Lit),
            Just(Part::AnyRun),
            Just(Part::AnyChar),
        ];
        prop::collection::vec(part, 0..5).prop_map(pat)
    }

    proptest::proptest! {
        /// Whole runs are copied only where the character-at-a-time definition copies each
        /// character as it is, for styles whose special characters are ASCII or not.
        #[test]
        fn strings_are_written_as_their_definition(
            style in style_strategy(),
            pattern in pattern_strategy(),
        ) {
            proptest::prop_assert_eq!(string(&style, &pattern), one_char_at_a_time(&style, &pattern));
        }
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
        assert_eq!(field(&SPLUNK, "a.b_c1").unwrap(), "a.b_c1");
        assert_eq!(field(&SPLUNK, "field name").unwrap(), r#""field name""#);
        assert_eq!(field(&SPLUNK, "c-uri").unwrap(), r#""c-uri""#);
        assert_eq!(field(&SPLUNK, r#"a"b"#).unwrap(), r#""a\"b""#);
        assert_eq!(field(&SPLUNK, "a\nb"), Err(NameError::Control('\n')));
    }

    #[test]
    fn regex_doubles_backslashes_and_escapes_quotes_after_flags() {
        let flags = RegexFlags {
            ignore_case: true,
            multi_line: false,
            dot_all: true,
        };
        assert_eq!(
            regex(r#":[^\\]""#, flags, Some('\\'), &['"']).unwrap(),
            r#"(?is):[^\\\\]\""#
        );
    }

    #[test]
    fn control_characters_become_hex_escapes_outside_extended_mode() {
        assert_eq!(visible_regex("a\n|b\\\r\\n"), Some(r"a\x0a|b\x0d\n".into()));
        assert_eq!(visible_regex("[\t]"), Some(r"[\x09]".into()));
        assert_eq!(visible_regex("a\u{2028}"), Some(r"a\x{2028}".into()));
        assert_eq!(visible_regex("(?x)a # c\n|b"), None);
        assert_eq!(visible_regex("(?x)plain"), Some("(?x)plain".into()));
    }
}
