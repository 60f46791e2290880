//! One condition as a complete LogPoint query.
//!
//! Layouts, as pySigma-backend-logpoint writes them:
//! - plain: `search`
//! - with regexes: `pre\n| process regex(…)\n| process eval(…) \n| process regex(…)…\n| search rest`,
//!   where `pre` holds the conditions a pipeline added in front of the rule (log source filters
//!   such as `norm_id=…` or `label=…`, in the order they were added), so that they select events
//!   before the regexes run, and `rest` is everything else.

use super::leaf::LogPointLeaves;
use super::tokens::LOGPOINT;
use crate::text::Renderer;
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Expr, Rule};

/// Between the search and each `process` command.
const PIPE: &str = "\n| ";
/// Between two regex command pairs (pySigma leaves a space before the newline).
const CHAIN: &str = " \n| ";

/// The query for one condition of `rule`.
pub fn query(rule: &Rule, condition: &Expr) -> Result<String, Diagnostic> {
    let mut condition = condition.clone();
    super::modified_properties::rewrite(&mut condition);
    let mut leaves = LogPointLeaves::new(rule);
    let conjuncts = Renderer::new(&LOGPOINT, &mut leaves).conjuncts(&condition)?;
    let texts = |xs: &[(&Expr, Option<String>)]| -> String {
        xs.iter()
            .filter_map(|(_, t)| t.as_deref())
            .collect::<Vec<_>>()
            .join(LOGPOINT.and)
    };
    if leaves.chain.is_empty() {
        return Ok(texts(&conjuncts));
    }
    let split = conjuncts
        .iter()
        .position(|(e, _)| !added_by_pipeline(rule, e))
        .unwrap_or(conjuncts.len());
    let mut pre = conjuncts[..split].to_vec();
    pre.reverse();
    Ok(format!(
        "{}{PIPE}{}{PIPE}search {}",
        texts(&pre),
        leaves.chain.commands().join(CHAIN),
        texts(&conjuncts[split..])
    ))
}

/// A conjunct made only of conditions a pipeline's `add_condition` put in front of the rule
/// (their leaves carry the span of the whole rule document, never that of a value in it).
fn added_by_pipeline(rule: &Rule, expr: &Expr) -> bool {
    let leaves = expr.leaves();
    !leaves.is_empty() && leaves.iter().all(|m| m.span == rule.span)
}
