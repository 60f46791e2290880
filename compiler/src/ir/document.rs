//! What one YAML document of a rule file holds: a rule, a correlation or a filter.

use super::correlation::{Correlation, RuleRef};
use super::filter::{Filter, FilterRules};
use super::rule::{Meta, Rule};
use crate::diagnostic::{Diagnostic, Source};
use crate::span::Span;
use std::sync::Arc;

/// A compiled document. A rule is shared (`Arc`): every target's plan converts from the same
/// one, and a converted rule keeps it as its original without a copy.
#[derive(Clone, Debug)]
pub enum Document {
    Rule(Arc<Rule>),
    /// Boxed, as a filter is: a document is then as small as a pointer, and a run holds thousands.
    Correlation(Box<Correlation>),
    Filter(Box<Filter>),
}

impl Document {
    pub fn meta(&self) -> &Meta {
        match self {
            Document::Rule(r) => &r.meta,
            Document::Correlation(c) => &c.meta,
            Document::Filter(f) => &f.meta,
        }
    }

    /// The metadata to change (a shared rule is copied first, as [`Arc::make_mut`] does; a
    /// rule being compiled is not shared yet).
    pub fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Document::Rule(r) => &mut Arc::make_mut(r).meta,
            Document::Correlation(c) => &mut c.meta,
            Document::Filter(f) => &mut f.meta,
        }
    }

    /// The file the document came from.
    pub fn source(&self) -> &Arc<Source> {
        match self {
            Document::Rule(r) => &r.source,
            Document::Correlation(c) => &c.source,
            Document::Filter(f) => &f.source,
        }
    }

    /// The whole document.
    pub fn span(&self) -> Span {
        match self {
            Document::Rule(r) => r.span,
            Document::Correlation(c) => c.span,
            Document::Filter(f) => f.span,
        }
    }

    /// `rule`, `correlation` or `filter`.
    pub fn kind(&self) -> &'static str {
        match self {
            Document::Rule(_) => "rule",
            Document::Correlation(_) => "correlation",
            Document::Filter(_) => "filter",
        }
    }

    pub fn as_rule(&self) -> Option<&Rule> {
        match self {
            Document::Rule(r) => Some(r.as_ref()),
            Document::Correlation(_) | Document::Filter(_) => None,
        }
    }

    /// Every reference to another document, in the order written: a correlation's `rules` and
    /// the rules its `aliases` name, a filter's listed rules.
    pub fn references(&self) -> Vec<&RuleRef> {
        match self {
            Document::Rule(_) => Vec::new(),
            Document::Correlation(c) => c
                .rules
                .iter()
                .chain(
                    c.aliases
                        .iter()
                        .flat_map(|a| a.fields.iter().map(|(r, _)| r)),
                )
                .collect(),
            Document::Filter(f) => match &f.rules {
                FilterRules::Any => Vec::new(),
                FilterRules::Listed(refs) => refs.iter().collect(),
            },
        }
    }

    /// The rule; for a correlation or a filter, the one located `unsupported_document` error of a
    /// consumer (`by`, e.g. "`sigc convert`") that handles rules only. An outline
    /// ([`Rule::outline`]) is refused too: it stands for a rule and must never be used as one.
    pub fn rule_for(&self, by: &str) -> Result<&Arc<Rule>, Vec<Diagnostic>> {
        match self {
            Document::Rule(rule) if rule.is_outline() => Err(vec![Diagnostic::error(
                "internal_error",
                format!(
                    "rule `{}` was set aside and not compiled again before {by} used it; this is \
                     a bug in sigc",
                    rule.meta.title
                ),
                &rule.source,
                Span::new(0, 0),
            )]),
            Document::Rule(rule) => Ok(rule),
            Document::Correlation(_) | Document::Filter(_) => Err(self.refusal(by)),
        }
    }

    /// [`Document::rule_for`], taking the rule out.
    pub fn into_rule(self, by: &str) -> Result<Rule, Vec<Diagnostic>> {
        match self {
            Document::Rule(rule) => Ok(Arc::unwrap_or_clone(rule)),
            Document::Correlation(_) | Document::Filter(_) => Err(self.refusal(by)),
        }
    }

    /// The `unsupported_document` error of `by` for this document, at its keyword.
    fn refusal(&self, by: &str) -> Vec<Diagnostic> {
        let (what, source, at) = match self {
            Document::Rule(r) => ("rules are", &r.source, r.span),
            Document::Correlation(c) => ("correlation rules are", &c.source, c.keyword),
            Document::Filter(f) => ("filters are", &f.source, f.keyword),
        };
        vec![Diagnostic::error(
            "unsupported_document",
            format!("{what} not supported yet by {by}"),
            source,
            at,
        )]
    }
}
