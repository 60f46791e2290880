//! One leaf as LogPoint: `field="value"`, `field=5`, `field=*`, `-field=*`, `field!=*`,
//! `field > 5`, CIDR as `field IN ["10.*"]`, and regexes as a `…_condition="true"` test backed by
//! the `process` chain.

use super::cidr;
use super::regex;
use super::tokens::LOGPOINT;
use crate::text::chain::Chain;
use crate::text::literal::{self, LiteralError};
use crate::text::{
    Leaves, Position, expansion, kind, literal_error, name_error, refuse_cased, regex_error,
    unsupported,
};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Match, Part, Pattern, RegexFlags, Rule, Value};
use std::borrow::Cow;
use std::net::IpAddr;

/// The language's name in messages.
const LANGUAGE: &str = "LogPoint";

/// The field a keyword regex is matched against (the raw log message).
const MESSAGE: &str = "msg";

/// LogPoint's leaves for one condition, with the regexes they moved into the `process` chain.
pub struct LogPointLeaves<'r> {
    rule: &'r Rule,
    pub chain: Chain,
}

impl<'r> LogPointLeaves<'r> {
    pub fn new(rule: &'r Rule) -> Self {
        LogPointLeaves {
            rule,
            chain: Chain::default(),
        }
    }

    /// Writes `field=<literal>`; a value with a literal `*` or `?`, which LogPoint cannot write
    /// literally, becomes the equivalent anchored, case-insensitive regex instead.
    fn term(
        &mut self,
        m: &Match,
        field: &str,
        p: &Pattern,
        out: &mut String,
    ) -> Result<(), Diagnostic> {
        refuse_cased(
            self.rule,
            m,
            p,
            LANGUAGE,
            "whose `field=value` search ignores case",
        )?;
        let mark = out.len();
        out.push_str(&self.field(m, field)?);
        out.push('=');
        match literal::write_string(&LOGPOINT.string, p, out) {
            Ok(()) => Ok(()),
            Err(e @ LiteralError::Placeholder(_)) => Err(literal_error(self.rule, m, e, LANGUAGE)),
            Err(LiteralError::Unquotable) if holds(p, '"') && holds(p, '\'') => Err(unsupported(
                self.rule,
                m,
                format!(
                    "value `{p}` holds both `\"` and `'`; LogPoint has no escape character, so it cannot be quoted"
                ),
            )),
            Err(LiteralError::Unquotable) => {
                out.truncate(mark);
                let flags = RegexFlags {
                    ignore_case: true,
                    multi_line: false,
                    dot_all: true,
                };
                self.regex(m, field, &wildcard_regex(p), flags, out)
            }
        }
    }

    fn field<'n>(&self, m: &Match, name: &'n str) -> Result<Cow<'n, str>, Diagnostic> {
        literal::field(&LOGPOINT, name).map_err(|e| {
            name_error(
                m.origin.source(&self.rule.source),
                m.origin.span(),
                name,
                e,
                "LogPoint, which has no escape character",
            )
        })
    }

    /// Writes `<condition>="true"`, the regex's test, and adds the regex to the chain.
    fn regex(
        &mut self,
        m: &Match,
        field: &str,
        pattern: &str,
        flags: RegexFlags,
        out: &mut String,
    ) -> Result<(), Diagnostic> {
        let plain = field
            .chars()
            .all(|c| c.is_alphanumeric() || "_.-".contains(c));
        let written = if plain && !field.is_empty() {
            Cow::Borrowed(field)
        } else {
            self.field(m, field)?
        };
        let condition = regex::add(&mut self.chain, field, &written, pattern, flags)
            .ok_or_else(|| regex_error(self.rule, m))?;
        out.push_str(&condition);
        out.push_str("=\"true\"");
        Ok(())
    }

    fn keyword(&mut self, m: &Match, pos: Position, out: &mut String) -> Result<bool, Diagnostic> {
        match &m.value {
            Value::Str(p) => {
                // A keyword that cannot be a literal is searched anywhere in the whole message.
                if p.cased || literal::write_string(&LOGPOINT.string, p, out).is_err() {
                    self.term(m, MESSAGE, &anywhere(p), out)?;
                }
            }
            Value::Num(n) => out.push_str(&format!("\"{n}\"")),
            Value::Regex { pattern, flags } => self.regex(m, MESSAGE, pattern, *flags, out)?,
            Value::Expansion(alternatives) => {
                return expansion(self, &LOGPOINT, m, alternatives, pos, out);
            }
            value @ (Value::Bool(_)
            | Value::Null
            | Value::Cidr(_)
            | Value::Compare { .. }
            | Value::Exists(_)
            | Value::FieldRef { .. }
            | Value::TimePart { .. }) => {
                return Err(unsupported(
                    self.rule,
                    m,
                    format!(
                        "a keyword (a value without a field) cannot be {} in LogPoint",
                        kind(value)
                    ),
                ));
            }
        }
        Ok(true)
    }
}

impl Leaves for LogPointLeaves<'_> {
    fn leaf(&mut self, m: &Match, pos: Position, out: &mut String) -> Result<bool, Diagnostic> {
        let Some(field) = m.field.as_deref() else {
            return self.keyword(m, pos, out);
        };
        let f = self.field(m, field)?;
        match &m.value {
            // LogPoint's normaliser drops Windows' `-` placeholder, so `-` means "no value".
            Value::Str(p) if p.as_plain().as_deref() == Some("-") => {
                out.push_str(&f);
                out.push_str("!=*");
            }
            Value::Str(p) => self.term(m, field, p, out)?,
            Value::Expansion(alternatives) => {
                return expansion(self, &LOGPOINT, m, alternatives, pos, out);
            }
            Value::Num(n) => out.push_str(&LOGPOINT.equals(&f, n)),
            Value::Null => out.push_str(&LOGPOINT.null(&f)),
            Value::Exists(exists) => out.push_str(&LOGPOINT.exists(&f, *exists)),
            Value::Cidr(net) => match net.network() {
                IpAddr::V4(first) => {
                    let values: Vec<String> = cidr::patterns(first, net.prefix_len())
                        .iter()
                        .map(|p| format!("\"{p}\""))
                        .collect();
                    out.push_str(&format!("{f} IN [{}]", values.join(", ")));
                }
                IpAddr::V6(_) => {
                    return Err(unsupported(
                        self.rule,
                        m,
                        format!(
                            "an IPv6 network (`|cidr` {net}) cannot be matched exactly in LogPoint: it has no network operator, and wildcards on the address text select other addresses (an address has many texts: `::`, leading zeros, case)"
                        ),
                    ));
                }
            },
            Value::Compare { op, value } => out.push_str(&LOGPOINT.compare(&f, *op, value)),
            Value::Regex { pattern, flags } => self.regex(m, field, pattern, *flags, out)?,
            value @ (Value::Bool(_) | Value::FieldRef { .. } | Value::TimePart { .. }) => {
                return Err(unsupported(
                    self.rule,
                    m,
                    format!("{} is not supported by the LogPoint backend", kind(value)),
                ));
            }
        }
        Ok(true)
    }
}

/// `*p*`: the pattern found anywhere in a value, as a keyword is.
fn anywhere(p: &Pattern) -> Pattern {
    let mut out = Pattern {
        parts: Vec::with_capacity(p.parts.len() + 2),
        cased: p.cased,
    };
    if p.parts.first() != Some(&Part::AnyRun) {
        out.push(Part::AnyRun);
    }
    p.parts.iter().cloned().for_each(|part| out.push(part));
    if out.parts.last() != Some(&Part::AnyRun) {
        out.push(Part::AnyRun);
    }
    out
}

/// Whether a literal part of the pattern holds `c`.
fn holds(p: &Pattern, c: char) -> bool {
    p.parts
        .iter()
        .any(|part| matches!(part, Part::Lit(s) if s.contains(c)))
}

/// The whole-value match of a pattern as a regex: `^…$`, `.*` for `*`, `.` for `?`, every
/// literal ASCII punctuation character escaped.
fn wildcard_regex(p: &Pattern) -> String {
    let mut out = String::from("^");
    for part in &p.parts {
        match part {
            Part::Lit(text) => {
                for c in text.chars() {
                    if c.is_ascii_punctuation() {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Part::AnyRun => out.push_str(".*"),
            Part::AnyChar => out.push('.'),
            // Placeholders are refused before this is reached (`literal::string` reports them).
            Part::Placeholder(_) => {}
        }
    }
    out.push('$');
    out
}
