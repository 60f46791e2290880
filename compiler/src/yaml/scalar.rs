//! What a YAML scalar means, decided exactly as serde_yaml (yaml_serde 0.10) decides it when it
//! builds a [`Value`], so that reading a file once with saphyr gives the values serde_yaml gives.
//!
//! The rules, from yaml_serde's `de.rs`:
//! - a quoted or block scalar is a string, unless a core tag (`!!bool`, `!!int`, `!!float`,
//!   `!!null`) asks for that type; any other tag outside the `!` namespace (`!!str`, `!!binary`,
//!   a `%TAG` prefix) gives a string;
//! - a plain scalar is null (empty, `null`, `Null`, `NULL`, `~`), a boolean (`true`, `True`,
//!   `TRUE`, and the same for false), an integer (decimal with one optional sign, `0x`, `0o`,
//!   `0b`; not a zero followed by digits), a float (Rust's syntax without a second sign, plus
//!   `.inf`, `-.inf`, `.nan` in three casings), or else a string;
//! - a tag in the `!` namespace makes a [`TaggedValue`] of the scalar (resolved as above when
//!   plain, a string otherwise);
//! - an integer beyond 64 bits is an error, not a float.

use saphyr::ScalarStyle;
use saphyr_parser::Tag as ParsedTag;
use serde_yaml::Value;
use serde_yaml::value::{Tag, TaggedValue};
use std::borrow::Cow;

const CORE: &str = "tag:yaml.org,2002:";

/// The value of a scalar with `text`, written in `style`, with `tag`; an error message (as
/// serde_yaml words it) when a core tag does not fit the text or an integer is out of range.
pub fn resolve(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&ParsedTag>,
) -> Result<Value, String> {
    let plain = style == ScalarStyle::Plain;
    let Some(tag) = tag else {
        return if plain {
            untagged(text)
        } else {
            Ok(Value::String(text.into_owned()))
        };
    };
    let full = full_tag(tag);
    if let Some(tag) = local_tag(&full) {
        let value = if plain {
            untagged(text)?
        } else {
            Value::String(text.into_owned())
        };
        return Ok(Value::Tagged(Box::new(TaggedValue { tag, value })));
    }
    match full.strip_prefix(CORE).unwrap_or_default() {
        "bool" => boolean(&text)
            .map(Value::Bool)
            .ok_or_else(|| invalid(&text, "a boolean")),
        "int" => integer(&text).unwrap_or_else(|| Err(invalid(&text, "an integer"))),
        "float" => float(&text)
            .map(|f| Value::Number(f.into()))
            .ok_or_else(|| invalid(&text, "a float")),
        "null" if is_null(&text) => Ok(Value::Null),
        "null" => Err(invalid(&text, "null")),
        _ => Ok(Value::String(text.into_owned())),
    }
}

/// A collection's tag, when it makes the collection a [`TaggedValue`] (a tag in the `!`
/// namespace; core tags such as `!!map` leave it as it is).
pub fn collection_tag(tag: Option<&ParsedTag>) -> Option<Tag> {
    tag.and_then(|tag| local_tag(&full_tag(tag)))
}

/// A tag as libyaml gives it: its prefix (resolved from the handle) and suffix together.
fn full_tag(tag: &ParsedTag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

/// The tag serde_yaml keeps for a tag whose full form starts with `!` (`!foo` is kept as `foo`,
/// the non-specific `!` as itself); `None` for any other tag.
fn local_tag(full: &str) -> Option<Tag> {
    match full.strip_prefix('!') {
        None => None,
        Some("") => Some(Tag::new(full)),
        Some(name) => Some(Tag::new(name)),
    }
}

/// A plain scalar without a tag.
fn untagged(text: Cow<'_, str>) -> Result<Value, String> {
    if text.is_empty() || is_null(&text) {
        return Ok(Value::Null);
    }
    if let Some(b) = boolean(&text) {
        return Ok(Value::Bool(b));
    }
    if let Some(int) = integer(&text) {
        return int;
    }
    match float(&text) {
        Some(f) if !leading_zero_digits(&text) => Ok(Value::Number(f.into())),
        _ => Ok(Value::String(text.into_owned())),
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "~" | "null" | "Null" | "NULL")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `None` when `text` is no integer; an error when it is one that does not fit 64 bits.
fn integer(text: &str) -> Option<Result<Value, String>> {
    if let Some(u) = unsigned::<u64>(text) {
        return Some(Ok(Value::Number(u.into())));
    }
    if let Some(i) = negative::<i64>(text) {
        return Some(Ok(Value::Number(i.into())));
    }
    if let Some(u) = unsigned::<u128>(text) {
        return Some(Err(too_wide(&format!("integer `{u}` as u128"))));
    }
    negative::<i128>(text).map(|i| Err(too_wide(&format!("integer `{i}` as i128"))))
}

/// Integer types read in a radix.
trait Radix: Sized {
    fn parse(text: &str, radix: u32) -> Option<Self>;
}

macro_rules! radix {
    ($($t:ty)*) => {$(
        impl Radix for $t {
            fn parse(text: &str, radix: u32) -> Option<Self> {
                <$t>::from_str_radix(text, radix).ok()
            }
        }
    )*};
}
radix!(u64 u128 i64 i128);

const PREFIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

fn signed(text: &str) -> bool {
    text.starts_with(['+', '-'])
}

/// A non-negative integer: one optional `+`, then decimal digits or a radix prefix.
fn unsigned<T: Radix>(text: &str) -> Option<T> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = digits.strip_prefix(prefix) {
            if signed(rest) {
                return None;
            }
            if let Some(n) = T::parse(rest, radix) {
                return Some(n);
            }
        }
    }
    if signed(digits) || leading_zero_digits(text) {
        return None;
    }
    T::parse(digits, 10)
}

/// An integer as the signed types read it: `-0x…`, `-0o…`, `-0b…`, or decimal.
fn negative<T: Radix>(text: &str) -> Option<T> {
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = text.strip_prefix('-').and_then(|t| t.strip_prefix(prefix))
            && let Some(n) = T::parse(&format!("-{rest}"), radix)
        {
            return Some(n);
        }
    }
    if leading_zero_digits(text) {
        return None;
    }
    T::parse(text, 10)
}

fn float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    if unsigned.len() < text.len() && signed(unsigned) {
        return None;
    }
    match (unsigned, text) {
        (".inf" | ".Inf" | ".INF", _) => Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => Some(f64::NAN),
        _ => unsigned.parse::<f64>().ok().filter(|f| f.is_finite()),
    }
}

/// A zero followed by decimal digits (after one optional sign): a string in YAML 1.2.
fn leading_zero_digits(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    text.len() > 1 && text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit())
}

fn invalid(text: &str, expected: &str) -> String {
    format!("invalid value: string {text:?}, expected {expected}")
}

fn too_wide(what: &str) -> String {
    format!("invalid type: {what}, expected any YAML value")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Result<Value, String> {
        resolve(Cow::Borrowed(text), ScalarStyle::Plain, None)
    }

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_does() {
        for (text, want) in [
            ("", Value::Null),
            ("~", Value::Null),
            ("Null", Value::Null),
            ("TRUE", Value::Bool(true)),
            ("yes", Value::String("yes".into())),
            ("0x1F", Value::Number(31u64.into())),
            ("-0o17", Value::Number((-15i64).into())),
            ("+1", Value::Number(1u64.into())),
            ("0123", Value::String("0123".into())),
            ("1e3", Value::Number(1000f64.into())),
            (".inf", Value::Number(f64::INFINITY.into())),
            ("+-1", Value::String("+-1".into())),
            (
                "99999999999999999999999999999999999999999",
                Value::Number(1e41.into()),
            ),
        ] {
            assert_eq!(plain(text), Ok(want), "{text}");
        }
        assert_eq!(
            plain("99999999999999999999"),
            Err(
                "invalid type: integer `99999999999999999999` as u128, expected any YAML value"
                    .into()
            )
        );
    }
}
