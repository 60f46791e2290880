//! Splunk SPL, compatible in meaning and text with pySigma-backend-splunk (default output format,
//! no pipeline).
//!
//! Where pySigma writes a query that does not mean what the rule says, this backend writes a
//! correct one instead (see `docs/compat.md`): regexes inside a negated group use the `rex`
//! chain rather than a positive `| regex`, an expansion under `NOT` is parenthesised, and
//! terms are only hoisted before the `rex` chain when they are top-level conjuncts.

mod correlation;
mod leaf;
mod names;
mod query;
mod rex;
pub mod tokens;

use crate::correlation::{Method, Referenced};
use crate::format::{self, Format, conf};
use crate::options::{BackendOption, Kind};
use crate::{Limitation, Query, Target};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Correlation, Rule};

/// The Splunk SPL target.
pub struct Splunk;

impl Target for Splunk {
    fn name(&self) -> &'static str {
        "splunk"
    }

    fn description(&self) -> &'static str {
        "Splunk SPL search queries (pySigma-backend-splunk compatible)"
    }

    fn extension(&self) -> &'static str {
        "spl"
    }

    fn default_pipelines(&self) -> &'static [&'static str] {
        &["splunk_sysmon_native"]
    }

    fn formats(&self) -> &'static [&'static Format] {
        &[
            &format::DEFAULT,
            &format::splunk::SAVEDSEARCHES,
            &format::splunk::DATA_MODEL,
            &format::JSON,
        ]
    }

    /// pySigma-backend-splunk's options (2.1), read by the `savedsearches` format.
    fn options(&self) -> &'static [BackendOption] {
        &[
            BackendOption {
                name: "min_time",
                description: "`dispatch.earliest_time` of the `[default]` stanza (savedsearches)",
                kind: Kind::Text { default: "-30d" },
                check: conf_value,
            },
            BackendOption {
                name: "max_time",
                description: "`dispatch.latest_time` of the `[default]` stanza (savedsearches)",
                kind: Kind::Text { default: "now" },
                check: conf_value,
            },
            BackendOption {
                name: "output_settings",
                description: "KEY=VALUE: a setting of the `[default]` stanza (savedsearches)",
                kind: Kind::Settings {
                    reserved: &["dispatch.earliest_time", "dispatch.latest_time"],
                },
                check: conf_value,
            },
            BackendOption {
                name: "query_settings",
                description: "KEY=VALUE: a setting of every query's stanza (savedsearches)",
                kind: Kind::Settings {
                    reserved: &["description", "search"],
                },
                check: conf_value,
            },
        ]
    }

    fn limitations(&self) -> &'static [Limitation] {
        &[
            Limitation {
                what: "case-sensitive matching (`|cased`): SPL's `field=value` ignores case",
                example: "logsource: {product: windows}\ndetection: {sel: {Image|cased: x}, condition: sel}",
            },
            Limitation {
                what: "`|fieldref` with `|startswith`, `|endswith` or `|contains`",
                example: "logsource: {product: windows}\ndetection: {sel: {A|fieldref|contains: B}, condition: sel}",
            },
            Limitation {
                what: "`|fieldref` under an OR or inside a negated group: `| where` only ANDs with the search",
                example: "logsource: {product: windows}\ndetection: {a: {A|fieldref: B}, b: {C: x}, condition: a or b}",
            },
            Limitation {
                what: "a keyword (a value without a field) that is not a string, a number or a regex",
                example: "logsource: {product: windows}\ndetection: {keywords: [true], condition: keywords}",
            },
            Limitation {
                what: "timestamp parts (`|minute` … `|year`)",
                example: "logsource: {product: windows}\ndetection: {sel: {Time|minute: 5}, condition: sel}",
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

    fn correlation_methods(&self) -> &'static [Method] {
        correlation::METHODS
    }

    /// `stats` is the only method.
    fn correlation(
        &self,
        c: &Correlation,
        _method: Option<&Method>,
        referenced: &[Referenced<'_>],
    ) -> Result<Vec<Query>, Diagnostic> {
        Ok(vec![correlation::query(c, referenced)?])
    }
}

/// Refuses a value that a `.conf` setting cannot carry.
fn conf_value(value: &str) -> Result<(), String> {
    conf::value(value).map(drop)
}

#[cfg(test)]
mod tests;
