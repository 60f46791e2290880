//! A Sigma filter (specification "Sigma Filters"): a condition added to other rules, kept outside
//! them.

use super::correlation::RuleRef;
use super::expr::Expr;
use super::origin::Origin;
use super::rule::{LogSource, Meta, Rule};
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

impl Filter {
    /// Whether the filter applies to `rule` (pySigma `SigmaFilter._should_apply_on_rule`): its
    /// log source contains the rule's (each of category, product and service that the filter
    /// names equals the rule's), and `rules` is `any` or names the rule by id or name. A listed
    /// rule that is not among the inputs is simply not filtered.
    pub fn applies_to(&self, rule: &Rule) -> bool {
        let contains =
            |filter: &Option<String>, rule: &Option<String>| filter.is_none() || filter == rule;
        let (f, r) = (&self.logsource, &rule.logsource);
        let logsource = contains(&f.category, &r.category)
            && contains(&f.product, &r.product)
            && contains(&f.service, &r.service);
        logsource
            && match &self.rules {
                FilterRules::Any => true,
                FilterRules::Listed(refs) => refs.iter().any(|r| {
                    rule.meta.id.as_ref() == Some(&r.reference)
                        || rule.meta.name.as_ref() == Some(&r.reference)
                }),
            }
    }

    /// The condition as added to a rule: each leaf the filter wrote points into the filter's
    /// file ([`Origin::Filter`]).
    pub fn added_condition(&self) -> Expr {
        let mut condition = self.condition.clone();
        condition.visit_mut(&mut |m| {
            if let Origin::Source(span) = m.origin {
                m.origin = Origin::Filter {
                    source: self.source.clone(),
                    span,
                };
            }
        });
        condition
    }
}
