//! `sigmahq_category_event_id`
//!
//! ## What it does
//! Reports an `EventID` selection in a Windows rule that uses a log source category.
//!
//! ## Why is this bad?
//! A category (`process_creation`, `registry_set`, …) already stands for the events; the
//! pipeline adds the right EventID for each product. A hard-coded one breaks that mapping.
//!
//! ## Example
//! ```yaml
//! logsource: {category: process_creation, product: windows}
//! detection:
//!   selection: {EventID: 4688}
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.logsource("product") != Some("windows") || cx.logsource("category").is_none() {
        return;
    }
    for field in cx
        .items
        .iter()
        .filter_map(|i| i.field.as_ref())
        .filter(|f| f.name == "EventID")
    {
        out.report(
            field.span,
            "EventID in a rule with a Windows log source category",
        )
        .help("the category already selects the events; remove the EventID");
    }
}
