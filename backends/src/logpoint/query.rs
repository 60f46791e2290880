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
use crate::Query;
use crate::text::Renderer;
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Expr, Rule};

/// The query for one condition of `rule`.
pub fn query(rule: &Rule, condition: &Expr) -> Result<Query, Diagnostic> {
    let condition = super::modified_properties::rewritten(condition);
    let mut leaves = LogPointLeaves::new(rule);
    let conjuncts = Renderer::new(&LOGPOINT, &mut leaves).conjuncts(&condition)?;
    let texts = |xs: &[(&Expr, Option<String>)]| -> String {
        xs.iter()
            .filter_map(|(_, t)| t.as_deref())
            .collect::<Vec<_>>()
            .join(LOGPOINT.and)
    };
    if leaves.chain.is_empty() {
        return Ok(Query::search_only(texts(&conjuncts)));
    }
    let split = conjuncts
        .iter()
        .position(|(e, _)| !added_by_pipeline(e))
        .unwrap_or(conjuncts.len());
    let mut pre = conjuncts[..split].to_vec();
    pre.reverse();
    let steps = leaves.chain.steps();
    let mut deferred = Vec::with_capacity(steps.len() * 2 + 1);
    for (i, step) in steps.iter().enumerate() {
        deferred.push(step.capture.clone());
        // pySigma leaves a space before the newline between two pairs.
        let gap = if i + 1 < steps.len() { " " } else { "" };
        deferred.push(format!("{}{gap}", step.flag));
    }
    deferred.push(format!("search {}", texts(&conjuncts[split..])));
    Ok(Query {
        main: texts(&pre),
        deferred,
        table: None,
        lines: Vec::new(),
    })
}

/// A conjunct made only of conditions a pipeline's `add_condition` put in front of the rule.
fn added_by_pipeline(expr: &Expr) -> bool {
    let leaves = expr.leaves();
    !leaves.is_empty() && leaves.iter().all(|m| m.origin.is_pipeline())
}
