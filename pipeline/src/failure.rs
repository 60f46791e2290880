//! Failures: `rule_failure` stops the rule at its log source, `detection_item_failure` at the
//! first leaf the item's conditions select. Both name the pipeline item.

use super::tree::Leaf;
use super::{At, Context};
use sigc_compiler::diagnostic::Diagnostic;

/// The error of a `rule_failure` item, at the rule's `logsource` (or the rule).
pub fn rule(cx: &Context<'_>, at: At<'_>, message: &str) -> Diagnostic {
    let rule = &*cx.rule;
    let span = rule.logsource_span();
    Diagnostic::error(
        "pipeline_failure",
        format!("{message} ({})", at.describe()),
        &rule.source,
        span,
    )
}

/// The errors of a `detection_item_failure` item: one per selected leaf.
pub fn detection_items(cx: &Context<'_>, at: At<'_>, message: &str) -> Result<(), Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = cx
        .trees
        .iter()
        .flat_map(|t| t.leaves())
        .filter(|leaf: &&Leaf| at.item.conditions.item_matches(cx, leaf))
        .map(|leaf| {
            leaf.error(
                &cx.rule.source,
                "pipeline_failure",
                format!("{message} ({})", at.describe()),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
