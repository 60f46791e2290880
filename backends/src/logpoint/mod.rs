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

use crate::correlation::{Method, Referenced, unsupported};
use crate::{Limitation, Query, Target};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Correlation, Rule};

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
            Limitation {
                what: "correlations: no LogPoint aggregation over fixed time windows is known to sigc, so the timespan would be lost",
                example: "name: base\nlogsource: {product: windows}\ndetection: {sel: {A: x}, condition: sel}\n---\ntitle: counted\ncorrelation: {type: event_count, rules: [base], timespan: 1h, condition: {gte: 2}}",
            },
        ]
    }

    fn queries(&self, rule: &Rule) -> Result<Vec<Query>, Diagnostic> {
        rule.conditions
            .iter()
            .map(|condition| query::query(rule, condition))
            .collect()
    }

    /// None: pySigma-backend-logpoint has no correlation method either.
    fn correlation_methods(&self) -> &'static [Method] {
        &[]
    }

    /// Refused at the correlation's `type`: `chart count() by …` (legacy sigmac's form) counts
    /// over the whole time range searched, not per timespan, which would change its meaning.
    fn correlation(
        &self,
        c: &Correlation,
        _method: Option<&Method>,
        _referenced: &[Referenced<'_>],
    ) -> Result<Vec<Query>, Diagnostic> {
        Err(unsupported(
            c,
            c.kind_span,
            format!(
                "`{}` correlations cannot be written for LogPoint: its `chart` aggregates over the \
                 whole time range searched, and sigc knows no LogPoint form for a fixed {} window",
                c.kind, c.timespan
            ),
        ))
    }
}

#[cfg(test)]
mod tests;
