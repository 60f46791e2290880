//! Shared machinery for text query languages (Splunk SPL, LogPoint, CAR pseudocode): a token
//! table, literal escaping driven by it, the IN-list decision, a precedence-aware expression
//! walker, the chain of regex commands run before a search, and the errors leaves share.
//!
//! A target supplies a [`Tokens`] table and a [`Leaves`] implementation for its leaves (where
//! it may defer a leaf to a later pipeline stage); the walker does the boolean structure.

pub mod chain;
pub mod in_list;
pub mod literal;
pub mod render;
pub mod tokens;

pub use render::{Leaves, Position, Renderer, expansion};
pub use tokens::{InList, Op, StringStyle, Tokens};

use literal::{LiteralError, NameError};
use sigc_compiler::ir::{Match, Pattern, Rule, Value};
use sigc_compiler::span::Span;
use sigc_compiler::{Diagnostic, Source};
use std::sync::Arc;

/// The diagnostic code for a rule feature a target cannot express.
pub const UNSUPPORTED: &str = "unsupported_feature";

/// An `unsupported_feature` error located at a leaf of `rule` (in the filter's file for a leaf a
/// filter added).
pub fn unsupported(rule: &Rule, m: &Match, message: impl Into<String>) -> Diagnostic {
    let source = m.origin.source(&rule.source);
    Diagnostic::error(UNSUPPORTED, message, source, m.origin.span())
}

/// Refuses case-sensitive matching (`|cased`), which `language` cannot express: `ignores_case`
/// says why ("whose `=` compares without case").
pub fn refuse_cased(
    rule: &Rule,
    m: &Match,
    p: &Pattern,
    language: &str,
    ignores_case: &str,
) -> Result<(), Diagnostic> {
    if !p.cased {
        return Ok(());
    }
    Err(unsupported(
        rule,
        m,
        format!(
            "case-sensitive matching (`|cased`) cannot be expressed in {language}, {ignores_case}"
        ),
    ))
}

/// The located error for a value [`literal::string`] could not write in `language`.
pub fn literal_error(rule: &Rule, m: &Match, e: LiteralError, language: &str) -> Diagnostic {
    match e {
        LiteralError::Placeholder(name) => unsupported(
            rule,
            m,
            format!(
                "placeholder `%{name}%` is unresolved; a pipeline must replace it before conversion to {language}"
            ),
        ),
        LiteralError::Unquotable => {
            unsupported(rule, m, format!("value cannot be quoted in {language}"))
        }
    }
}

/// The located error for a field name that cannot be written in `place` ("a Splunk `where`
/// expression"), at `span` of `source`.
pub fn name_error(
    source: &Arc<Source>,
    span: Span,
    name: &str,
    e: NameError,
    place: &str,
) -> Diagnostic {
    Diagnostic::error(
        UNSUPPORTED,
        format!(
            "field name `{}` holds {e}, which cannot be written in {place}",
            name.escape_debug()
        ),
        source,
        span,
    )
}

/// The located error for a regex that [`literal::visible_regex`] refuses.
pub fn regex_error(rule: &Rule, m: &Match) -> Diagnostic {
    unsupported(
        rule,
        m,
        "a regular expression holding a control character (a line break among them) cannot turn on extended mode `(?x)`: written as an escape, the character would change meaning",
    )
}

/// What a value is, for messages ("a boolean", "a CIDR network (`|cidr`)").
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Str(_) | Value::Expansion(_) => "a string",
        Value::Num(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Regex { .. } => "a regular expression",
        Value::Cidr(_) => "a CIDR network (`|cidr`)",
        Value::Compare { .. } => "a numeric comparison",
        Value::Exists(_) => "an existence test (`|exists`)",
        Value::FieldRef { .. } => "a field reference (`|fieldref`)",
        Value::TimePart { .. } => "a timestamp part (`|minute` … `|year`)",
    }
}

#[cfg(test)]
mod literal_props;
#[cfg(test)]
pub(crate) mod read_back;
#[cfg(test)]
pub(crate) mod test_ir;
