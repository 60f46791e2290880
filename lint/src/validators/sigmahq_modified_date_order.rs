//! `sigmahq_modified_date_order`
//!
//! ## What it does
//! Reports a `modified` date earlier than the creation `date`.
//!
//! ## Why is this bad?
//! The dates are swapped or mistyped; readers rely on them to judge how current a rule is.
//!
//! ## Example
//! ```yaml
//! date: 2024-05-01
//! modified: 2023-05-01
//! ```

use crate::{Ctx, Out};
use sigc_compiler::model::meta::is_date;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let (Some((date, _)), Some((modified, node))) = (cx.string("date"), cx.string("modified"))
    else {
        return;
    };
    if is_date(date) && is_date(modified) && modified < date {
        out.report(
            node.span(),
            format!("`modified` ({modified}) is before `date` ({date})"),
        );
    }
}
