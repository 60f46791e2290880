//! One leaf as SPL: `field="value"`, `field=5`, `field=*`, `NOT field=*`, `field>=5`, and the
//! deferred forms for regexes (`| regex`, or the `rex` chain) and field references (`| where`).

use super::names;
use super::rex;
use super::tokens::{REGEX_ESCAPED, SPLUNK};
use crate::text::chain::Chain;
use crate::text::literal::NameError;
use crate::text::{
    Leaves, Position, expansion, kind, literal, literal_error, name_error, refuse_cased,
    regex_error, unsupported,
};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{FieldRefKind, Match, Pattern, RegexFlags, Rule, Value};
use std::borrow::Cow;

/// The language's name in messages.
const LANGUAGE: &str = "Splunk SPL";

/// The field a keyword regex is matched against.
const RAW: &str = "_raw";

/// Splunk's leaves for one condition, with the parts they defer.
pub struct SplunkLeaves<'r> {
    rule: &'r Rule,
    /// Commands appended after the search (`regex …`, `where …`), without their `| `.
    pub deferred: Vec<String>,
    /// `rex`/`eval` pairs for regexes inside an OR or a negated group.
    pub chain: Chain,
}

impl<'r> SplunkLeaves<'r> {
    /// Leaves of `rule`, with nothing deferred yet.
    pub fn new(rule: &'r Rule) -> Self {
        SplunkLeaves {
            rule,
            deferred: Vec::new(),
            chain: Chain::default(),
        }
    }

    fn string(&self, m: &Match, p: &Pattern, out: &mut String) -> Result<(), Diagnostic> {
        refuse_cased(
            self.rule,
            m,
            p,
            LANGUAGE,
            "whose `field=value` search ignores case",
        )?;
        literal::write_string(&SPLUNK.string, p, out)
            .map_err(|e| literal_error(self.rule, m, e, LANGUAGE))
    }

    /// A name written with `write`, or the located error naming the SPL place it was for.
    fn name<'n>(
        &self,
        m: &Match,
        name: &'n str,
        write: fn(&'n str) -> Result<Cow<'n, str>, NameError>,
        place: &str,
    ) -> Result<Cow<'n, str>, Diagnostic> {
        let source = m.origin.source(&self.rule.source);
        write(name).map_err(|e| name_error(source, m.origin.span(), name, e, place))
    }

    fn regex(
        &mut self,
        m: &Match,
        field: &str,
        pattern: &str,
        flags: RegexFlags,
        pos: Position,
        out: &mut String,
    ) -> Result<bool, Diagnostic> {
        let body = literal::regex(pattern, flags, SPLUNK.string.escape, REGEX_ESCAPED)
            .ok_or_else(|| regex_error(self.rule, m))?;
        let quoted = self.name(m, field, names::argument, "a Splunk command argument")?;
        if pos.is_top_level_conjunct() {
            let op = if pos.negated { "!=" } else { "=" };
            self.deferred.push(format!("regex {quoted}{op}\"{body}\""));
            return Ok(false);
        }
        // The condition name is made of `[A-Za-z0-9_]` only: a plain word.
        out.push_str(&rex::add(&mut self.chain, &quoted, field, &body));
        out.push_str("=\"true\"");
        Ok(true)
    }

    fn fieldref(
        &mut self,
        m: &Match,
        field: &str,
        other: &str,
        kind: FieldRefKind,
        pos: Position,
    ) -> Result<bool, Diagnostic> {
        if kind != FieldRefKind::Equals {
            return Err(unsupported(
                self.rule,
                m,
                "`|fieldref` combined with `|startswith`, `|endswith` or `|contains` is not supported by the Splunk backend",
            ));
        }
        if pos.under_or {
            return Err(unsupported(
                self.rule,
                m,
                "ORing FieldRef matching is not supported by the Splunk backend: `| where` can only AND with the search",
            ));
        }
        if pos.in_negated_group {
            return Err(unsupported(
                self.rule,
                m,
                "a `|fieldref` inside a negated group is not supported by the Splunk backend: `| where` can only AND with the search",
            ));
        }
        let place = "a Splunk `where` expression";
        let a = self.name(m, field, names::where_field, place)?;
        let b = self.name(m, other, names::where_field, place)?;
        // Sigma compares strings without case, and a missing field never equals anything, so
        // the negation holds when either field is null (where `NOT a=b` would be null: false).
        self.deferred.push(if pos.negated {
            format!("where isnull({a}) OR isnull({b}) OR lower({a})!=lower({b})")
        } else {
            format!("where lower({a})=lower({b})")
        });
        Ok(false)
    }

    fn keyword_error(&self, m: &Match, what: &str) -> Diagnostic {
        unsupported(
            self.rule,
            m,
            format!("a keyword (a value without a field) cannot be {what}"),
        )
    }

    fn keyword(&mut self, m: &Match, pos: Position, out: &mut String) -> Result<bool, Diagnostic> {
        match &m.value {
            Value::Str(p) => self.string(m, p, out).map(|()| true),
            Value::Num(n) => {
                out.push_str(&n.to_string());
                Ok(true)
            }
            Value::Regex { pattern, flags } => self.regex(m, RAW, pattern, *flags, pos, out),
            Value::Expansion(alternatives) => expansion(self, &SPLUNK, m, alternatives, pos, out),
            // Splunk's message has never named the modifiers here.
            Value::TimePart { .. } => Err(self.keyword_error(m, "a timestamp part")),
            value @ (Value::Bool(_)
            | Value::Null
            | Value::Cidr(_)
            | Value::Compare { .. }
            | Value::Exists(_)
            | Value::FieldRef { .. }) => Err(self.keyword_error(m, kind(value))),
        }
    }
}

impl Leaves for SplunkLeaves<'_> {
    fn leaf(&mut self, m: &Match, pos: Position, out: &mut String) -> Result<bool, Diagnostic> {
        let Some(field) = m.field.as_deref() else {
            return self.keyword(m, pos, out);
        };
        let f = self.name(m, field, names::term, "a Splunk search term")?;
        match &m.value {
            Value::Str(p) => {
                out.push_str(&f);
                out.push('=');
                self.string(m, p, out)?;
            }
            Value::Expansion(alternatives) => {
                return expansion(self, &SPLUNK, m, alternatives, pos, out);
            }
            Value::Num(n) => out.push_str(&SPLUNK.equals(&f, n)),
            Value::Bool(b) => out.push_str(&SPLUNK.equals(&f, b)),
            Value::Null => out.push_str(&SPLUNK.null(&f)),
            Value::Exists(exists) => out.push_str(&SPLUNK.exists(&f, *exists)),
            Value::Cidr(net) => {
                let name = self.name(m, field, names::argument, "a Splunk search term")?;
                out.push_str(&format!("{name}=\"{net}\""));
            }
            Value::Compare { op, value } => out.push_str(&SPLUNK.compare(&f, *op, value)),
            Value::Regex { pattern, flags } => {
                return self.regex(m, field, pattern, *flags, pos, out);
            }
            Value::FieldRef { field: other, kind } => {
                return self.fieldref(m, field, other, *kind, pos);
            }
            Value::TimePart { part, .. } => {
                return Err(unsupported(
                    self.rule,
                    m,
                    format!(
                        "`|{}` (a part of a timestamp) is not supported by the Splunk backend",
                        part.name()
                    ),
                ));
            }
        }
        Ok(true)
    }
}
