//! LogPoint search queries, compatible in meaning and text with pySigma-backend-logpoint
//! (default output format).
//!
//! LogPoint differs from Splunk only in its tokens (`-` for NOT, `IN [..]`, quoting without any
//! escape character), in CIDR (expanded to wildcard patterns), in regexes (always moved into a
//! `process regex` / `process eval` chain) and in one field rewrite for Azure's
//! `modifiedProperties`. Where pySigma writes a query that would not run or does not mean what
//! the rule says, this backend writes a correct one or refuses the rule (see `docs/compat.md`):
//! a value with both quote characters or a literal wildcard is an error, not a broken query.

mod cidr;
mod leaf;
mod modified_properties;
mod query;
mod regex;
pub mod tokens;

use crate::{Backend, Query};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;

/// The LogPoint target.
pub struct LogPoint;

impl Backend for LogPoint {
    fn name(&self) -> &'static str {
        "logpoint"
    }

    fn description(&self) -> &'static str {
        "LogPoint search queries (pySigma-backend-logpoint compatible)"
    }

    fn extension(&self) -> &'static str {
        "lp"
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
