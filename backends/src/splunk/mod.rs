//! Splunk SPL, compatible in meaning and text with pySigma-backend-splunk (default output format,
//! no pipeline).
//!
//! Where pySigma writes a query that does not mean what the rule says, this backend writes a
//! correct one instead (see `docs/compat.md`): regexes inside a negated group use the `rex`
//! chain rather than a positive `| regex`, an expansion under `NOT` is parenthesised, and
//! terms are only hoisted before the `rex` chain when they are top-level conjuncts.

mod leaf;
mod names;
mod query;
mod rex;
pub mod tokens;

use crate::{Backend, Query};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;

/// The Splunk SPL target.
pub struct Splunk;

impl Backend for Splunk {
    fn name(&self) -> &'static str {
        "splunk"
    }

    fn description(&self) -> &'static str {
        "Splunk SPL search queries (pySigma-backend-splunk compatible)"
    }

    fn extension(&self) -> &'static str {
        "spl"
    }

    fn queries(&self, rule: &Rule) -> Result<Vec<Query>, Diagnostic> {
        rule.conditions
            .iter()
            .map(|condition| query::query(rule, condition))
            .collect()
    }
}

#[cfg(test)]
mod tests;
