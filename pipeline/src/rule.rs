//! `change_logsource`: the rule's log source replaced.

use super::Context;
use sigc_compiler::ir::LogSource;

/// Replaces the whole log source, as pySigma does: unset fields become unset.
pub fn change_logsource(
    cx: &mut Context<'_>,
    category: &Option<String>,
    product: &Option<String>,
    service: &Option<String>,
) {
    cx.rule.logsource = LogSource {
        category: category.clone(),
        product: product.clone(),
        service: service.clone(),
        ..LogSource::default()
    };
}
