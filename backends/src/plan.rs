//! The conversion plan: one target, its pipelines in order, their variables and the output
//! layout, built once per run. [`convert`] takes every rule through the same steps (pipelines,
//! backend, the format's checks), in parallel; the command line, its export, the CAR formats'
//! other implementations and the conformance tests all convert through it.

use crate::Target;
use crate::format::{self, Layout};
use rayon::prelude::*;
use sigc_compiler::ir::Rule;
use sigc_compiler::{Diagnostic, DocId, RuleSet};
use sigc_pipeline::{Pipeline, State, Vars, builtins};
use std::sync::Arc;

/// Everything one target needs after the front end.
pub struct Plan {
    /// The target converted to.
    pub target: &'static dyn Target,
    /// In the order they are applied.
    pipelines: Vec<Pipeline>,
    /// The pipelines' variables, overridden by the user's.
    vars: Vars,
    /// What the converted rules are rendered with, and checked against.
    pub layout: Layout,
}

/// One rule after pipelines and conversion, ready to be rendered.
pub struct Converted {
    /// The rule after the pipelines.
    pub rule: Rule,
    /// The rule as compiled, before any pipeline (the CAR formats convert it for other targets).
    pub original: Arc<Rule>,
    /// One query per condition of the rule, in parts.
    pub queries: Vec<crate::Query>,
    /// The pipeline state left for this rule.
    pub state: State,
}

/// What became of one rule: converted, or the located errors of the step that refused it.
pub type Outcome = Result<Converted, Vec<Diagnostic>>;

/// Every document of `set` through `plan`, in parallel: one outcome per document, in the set's
/// order. A document with a reference error, or one that is not a rule, is refused.
pub fn convert(set: &RuleSet, plan: &Plan) -> Vec<Outcome> {
    let ids: Vec<DocId> = set.documents().map(|(id, _)| id).collect();
    ids.into_par_iter()
        .map(|id| {
            let rule = set.rule_for(id, "`sigc convert`")?;
            plan.convert(&Arc::new(rule.clone()))
        })
        .collect()
}

/// The default pipelines of `target`, loaded.
pub fn default_pipelines(target: &dyn Target) -> Result<Vec<Pipeline>, Vec<Diagnostic>> {
    target
        .default_pipelines()
        .iter()
        .map(|name| match builtins::builtin(name) {
            Some(b) => b.load(),
            None => Err(vec![Diagnostic::unlocated(
                "unknown_pipeline",
                format!(
                    "target `{}` names `{name}`, which is not a built-in pipeline",
                    target.name()
                ),
            )]),
        })
        .collect()
}

impl Plan {
    /// A plan applying `pipelines` (ordered here by priority, then name) with their variables
    /// overridden by `vars`.
    pub fn new(
        target: &'static dyn Target,
        mut pipelines: Vec<Pipeline>,
        vars: &Vars,
        layout: Layout,
    ) -> Plan {
        sigc_pipeline::order(&mut pipelines);
        let vars = sigc_pipeline::merged_vars(&pipelines, vars);
        Plan {
            target,
            pipelines,
            vars,
            layout,
        }
    }

    /// The target's default pipelines and its default format.
    pub fn defaults(target: &'static dyn Target) -> Result<Plan, Vec<Diagnostic>> {
        let pipelines = default_pipelines(target)?;
        Ok(Plan::new(
            target,
            pipelines,
            &Vars::new(),
            Layout::Builtin(&format::DEFAULT),
        ))
    }

    /// Pipelines, conversion and the format's checks for one rule.
    pub fn convert(&self, original: &Arc<Rule>) -> Outcome {
        let mut rule = Rule::clone(original);
        let state = sigc_pipeline::apply(&self.pipelines, &self.vars, &mut rule)?;
        let queries = self.target.queries(&rule).map_err(|e| vec![e])?;
        let converted = Converted {
            rule,
            original: Arc::clone(original),
            queries,
            state,
        };
        if let Layout::Builtin(f) = &self.layout {
            f.check(self.target.name(), &converted)
                .map_err(|e| vec![e])?;
        }
        Ok(converted)
    }

    /// Renders converted rules with this plan's layout.
    pub fn render(&self, converted: &[Converted]) -> Result<String, String> {
        self.layout
            .render(self.target.name(), converted)
            .map_err(|e| format!("template error: {e}"))
    }

    /// The extension of a file of rendered rules: the format's, else the target's (`txt` for a
    /// user's template, which may write anything).
    pub fn extension(&self) -> &'static str {
        match &self.layout {
            Layout::Builtin(f) => f.extension.unwrap_or(self.target.extension()),
            Layout::User { .. } => "txt",
        }
    }
}

#[cfg(test)]
mod tests;
