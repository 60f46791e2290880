//! `sigmahq_redundant_modified`
//!
//! ## What it does
//! Reports `modified` equal to `date`.
//!
//! ## Why is this bad?
//! A rule is not modified on the day it is created; the field is noise.
//!
//! ## Example
//! ```yaml
//! date: 2024-05-01
//! modified: 2024-05-01
//! ```

use crate::{Ctx, Out};
use sigc_compiler::model::meta::is_date;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let (Some((date, _)), Some((modified, node))) = (cx.string("date"), cx.string("modified"))
    else {
        return;
    };
    if is_date(date) && date == modified {
        out.report(node.span(), "`modified` is the same as `date`")
            .help("remove `modified`");
    }
}
