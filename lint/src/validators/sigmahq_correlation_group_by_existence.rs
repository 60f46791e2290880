//! `sigmahq_correlation_group_by_existence`
//!
//! ## What it does
//! Reports an `event_count`, `value_count`, `temporal` or `temporal_ordered` correlation without
//! `group-by` (or with an empty one). As in pySigma, the `value_sum`, `value_avg` and
//! `value_percentile` types are not checked.
//!
//! ## Why is this bad?
//! Without `group-by` the events of every user, host and source address fall into one group: ten
//! failed logons spread over ten users count as ten for one, and a logon of one user "follows" the
//! failures of another.
//!
//! ## Example
//! ```yaml
//! correlation:
//!   type: event_count
//!   rules: [failed_logon]
//!   timespan: 5m          # group-by: [TargetUserName] is missing
//!   condition: {gte: 10}
//! ```

use crate::{Ctx, Out};
use sigc_compiler::ir::CorrelationType;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(c) = cx.correlation else {
        return;
    };
    let checked = match c.kind {
        CorrelationType::EventCount
        | CorrelationType::ValueCount
        | CorrelationType::Temporal
        | CorrelationType::TemporalOrdered => true,
        CorrelationType::ValueSum
        | CorrelationType::ValueAvg
        | CorrelationType::ValuePercentile => false,
    };
    if checked && c.group_by.is_empty() {
        out.report(
            c.keyword,
            format!(
                "`{}` correlation without `group-by`: the events of every user and host fall into one group",
                c.kind
            ),
        )
        .help("add `group-by` with the fields that must be equal within a group");
    }
}
