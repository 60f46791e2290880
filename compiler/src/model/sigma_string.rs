//! Sigma string escaping: from the YAML text to a symbolic [`Pattern`].
//!
//! `*` and `?` are wildcards; `\*`, `\?` and `\\` are a literal `*`, `?` and `\`; a backslash
//! before any other character, or at the end, is literal. So `C:\Windows\*` is the literal text
//! `C:\Windows*` and `\\*` is a literal backslash followed by a wildcard.

use crate::ir::{Part, Pattern};

/// Parses a Sigma string value.
pub fn parse(text: &str) -> Pattern {
    parse_with_room(text, 0)
}

/// [`parse`], leaving room for `room` more parts (the wildcards a modifier adds around it).
pub fn parse_with_room(text: &str, room: usize) -> Pattern {
    // a literal around each wildcard at most: most values are one literal, and a pattern lives
    // as long as the rule
    let wildcards = text.bytes().filter(|b| matches!(b, b'*' | b'?')).count();
    let mut pattern = Pattern {
        parts: Vec::with_capacity(2 * wildcards + 1 + room),
        cased: false,
    };
    // the first literal ends at the first wildcard (or sooner, when escapes shorten it)
    let first = memchr::memchr2(b'*', b'?', text.as_bytes());
    let mut lit = String::with_capacity(first.unwrap_or(text.len()));
    let mut rest = text;
    // the special characters are ASCII: text between them is copied a run at a time
    while let Some(i) = memchr::memchr3(b'\\', b'*', b'?', rest.as_bytes()) {
        lit.push_str(&rest[..i]);
        let special = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match special {
            b'\\' => match rest.as_bytes().first() {
                Some(&next @ (b'*' | b'?' | b'\\')) => {
                    lit.push(char::from(next));
                    rest = &rest[1..];
                }
                _ => lit.push('\\'),
            },
            b'*' => {
                pattern.push(Part::Lit(std::mem::take(&mut lit)));
                pattern.push(Part::AnyRun);
            }
            _ => {
                pattern.push(Part::Lit(std::mem::take(&mut lit)));
                pattern.push(Part::AnyChar);
            }
        }
    }
    lit.push_str(rest);
    pattern.push(Part::Lit(lit));
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;
    use Part::*;
    use proptest::strategy::Strategy;

    fn lit(s: &str) -> Part {
        Lit(s.to_string())
    }

    #[test]
    fn escaping_follows_the_specification() {
        let cases: &[(&str, Vec<Part>)] = &[
            ("abc", vec![lit("abc")]),
            ("*abc*", vec![AnyRun, lit("abc"), AnyRun]),
            ("a?c", vec![lit("a"), AnyChar, lit("c")]),
            (r"C:\Windows\*", vec![lit(r"C:\Windows*")]),
            (r"\\*", vec![lit(r"\"), AnyRun]),
            (r"\\\*", vec![lit(r"\*")]),
            (r"a\\\\b", vec![lit(r"a\\b")]),
            (r"a\\\b", vec![lit(r"a\\b")]),
            (r"end\", vec![lit(r"end\")]),
            (r"\?", vec![lit("?")]),
            (r"\x", vec![lit(r"\x")]),
            ("", vec![]),
        ];
        for (input, parts) in cases {
            assert_eq!(&parse(input).parts, parts, "input {input:?}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["a*b?c", r"C:\\Windows\*", r"x\\*", "%p%"] {
            let p = parse(s);
            assert_eq!(parse(&p.to_string()), p, "{s}");
        }
    }

    proptest::proptest! {
        /// Any pattern written back in Sigma notation reads back as itself.
        #[test]
        fn notation_round_trips(parts in parts("[a-z\\\\*?%\" ]{1,6}")) {
            let mut p = Pattern::default();
            for part in parts {
                p.push(part);
            }
            proptest::prop_assert_eq!(parse(&p.to_string()), p);
        }

        /// A pattern is written a run at a time exactly as the notation's definition writes it a
        /// character at a time.
        #[test]
        fn notation_is_written_as_defined(parts in parts("[a\\\\*?%é😀]{0,6}")) {
            let p = Pattern { parts, cased: false };
            proptest::prop_assert_eq!(p.to_string(), one_char_at_a_time(&p));
        }
    }

    /// Up to 8 parts: wildcards, and literals matching the regex `literal`.
    fn parts(literal: &'static str) -> impl Strategy<Value = Vec<Part>> {
        proptest::collection::vec(
            proptest::prop_oneof![
                literal.prop_map(Part::Lit),
                proptest::strategy::Just(Part::AnyRun),
                proptest::strategy::Just(Part::AnyChar),
            ],
            0..8,
        )
    }

    /// Sigma notation, a character at a time: `*`, `?`, and a backslash before one of them, before
    /// a backslash, or last before a wildcard, are escaped.
    fn one_char_at_a_time(p: &Pattern) -> String {
        let mut out = String::new();
        for (i, part) in p.parts.iter().enumerate() {
            match part {
                Lit(s) => {
                    let next_is_wildcard = matches!(p.parts.get(i + 1), Some(AnyRun | AnyChar));
                    let mut chars = s.chars().peekable();
                    while let Some(c) = chars.next() {
                        let escape = match c {
                            '*' | '?' => true,
                            '\\' => match chars.peek() {
                                Some('*' | '?' | '\\') => true,
                                Some(_) => false,
                                None => next_is_wildcard,
                            },
                            _ => false,
                        };
                        if escape {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                }
                AnyRun => out.push('*'),
                AnyChar => out.push('?'),
                Placeholder(name) => out.push_str(&format!("%{name}%")),
            }
        }
        out
    }
}
