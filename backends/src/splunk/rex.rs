//! Regexes that cannot be a trailing `| regex` (under an OR, or inside a negated group) become a
//! `rex`/`eval` pair computing a `…Condition` field, which the main search then tests.
//!
//! As in pySigma-backend-splunk: the capture group is named after the field with everything up to
//! its last `.` dropped (Splunk forbids dots in group names), `Match`, and a counter that
//! is empty for the first use and then `2`, `3`, … (per group name: pySigma counts per field, so
//! `a.Sig` and `b.Sig` would share `SigMatch`).

use crate::text::chain::Chain;
use crate::text::literal;

/// Splunk's limit on the length of a capture-group name.
const MAX_GROUP_NAME: usize = 32;

/// Adds to `chain` the commands for `field` matching `regex` (already escaped for a `"…"`
/// literal) and returns the name of the field that is `"true"` when it matched.
pub fn add(chain: &mut Chain, quoted_field: &str, field: &str, regex: &str) -> String {
    // Counted per name, not per field: `a.Sig` and `b.Sig` (or `g-h` and `g_h`) share one.
    let suffix = chain.suffix(&stem(field, "Match".len()));
    let stem = stem(field, "Match".len() + suffix.len());
    let group = format!("{stem}Match{suffix}");
    let condition = format!("{stem}Condition{suffix}");
    chain.push(
        format!("rex field={quoted_field} \"(?<{group}>{regex})\""),
        format!("eval {condition}=if(isnotnull({group}), \"true\", \"false\")"),
    );
    condition
}

/// The field's last dotted component as a group name ([`literal::group_name`]) that leaves
/// `reserve` characters for the suffix within Splunk's limit (a name that is too long is cut and
/// given a hash of the full field name so that it stays distinct).
fn stem(field: &str, reserve: usize) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let clean = literal::group_name(last);
    if clean.len() + reserve <= MAX_GROUP_NAME {
        return clean;
    }
    let hash = format!("{:08x}", fnv1a(field));
    let keep = MAX_GROUP_NAME.saturating_sub(reserve + hash.len() + 1);
    format!("{}_{hash}", &clean[..keep])
}

/// 32-bit FNV-1a: a small, stable hash for shortened names.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_per_name_and_dots_are_dropped() {
        let mut chain = Chain::default();
        assert_eq!(add(&mut chain, "a.Sig", "a.Sig", "x"), "SigCondition");
        assert_eq!(add(&mut chain, "a.Sig", "a.Sig", "y"), "SigCondition2");
        assert_eq!(add(&mut chain, "Other", "Other", "z"), "OtherCondition");
        assert_eq!(add(&mut chain, "b.Sig", "b.Sig", "x"), "SigCondition3");
        assert_eq!(add(&mut chain, "Sig", "Sig", "x"), "SigCondition4");
        let step = &chain.steps()[1];
        assert_eq!(step.capture, "rex field=a.Sig \"(?<SigMatch2>y)\"");
        assert_eq!(
            step.flag,
            "eval SigCondition2=if(isnotnull(SigMatch2), \"true\", \"false\")"
        );
    }

    #[test]
    fn long_names_fit_splunk_limit() {
        let field = "ThisIsAnExtremelyLongFieldNameForTesting";
        let s = stem(field, "Match".len() + 2);
        assert_eq!(s.len() + "Match".len() + 2, MAX_GROUP_NAME);
        assert_ne!(s, stem("ThisIsAnExtremelyLongFieldNameForTestinh", 7));
    }
}
