//! The rule model: reading a rule document's fields, with every error located.
//!
//! [`meta`] reads the descriptive fields and the log source, [`item`] reads one detection item
//! (field, modifier chain, values, each located) for every consumer, [`detection`] lowers search
//! identifiers into IR expressions (applying modifiers), [`correlation`] and [`filter`] read the
//! sections of those documents, [`regex_check`] is the one check of `|re` patterns,
//! [`sigma_string`] undoes Sigma escaping. [`test_cases`] reads the rule's own `tests`.
//! [`attack`] is the ATT&CK catalogue that `attack.*` tags name.
//! Errors are collected, not returned at the first one, so a single pass reports them all.

pub mod attack;
pub mod correlation;
pub mod detection;
pub mod filter;
pub mod item;
pub mod meta;
pub mod regex_check;
pub mod sigma_string;
pub mod test_cases;

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::limits::Budget;
use crate::span::Span;
use std::sync::Arc;

/// Collects the errors and warnings found while reading one document, and charges what it
/// builds.
pub struct Errors<'s> {
    pub source: &'s Arc<Source>,
    pub list: Vec<Diagnostic>,
    /// What the document tolerates where the specification disagrees; they do not fail it.
    pub warnings: Vec<Diagnostic>,
    /// What the file's rules may still build.
    pub budget: &'s mut Budget,
}

impl<'s> Errors<'s> {
    pub fn new(source: &'s Arc<Source>, budget: &'s mut Budget) -> Self {
        Errors {
            source,
            list: Vec::new(),
            warnings: Vec::new(),
            budget,
        }
    }

    /// Records an error at `span`.
    pub fn add(&mut self, code: &'static str, message: impl Into<String>, span: Span) {
        self.list
            .push(Diagnostic::error(code, message, self.source, span));
    }

    /// Records a warning (severity medium) with a hint: the text is read as pySigma reads it, but
    /// the specification disagrees.
    pub fn warn(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        help: impl Into<String>,
    ) {
        let warning = Diagnostic::error(code, message, self.source, span)
            .with_severity(Severity::Medium)
            .with_help(help);
        self.warnings.push(warning);
    }

    /// Records an error with a hint.
    pub fn add_help(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        help: impl Into<String>,
    ) {
        self.list
            .push(Diagnostic::error(code, message, self.source, span).with_help(help));
    }
}
