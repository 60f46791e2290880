//! `sigmahq_date_existence`
//!
//! ## What it does
//! Reports a rule without `date`.
//!
//! ## Why is this bad?
//! The creation date tells how old the rule's assumptions are.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd   # and no date:
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let present = cx
        .root
        .get("date")
        .is_some_and(|n| n.as_str().is_none_or(|s| !s.trim().is_empty()));
    if !present {
        out.report(cx.missing_span(), "rule has no `date`");
    }
}
