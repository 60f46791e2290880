//! A Sigma filter (specification "Sigma Filters"): a condition added to other rules, kept outside
//! them.

use super::correlation::RuleRef;
use super::expr::Expr;
use super::rule::{LogSource, Meta};
use crate::diagnostic::Source;
use crate::span::Span;
use std::sync::Arc;

/// A filter document after reading, its detection lowered like a rule's.
#[derive(Clone, Debug)]
pub struct Filter {
    pub meta: Meta,
    /// The filter applies only to rules whose log source this one contains.
    pub logsource: LogSource,
    pub rules: FilterRules,
    /// The filter's one `condition`, over its own search identifiers.
    pub condition: Expr,
    /// The file the filter came from.
    pub source: Arc<Source>,
    /// The whole document.
    pub span: Span,
    /// The `filter` key.
    pub keyword: Span,
}

/// `filter.rules`: which rules the filter applies to.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterRules {
    /// `any`, or an empty list.
    Any,
    /// The rules listed by id or name (one string is a list of one).
    Listed(Vec<RuleRef>),
}
