//! Text forms of event values: case folding, numbers as strings and strings as numbers.

use super::event::FieldValue;
use std::fmt::Write;

/// Reusable buffers, so that comparing does not allocate once they have grown.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The text form of a number.
    pub(crate) num: String,
    /// A second text form (the other side of a field reference).
    pub(crate) num2: String,
    /// A case-folded value.
    pub(crate) fold: String,
    /// A second case-folded value.
    pub(crate) fold2: String,
}

/// Writes the case-folded (lowercased) form of `s` into `out`, replacing its contents.
///
/// ASCII text takes a fast path; other text is lowercased character by character with Unicode's
/// full lowercase mapping (no context-dependent rules, so patterns and values fold the same way).
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

/// The case-folded form of `s`.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// The text a scalar is compared as: a string itself, `true`/`false`, or a number's decimal form
/// (written into `buf`). `None` for null, lists and objects.
pub(crate) fn scalar_text<'b>(value: &'b FieldValue<'_>, buf: &'b mut String) -> Option<&'b str> {
    buf.clear();
    match value {
        FieldValue::Str(s) => return Some(s),
        FieldValue::Bool(true) => return Some("true"),
        FieldValue::Bool(false) => return Some("false"),
        FieldValue::Int(i) => write!(buf, "{i}").ok()?,
        FieldValue::UInt(u) => write!(buf, "{u}").ok()?,
        FieldValue::Float(x) => write!(buf, "{x}").ok()?,
        FieldValue::Null | FieldValue::List(_) | FieldValue::Object => return None,
    }
    Some(buf.as_str())
}

/// A number read from an event, for numeric comparison.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    /// Numeric equality; integers compare exactly, anything with a float as `f64`.
    pub(crate) fn equals(self, other: Num) -> bool {
        self.cmp(other) == Some(std::cmp::Ordering::Equal)
    }

    /// Numeric ordering (`None` when a NaN is involved).
    pub(crate) fn cmp(self, other: Num) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(x) => x,
        }
    }
}

impl From<sigc_compiler::ir::Number> for Num {
    fn from(n: sigc_compiler::ir::Number) -> Self {
        match n {
            sigc_compiler::ir::Number::Int(i) => Num::Int(i.into()),
            sigc_compiler::ir::Number::Float(x) => Num::Float(x),
        }
    }
}

/// The number a scalar stands for: JSON numbers as they are, strings parsed (see [`parse_num`]).
pub(crate) fn scalar_num(value: &FieldValue<'_>) -> Option<Num> {
    match *value {
        FieldValue::Int(i) => Some(Num::Int(i.into())),
        FieldValue::UInt(u) => Some(Num::Int(u.into())),
        FieldValue::Float(x) => Some(Num::Float(x)),
        FieldValue::Str(s) => parse_num(s),
        _ => None,
    }
}

/// Parses a decimal integer, a `0x` hexadecimal integer (as Windows logs write codes and masks)
/// or a finite decimal float. No surrounding whitespace is allowed.
pub(crate) fn parse_num(s: &str) -> Option<Num> {
    let first = *s.as_bytes().first()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None; // rejects "inf", "NaN" and friends early
    }
    if let Ok(i) = s.parse::<i128>() {
        return Some(Num::Int(i));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i128::from_str_radix(hex, 16).ok().map(Num::Int);
    }
    let x = s.parse::<f64>().ok()?;
    x.is_finite().then_some(Num::Float(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        let cases = [
            ("ABC def", "abc def"),
            ("C:\\WINDOWS\\System32", "c:\\windows\\system32"),
            ("ÄÖÜ straße", "äöü straße"),
            ("ΣΑΣ", "σασ"),
            ("Ǆ", "ǆ"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input:?}");
        }
    }

    #[test]
    fn text_forms() {
        let mut buf = String::new();
        let cases = [
            (FieldValue::Str("x"), Some("x")),
            (FieldValue::Bool(true), Some("true")),
            (FieldValue::Bool(false), Some("false")),
            (FieldValue::Int(-4), Some("-4")),
            (FieldValue::UInt(u64::MAX), Some("18446744073709551615")),
            (FieldValue::Float(1.5), Some("1.5")),
            (FieldValue::Null, None),
            (FieldValue::Object, None),
        ];
        for (v, want) in cases {
            assert_eq!(scalar_text(&v, &mut buf), want, "{v:?}");
        }
    }

    #[test]
    fn numbers_from_text() {
        let cases = [
            ("1", Some(Num::Int(1))),
            ("-12", Some(Num::Int(-12))),
            ("+3", Some(Num::Int(3))),
            ("0x1F", Some(Num::Int(31))),
            ("1.5", Some(Num::Float(1.5))),
            (".5", Some(Num::Float(0.5))),
            ("1e3", Some(Num::Float(1000.0))),
            ("", None),
            (" 1", None),
            ("abc", None),
            ("inf", None),
            ("NaN", None),
            ("0xZZ", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_num(s), want, "{s:?}");
        }
        assert!(Num::Int(1).equals(Num::Float(1.0)));
        assert!(!Num::Int(1).equals(Num::Int(2)));
        assert!(Num::Int(i128::from(u64::MAX)).equals(Num::Int(u64::MAX.into())));
    }
}
