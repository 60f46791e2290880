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
    for item in cx
        .items
        .iter()
        .filter(|i| i.field.as_deref() == Some("EventID"))
    {
        out.report(
            item.field_span(cx),
            "EventID in a rule with a Windows log source category",
        )
        .help("the category already selects the events; remove the EventID");
    }
}
