//! Leaf values: what a field is tested against.

use serde::Serialize;
use std::fmt;

/// What a [`Match`](super::Match) tests its field against.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Value {
    /// Whole-value wildcard match, case-insensitive unless `pattern.cased`.
    Str(Pattern),
    /// Any of several patterns (the result of `windash` or `base64offset`).
    Expansion(Vec<Pattern>),
    /// Numeric equality (YAML number).
    Num(Number),
    /// Boolean equality (YAML `true`/`false`).
    Bool(bool),
    /// The field is null (YAML `null`).
    Null,
    /// Regular expression, substring match, as written (no Sigma unescaping).
    Regex { pattern: String, flags: RegexFlags },
    /// IP address inside a network (`|cidr`).
    Cidr(ipnet::IpNet),
    /// Numeric comparison (`|gt` and friends): field `op` value.
    Compare { op: CmpOp, value: Number },
    /// Field present (`true`) or absent (`false`) (`|exists`).
    Exists(bool),
    /// Compare with another field of the same event (`|fieldref`).
    FieldRef { field: String, kind: FieldRefKind },
    /// A part of a timestamp field equals a number (`|minute` … `|year`).
    TimePart { part: TimePart, value: Number },
}

/// A Sigma string: literal text with wildcards and placeholders kept symbolic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Pattern {
    pub parts: Vec<Part>,
    /// Case-sensitive (`|cased`).
    pub cased: bool,
}

/// One piece of a [`Pattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Part {
    /// Literal text: every character stands for itself.
    Lit(String),
    /// `*`: any run of characters, possibly empty.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
    /// `%name%` under `|expand`, to be resolved by a pipeline.
    Placeholder(String),
}

impl Pattern {
    /// A pattern of one literal text (no wildcards).
    pub fn literal(text: impl Into<String>) -> Self {
        let text = text.into();
        Pattern {
            parts: if text.is_empty() {
                Vec::new()
            } else {
                vec![Part::Lit(text)]
            },
            cased: false,
        }
    }

    /// Appends a part, merging adjacent literals.
    pub fn push(&mut self, part: Part) {
        match (self.parts.last_mut(), part) {
            (Some(Part::Lit(prev)), Part::Lit(next)) => prev.push_str(&next),
            (_, Part::Lit(next)) if next.is_empty() => {}
            (_, part) => self.parts.push(part),
        }
    }

    /// True when the pattern has no wildcard and no placeholder.
    pub fn is_plain(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Lit(_)))
    }

    /// The literal text, when the pattern is plain.
    pub fn as_plain(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                _ => return None,
            }
        }
        Some(out)
    }

    pub fn starts_with_any(&self) -> bool {
        matches!(self.parts.first(), Some(Part::AnyRun))
    }

    pub fn ends_with_any(&self) -> bool {
        matches!(self.parts.last(), Some(Part::AnyRun))
    }

    pub fn has_placeholder(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Placeholder(_)))
    }
}

/// Sigma notation: `*`, `?`, `%name%`, and a backslash before a literal `*`, `?`, or before a
/// backslash that would otherwise escape what follows; other backslashes are written bare.
impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts.iter().enumerate() {
            match p {
                Part::Lit(s) => {
                    let next_is_wildcard =
                        matches!(self.parts.get(i + 1), Some(Part::AnyRun | Part::AnyChar));
                    // the characters escaped are ASCII, and no byte of a longer character is:
                    // the text between them is written a run at a time
                    let bytes = s.as_bytes();
                    let mut run = 0;
                    for (at, &b) in bytes.iter().enumerate() {
                        let escape = match b {
                            b'*' | b'?' => true,
                            b'\\' => match bytes.get(at + 1) {
                                Some(b'*' | b'?' | b'\\') => true,
                                Some(_) => false,
                                None => next_is_wildcard,
                            },
                            _ => false,
                        };
                        if escape {
                            f.write_str(&s[run..at])?;
                            f.write_str("\\")?;
                            run = at;
                        }
                    }
                    f.write_str(&s[run..])?;
                }
                Part::AnyRun => f.write_str("*")?,
                Part::AnyChar => f.write_str("?")?,
                Part::Placeholder(name) => write!(f, "%{name}%")?,
            }
        }
        Ok(())
    }
}

/// A YAML number: integral values stay integers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(x) => x,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x:?}"),
        }
    }
}

/// Regular-expression flags (`|i`, `|m`, `|s`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct RegexFlags {
    pub ignore_case: bool,
    pub multi_line: bool,
    pub dot_all: bool,
}

impl RegexFlags {
    pub fn is_empty(self) -> bool {
        !(self.ignore_case || self.multi_line || self.dot_all)
    }

    /// The flags as letters in the order `i`, `m`, `s` (for `(?ims)` prefixes).
    pub fn letters(self) -> String {
        [
            (self.ignore_case, 'i'),
            (self.multi_line, 'm'),
            (self.dot_all, 's'),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, c)| *c)
        .collect()
    }
}

/// A numeric comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CmpOp {
    Lt,
    Lte,
    Gt,
    Gte,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Lte => "<=",
            CmpOp::Gt => ">",
            CmpOp::Gte => ">=",
        }
    }
}

/// How a `|fieldref` compares the two fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum FieldRefKind {
    Equals,
    StartsWith,
    EndsWith,
    Contains,
}

/// The part of a timestamp compared by `|minute` … `|year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum TimePart {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl TimePart {
    pub fn name(self) -> &'static str {
        match self {
            TimePart::Minute => "minute",
            TimePart::Hour => "hour",
            TimePart::Day => "day",
            TimePart::Week => "week",
            TimePart::Month => "month",
            TimePart::Year => "year",
        }
    }
}
