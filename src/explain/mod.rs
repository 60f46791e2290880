//! `sigc explain` as a library: what happens to one rule file on its way to one target's query,
//! as a serializable [`Explanation`] per rule (the command line prints it; a playground or a
//! language server can serve the same value).
//!
//! An explanation holds the parsed detection (each item located), the IR after lowering, each
//! processing item that ran or was skipped and what it changed ([`sigc_pipeline::trace`]), the
//! fate of each field ("why did my field not map?"), the IR after the pipelines, and the query
//! exactly as `sigc convert` writes it with the same plan.

pub mod detection;
pub mod fields;
pub mod tree;

use serde::Serialize;
use sigc_backends::Plan;
use sigc_compiler::ir::Rule;
use sigc_compiler::{Diagnostic, RuleSet, Source, collection, yaml};
use sigc_pipeline::trace::{Step, apply_traced};
use std::sync::Arc;

/// One rule explained for one plan.
#[derive(Debug, Serialize)]
pub struct Explanation {
    /// The rule's file (every `at` below that is in it starts with this name).
    pub file: String,
    /// The rule document, `file:line:col`.
    pub at: String,
    pub title: String,
    pub id: Option<String>,
    pub target: &'static str,
    /// The detection as written: each search identifier and its items.
    pub detection: Vec<detection::Identifier>,
    /// One tree per condition, after lowering.
    pub ir: Vec<tree::Node>,
    /// Every processing item, in the order it ran.
    pub steps: Vec<Step>,
    /// What became of each field the rule tests.
    pub fields: Vec<fields::Fate>,
    /// One tree per condition, after the pipelines (empty when they failed).
    pub processed: Vec<tree::Node>,
    /// The output `sigc convert` writes for this rule with the same plan, if it converts.
    pub query: Option<String>,
    /// Why it does not convert, one located message each.
    pub errors: Vec<String>,
}

/// Every rule of `source` explained for `plan`, in document order; a document that does not
/// compile, or is not a rule, is its errors.
pub fn explain(source: &Arc<Source>, plan: &Plan) -> Vec<Result<Explanation, Vec<Diagnostic>>> {
    let written = match yaml::load(source) {
        Ok(docs) => collection::resolve(source, docs),
        Err(e) => return vec![Err(vec![e])],
    };
    let (set, slots) = RuleSet::from_files(vec![sigc_compiler::compile(source)]);
    slots
        .into_iter()
        .next()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter(|(_, slot)| !slot.as_ref().is_ok_and(|&id| set.is_applied_filter(id)))
        .map(|(i, slot)| {
            let rule = set.rule_for(slot?, "`sigc explain`")?;
            let detection = match written.get(i) {
                Some(Ok(doc)) => detection::read(source, doc.root()),
                Some(Err(_)) | None => Vec::new(),
            };
            Ok(one(rule, detection, plan))
        })
        .collect()
}

/// `rule` through `plan`.
fn one(rule: &Rule, detection: Vec<detection::Identifier>, plan: &Plan) -> Explanation {
    let mut processed = rule.clone();
    let (traced, steps) = apply_traced(plan.pipelines(), plan.vars(), &mut processed);
    let converted = plan.convert(&Arc::new(rule.clone()));
    let (query, errors) = match converted {
        Ok(c) => match plan.render(&[c]) {
            Ok(text) => (Some(text), Vec::new()),
            Err(e) => (None, vec![e]),
        },
        Err(errors) => (None, errors.iter().map(ToString::to_string).collect()),
    };
    let processed = traced.is_ok().then_some(processed);
    let fields = fields::fates(rule, processed.as_ref(), &steps);
    let processed = processed.map_or_else(Vec::new, |p| {
        p.conditions.iter().map(|e| tree::node(&p, e)).collect()
    });
    Explanation {
        file: rule.source.name.clone(),
        at: rule.source.location(rule.span),
        title: rule.meta.title.clone(),
        id: rule.meta.id.clone(),
        target: plan.target.name(),
        detection,
        ir: rule
            .conditions
            .iter()
            .map(|e| tree::node(rule, e))
            .collect(),
        fields,
        steps,
        processed,
        query,
        errors,
    }
}
