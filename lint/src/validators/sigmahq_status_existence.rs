//! `sigmahq_status_existence`
//!
//! ## What it does
//! Reports a rule without `status`.
//!
//! ## Why is this bad?
//! The status (experimental, test, stable) tells users how much to trust the rule.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd   # and no status:
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let present = cx
        .root
        .get("status")
        .is_some_and(|n| n.as_str().is_none_or(|s| !s.trim().is_empty()));
    if !present {
        out.report(cx.missing_span(), "rule has no `status`");
    }
}
