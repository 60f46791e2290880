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

use crate::{Limitation, Query, Target};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;

/// The LogPoint target.
pub struct LogPoint;

impl Target for LogPoint {
    fn name(&self) -> &'static str {
        "logpoint"
    }

    fn description(&self) -> &'static str {
        "LogPoint search queries (pySigma-backend-logpoint compatible)"
    }

    fn extension(&self) -> &'static str {
        "lp"
    }

    fn default_pipelines(&self) -> &'static [&'static str] {
        &["logpoint_native"]
    }

    fn limitations(&self) -> &'static [Limitation] {
        &[
            Limitation {
                what: "case-sensitive matching (`|cased`): LogPoint's `field=value` ignores case",
                example: "logsource: {product: windows}\ndetection: {sel: {Image|cased: x}, condition: sel}",
            },
            Limitation {
                what: "a value holding both `\"` and `'`: LogPoint has no escape character",
                example: "logsource: {product: windows}\ndetection: {sel: {A: 'a\"b''c'}, condition: sel}",
            },
            Limitation {
                what: "an IPv6 network (`|cidr`): LogPoint has no network operator",
                example: "logsource: {product: windows}\ndetection: {sel: {A|cidr: 'fe80::/10'}, condition: sel}",
            },
            Limitation {
                what: "booleans",
                example: "logsource: {product: windows}\ndetection: {sel: {A: true}, condition: sel}",
            },
            Limitation {
                what: "field references (`|fieldref`)",
                example: "logsource: {product: windows}\ndetection: {sel: {A|fieldref: B}, condition: sel}",
            },
            Limitation {
                what: "timestamp parts (`|minute` … `|year`)",
                example: "logsource: {product: windows}\ndetection: {sel: {Time|minute: 5}, condition: sel}",
            },
            Limitation {
                what: "a keyword (a value without a field) that is not a string, a number or a regex",
                example: "logsource: {product: windows}\ndetection: {keywords: [true], condition: keywords}",
            },
            Limitation {
                what: "a placeholder (`|expand`) that no pipeline replaced",
                example: "logsource: {product: windows}\ndetection: {sel: {A|expand: '%admins%'}, condition: sel}",
            },
        ]
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
