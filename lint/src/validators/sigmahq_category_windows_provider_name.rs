//! `sigmahq_category_windows_provider_name`
//!
//! ## What it does
//! Reports a `Provider_Name` selection, in a Windows rule with a log source category, on a
//! provider that the category already implies (`Microsoft-Windows-Sysmon` for
//! `process_creation`, …).
//!
//! ## Why is this bad?
//! The category stands for those events whatever their provider; naming one ties the rule to a
//! single source and breaks the pipelines that map the category.
//!
//! ## Example
//! ```yaml
//! logsource: {product: windows, category: process_creation}
//! detection: {selection: {Provider_Name: Microsoft-Windows-Sysmon, Image: x}, condition: selection}
//! ```

use crate::sigmahq_data::implied_providers;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if !cx.is_detection_rule() || cx.logsource("product") != Some("windows") {
        return;
    }
    let Some(category) = cx.logsource("category") else {
        return;
    };
    let implied = implied_providers(category);
    for item in &cx.items {
        let Some(field) = item.field.as_ref().filter(|f| f.name == "Provider_Name") else {
            continue;
        };
        if let Some(provider) = item
            .scalars()
            .filter_map(|v| v.as_str())
            .find(|v| implied.contains(v))
        {
            out.report(
                field.span,
                format!("the `{category}` category already implies provider `{provider}`"),
            )
            .help("remove the Provider_Name condition");
        }
    }
}
