//! `sigmahq_level_existence`
//!
//! ## What it does
//! Reports a rule without `level`.
//!
//! ## Why is this bad?
//! Alerting pipelines route on the level; without it every alert gets a default.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd   # and no level:
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let present = cx
        .root
        .get("level")
        .is_some_and(|n| n.as_str().is_none_or(|s| !s.trim().is_empty()));
    if !present {
        out.report(cx.missing_span(), "rule has no `level`");
    }
}
