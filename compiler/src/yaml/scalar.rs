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
    // a text a number cannot start (Rust's float syntax would read `inf` and `nan`, not finite)
    if !may_be_number(&text) {
        return Ok(Value::String(text.into_owned()));
    }
    if let Some(int) = integer(&text) {
        return int;
    }
    match float(&text) {
        Some(f) if !leading_zero_digits(&text) => Ok(Value::Number(f.into())),
        _ => Ok(Value::String(text.into_owned())),
    }
}

/// Whether `text` may be a number, in YAML 1.1 or 1.2: every one starts with a digit, a sign or
/// a dot.
fn may_be_number(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'0'..=b'9' | b'+' | b'-' | b'.')
    )
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

/// What YAML 1.1 (PyYAML, with which pySigma reads rules) makes of the plain scalar `text`,
/// when that differs from YAML 1.2's reading ([`resolve`]): `yes`/`no`/`on`/`off` are booleans;
/// `0123` is octal, `1_000` and `0x_1F` hold separators, `1:30` is sexagesimal (90); `1e3`,
/// whose exponent has no sign, and `0o17` are strings. `None` where both read the same, where
/// YAML 1.1 gives a timestamp (kept as text) or an integer beyond 64 bits.
pub fn yaml11(text: &str) -> Option<Value> {
    // every YAML 1.1 boolean word starts with one of these letters: any text that is neither it
    // nor a number reads the same in both
    let candidate = may_be_number(text)
        || matches!(
            text.as_bytes().first(),
            Some(b'y' | b'Y' | b'n' | b'N' | b'o' | b'O' | b't' | b'T' | b'f' | b'F')
        ) && text.len() <= "false".len();
    candidate.then(|| differs(text)).flatten()
}

/// [`yaml11`], for any text.
fn differs(text: &str) -> Option<Value> {
    use std::sync::LazyLock;
    static BOOL: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        )
        .expect("valid")
    });
    static FLOAT: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        )
        .expect("valid")
    });
    static INT: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
        )
        .expect("valid")
    });
    let old = if BOOL.is_match(text) {
        Value::Bool(
            matches!(text.as_bytes()[0], b'y' | b'Y' | b't' | b'T')
                || text.eq_ignore_ascii_case("on"),
        )
    } else if FLOAT.is_match(text) {
        Value::Number(yaml11_float(text)?.into())
    } else if INT.is_match(text) {
        yaml11_int(text)?
    } else if is_null(text) || text.is_empty() {
        Value::Null
    } else {
        Value::String(text.to_string())
    };
    let new = untagged(Cow::Borrowed(text)).ok()?;
    let same = match (&old, &new) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64() || a == b,
        (a, b) => a == b,
    };
    (!same).then_some(old)
}

/// The digits of a YAML 1.1 number: its sign, and the text without `_` and the sign.
fn yaml11_digits(text: &str) -> (bool, String) {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    match digits.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, digits.trim_start_matches('+').to_string()),
    }
}

/// Base 60: `1:30` is 90.
fn sexagesimal(digits: &str) -> Option<f64> {
    digits.split(':').try_fold(0.0, |acc, part| {
        Some(acc * 60.0 + part.parse::<f64>().ok()?)
    })
}

fn yaml11_int(text: &str) -> Option<Value> {
    let (negative, digits) = yaml11_digits(text);
    let magnitude: i128 = if digits == "0" {
        0
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()?
    } else if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if digits.contains(':') {
        digits.split(':').try_fold(0i128, |acc, part| {
            acc.checked_mul(60)?.checked_add(part.parse::<i128>().ok()?)
        })?
    } else if digits.starts_with('0') {
        i128::from_str_radix(&digits, 8).ok()?
    } else {
        digits.parse().ok()?
    };
    let value = if negative { -magnitude } else { magnitude };
    match (u64::try_from(value), i64::try_from(value)) {
        (Ok(u), _) => Some(Value::Number(u.into())),
        (_, Ok(i)) => Some(Value::Number(i.into())),
        _ => None,
    }
}

fn yaml11_float(text: &str) -> Option<f64> {
    let (negative, digits) = yaml11_digits(text);
    let lower = digits.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        ".inf" => f64::INFINITY,
        ".nan" => f64::NAN,
        _ if lower.contains(':') => sexagesimal(&lower)?,
        _ => lower.parse().ok()?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain(text: &str) -> Result<Value, String> {
        resolve(Cow::Borrowed(text), ScalarStyle::Plain, None)
    }

    proptest::proptest! {
        /// Only the texts `yaml11` passes over without a look read the same in both versions.
        #[test]
        fn yaml11_looks_at_every_text_that_may_differ(text in prop_oneof![
            "[-+.0-9a-zA-Z_:~ ]{0,6}",
            proptest::sample::select(&[
                "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
                "y", "n", "True", "false", "0123", "+0b1", "1_000", "0x_1F", "1:30", "-1:30.5",
                "1e3", "1.5e+3", "0o17", ".5_0", ".inf", "-.inf", ".nan", "~", "null", "",
            ][..]).prop_map(String::from),
        ]) {
            proptest::prop_assert_eq!(yaml11(&text), differs(&text));
        }
    }

    #[test]
    fn yaml11_differs_where_pyyaml_reads_otherwise() {
        for (text, want) in [
            ("yes", Some(Value::Bool(true))),
            ("Off", Some(Value::Bool(false))),
            ("0123", Some(Value::Number(83u64.into()))),
            ("-0_17", Some(Value::Number((-15i64).into()))),
            ("1_000", Some(Value::Number(1000u64.into()))),
            ("1:30", Some(Value::Number(90u64.into()))),
            ("1:30.5", Some(Value::Number(90.5f64.into()))),
            ("0x_1F", Some(Value::Number(31u64.into()))),
            ("1e3", Some(Value::String("1e3".into()))),
            ("0o17", Some(Value::String("0o17".into()))),
            ("1.0e+3", None),
            ("0x1F", None),
            ("true", None),
            ("y", None),
            ("09", None),
            ("1.5", None),
            ("2024-01-02", None),
            ("00000429", None),
            ("0:30", None),
        ] {
            assert_eq!(yaml11(text), want, "{text}");
        }
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
            ("inf", Value::String("inf".into())),
            ("Infinity", Value::String("Infinity".into())),
            ("NaN", Value::String("NaN".into())),
            ("e3", Value::String("e3".into())),
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
