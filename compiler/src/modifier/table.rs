//! The modifier table: names, what each does, listed by `sigc list modifiers`.

use super::Modifier;
use crate::ir::{CmpOp, TimePart};

/// A modifier's names and one-line description.
pub struct ModifierInfo {
    pub modifier: Modifier,
    /// The first name is canonical; the others are aliases.
    pub names: &'static [&'static str],
    pub description: &'static str,
}

const fn m(
    modifier: Modifier,
    names: &'static [&'static str],
    description: &'static str,
) -> ModifierInfo {
    ModifierInfo {
        modifier,
        names,
        description,
    }
}

/// Every supported modifier.
pub static MODIFIERS: &[ModifierInfo] = &[
    m(
        Modifier::Contains,
        &["contains"],
        "value occurs anywhere in the field (`*value*`)",
    ),
    m(
        Modifier::StartsWith,
        &["startswith"],
        "field starts with the value (`value*`)",
    ),
    m(
        Modifier::EndsWith,
        &["endswith"],
        "field ends with the value (`*value`)",
    ),
    m(
        Modifier::All,
        &["all"],
        "every value of the list must match (AND instead of OR)",
    ),
    m(Modifier::Base64, &["base64"], "the value, base64-encoded"),
    m(
        Modifier::Base64Offset,
        &["base64offset"],
        "the value base64-encoded at each of the three byte offsets (use with contains)",
    ),
    m(
        Modifier::Utf16Le,
        &["wide", "utf16le"],
        "the value as UTF-16 little-endian bytes (use before base64/base64offset)",
    ),
    m(
        Modifier::Utf16Be,
        &["utf16be"],
        "the value as UTF-16 big-endian bytes (use before base64/base64offset)",
    ),
    m(
        Modifier::Utf16,
        &["utf16"],
        "the value as UTF-16 with a FF FE byte-order mark (use before base64/base64offset)",
    ),
    m(
        Modifier::Windash,
        &["windash"],
        "every `-` or `/` option dash also as `/`, `-`, en dash, em dash and horizontal bar",
    ),
    m(
        Modifier::Re,
        &["re"],
        "the value is a regular expression (case-sensitive substring match)",
    ),
    m(
        Modifier::IgnoreCase,
        &["i", "ignorecase"],
        "regular expression flag: ignore case (after re)",
    ),
    m(
        Modifier::MultiLine,
        &["m", "multiline"],
        "regular expression flag: ^ and $ match at line breaks (after re)",
    ),
    m(
        Modifier::DotAll,
        &["s", "dotall"],
        "regular expression flag: . matches line breaks (after re)",
    ),
    m(Modifier::Cased, &["cased"], "match case-sensitively"),
    m(
        Modifier::Cidr,
        &["cidr"],
        "field is an IP address inside the IPv4/IPv6 network",
    ),
    m(
        Modifier::Exists,
        &["exists"],
        "field is present (true) or absent (false)",
    ),
    m(Modifier::Compare(CmpOp::Gt), &["gt"], "field > number"),
    m(Modifier::Compare(CmpOp::Gte), &["gte"], "field >= number"),
    m(Modifier::Compare(CmpOp::Lt), &["lt"], "field < number"),
    m(Modifier::Compare(CmpOp::Lte), &["lte"], "field <= number"),
    m(Modifier::Neq, &["neq"], "the detection item must not match"),
    m(
        Modifier::FieldRef,
        &["fieldref"],
        "the value names another field whose value must match",
    ),
    m(
        Modifier::Expand,
        &["expand"],
        "%name% placeholders are filled in by a pipeline",
    ),
    m(
        Modifier::Time(TimePart::Minute),
        &["minute"],
        "the minute of a timestamp field equals the number",
    ),
    m(
        Modifier::Time(TimePart::Hour),
        &["hour"],
        "the hour of a timestamp field equals the number",
    ),
    m(
        Modifier::Time(TimePart::Day),
        &["day"],
        "the day of month of a timestamp field equals the number",
    ),
    m(
        Modifier::Time(TimePart::Week),
        &["week"],
        "the ISO week of a timestamp field equals the number",
    ),
    m(
        Modifier::Time(TimePart::Month),
        &["month"],
        "the month of a timestamp field equals the number",
    ),
    m(
        Modifier::Time(TimePart::Year),
        &["year"],
        "the year of a timestamp field equals the number",
    ),
];
