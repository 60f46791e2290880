//! `sigmahq_category_event_id`
//!
//! ## What it does
//! Reports an `EventID` selection in a Windows rule whose log source category already stands for
//! its events (SigmaHQ's list: `process_creation`, `registry_set`, …; not `registry_event` or
//! `wmi_event`, which group several).
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

use crate::sigmahq_data::category_without_event_id;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.logsource("product") != Some("windows")
        || !cx
            .logsource("category")
            .is_some_and(category_without_event_id)
    {
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
