//! One leaf as a pseudocode predicate: `field="glob"`, `field=5`, `field=true`, `field=null`,
//! `field match "re"`, `field IN [10.0.0.0/8]`, `field>=5`, `field exists`, `field=other_field`.

use super::tokens::{CAR, REGEX_ESCAPED};
use crate::text::{
    Leaves, Position, expansion, literal, literal_error, refuse_cased, regex_error, unsupported,
};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{FieldRefKind, Match, Pattern, Rule, Value};

/// The language's name in messages.
const LANGUAGE: &str = "CAR pseudocode";

/// CAR's leaves for one rule; field names were checked against the data model beforehand, so
/// every name written here is a plain word of the model.
pub struct CarLeaves<'r> {
    pub rule: &'r Rule,
}

impl CarLeaves<'_> {
    fn string(&self, m: &Match, p: &Pattern, out: &mut String) -> Result<(), Diagnostic> {
        refuse_cased(self.rule, m, p, LANGUAGE, "whose `=` compares without case")?;
        literal::write_string(&CAR.string, p, out)
            .map_err(|e| literal_error(self.rule, m, e, LANGUAGE))
    }
}

impl Leaves for CarLeaves<'_> {
    fn leaf(&mut self, m: &Match, pos: Position, out: &mut String) -> Result<bool, Diagnostic> {
        let Some(f) = m.field.as_deref() else {
            return Err(unsupported(
                self.rule,
                m,
                "a keyword (a value without a field) cannot be expressed in CAR pseudocode, which only filters data-model fields",
            ));
        };
        match &m.value {
            Value::Str(p) => {
                out.push_str(f);
                out.push('=');
                self.string(m, p, out)?;
            }
            Value::Expansion(alternatives) => {
                return expansion(self, &CAR, m, alternatives, pos, out);
            }
            Value::Num(n) => out.push_str(&CAR.equals(f, n)),
            Value::Bool(b) => out.push_str(&CAR.equals(f, b)),
            Value::Null => out.push_str(&CAR.null(f)),
            Value::Exists(exists) => out.push_str(&CAR.exists(f, *exists)),
            Value::Cidr(net) => out.push_str(&format!("{f} IN [{net}]")),
            Value::Compare { op, value } => out.push_str(&CAR.compare(f, *op, value)),
            Value::Regex { pattern, flags } => out.push_str(&format!(
                "{f} match \"{}\"",
                literal::regex(pattern, *flags, CAR.string.escape, REGEX_ESCAPED)
                    .ok_or_else(|| regex_error(self.rule, m))?
            )),
            Value::FieldRef {
                field: other,
                kind: FieldRefKind::Equals,
            } => out.push_str(&format!("{f}={other}")),
            Value::FieldRef { .. } => {
                return Err(unsupported(
                    self.rule,
                    m,
                    "`|fieldref` combined with `|startswith`, `|endswith` or `|contains` cannot be expressed in CAR pseudocode",
                ));
            }
            Value::TimePart { part, .. } => {
                return Err(unsupported(
                    self.rule,
                    m,
                    format!(
                        "`|{}` (a part of a timestamp) cannot be expressed in CAR pseudocode",
                        part.name()
                    ),
                ));
            }
        }
        Ok(true)
    }
}
