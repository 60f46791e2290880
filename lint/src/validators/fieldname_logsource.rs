//! `fieldname_logsource`
//!
//! ## What it does
//! Reports a `logsource` key other than `category`, `product`, `service` and `definition`.
//!
//! ## Why is this bad?
//! Backends and pipelines select rules on those keys only; any other key is ignored, so a
//! misspelt `categroy` silently widens the rule to every log source of the product.
//!
//! ## Example
//! ```yaml
//! logsource: {product: windows, categroy: process_creation}
//! ```

use crate::{Ctx, Out};

const LOGSOURCE_KEYS: &[&str] = &["category", "product", "service", "definition"];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if !cx.is_detection_rule() {
        return;
    }
    let Some(entries) = cx.root.get("logsource").and_then(|l| l.entries()) else {
        return;
    };
    for (key, span, _) in entries {
        if !LOGSOURCE_KEYS.contains(&key.as_ref()) {
            out.report(span, format!("`{key}` is not a log source field"))
                .help("a log source has only category, product, service and definition");
        }
    }
}
