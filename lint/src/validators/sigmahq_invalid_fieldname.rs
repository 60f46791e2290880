//! `sigmahq_invalid_fieldname`
//!
//! ## What it does
//! Reports a field that SigmaHQ's taxonomy does not list for the rule's log source (only for log
//! sources with a field list).
//!
//! ## Why is this bad?
//! A field the log source never carries (often a wrong case, `Commandline`) never matches.
//!
//! ## Example
//! ```yaml
//! logsource: {product: windows, category: process_creation}
//! detection: {selection: {Commandline: x}, condition: selection}
//! ```

use crate::sigmahq_data::fields;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if !cx.is_detection_rule() {
        return;
    }
    let Some(known) = fields(cx.logsource_key()) else {
        return;
    };
    for field in cx.items.iter().filter_map(|i| i.field.as_ref()) {
        if !known.contains(&field.name) {
            out.report(
                field.span,
                format!("field `{}` does not exist in this log source", field.name),
            );
        }
    }
}
