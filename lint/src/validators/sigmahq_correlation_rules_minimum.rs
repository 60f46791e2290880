//! `sigmahq_correlation_rules_minimum`
//!
//! ## What it does
//! Reports a `temporal` or `temporal_ordered` correlation whose `rules` name fewer than two
//! rules.
//!
//! ## Why is this bad?
//! A temporal correlation relates the matches of different rules within the timespan (in the
//! listed order, for `temporal_ordered`). Over one rule there is nothing to relate: it fires
//! whenever that rule does, so the second rule was most likely left out, or an `event_count` was
//! meant.
//!
//! ## Example
//! ```yaml
//! correlation:
//!   type: temporal
//!   rules: [failed_logon]   # the successful logon that must follow is missing
//!   group-by: [TargetUserName]
//!   timespan: 10m
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(c) = cx.correlation else {
        return;
    };
    if !c.kind.is_temporal() || c.rules.len() >= 2 {
        return;
    }
    let at = cx
        .root
        .get("correlation")
        .map_or(c.keyword, |n| n.key_span("rules"));
    out.report(
        at,
        format!(
            "a `{}` correlation over {} rule: it relates the matches of at least two rules",
            c.kind,
            c.rules.len()
        ),
    )
    .help("list the other rule, or count the matches of this one with `type: event_count`");
}
