//! `sigmahq_logsource_unknown`
//!
//! ## What it does
//! Reports a log source (product, category, service) that SigmaHQ's taxonomy does not list.
//!
//! ## Why is this bad?
//! Pipelines map only the log sources they know; a rule for an unlisted one converts to a query
//! that no backend scopes, or is not converted at all.
//!
//! ## Example
//! ```yaml
//! logsource: {product: windows, category: process_creaton}
//! ```

use crate::sigmahq_data::known_logsource;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if !cx.is_detection_rule() || cx.root.get("logsource").is_none() {
        return;
    }
    let ls = cx.logsource_key();
    if !known_logsource(ls) {
        let show = |v: Option<&str>| v.unwrap_or("-").to_string();
        out.report(
            cx.key_span("logsource"),
            format!(
                "log source (product {}, category {}, service {}) is not in SigmaHQ's taxonomy",
                show(ls.0),
                show(ls.1),
                show(ls.2)
            ),
        );
    }
}
