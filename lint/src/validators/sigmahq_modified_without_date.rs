//! `sigmahq_modified_without_date`
//!
//! ## What it does
//! Reports `modified` in a rule that has no `date`.
//!
//! ## Why is this bad?
//! A modification date without a creation date is half a history; add `date`.
//!
//! ## Example
//! ```yaml
//! modified: 2024-05-01    # and no date:
//! ```

use crate::{Ctx, Out};
use sigc_compiler::model::meta::is_date;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let _ = is_date;
    if cx.root.get("modified").is_some() && cx.root.get("date").is_none() {
        out.report(cx.key_span("modified"), "`modified` without `date`");
    }
}
