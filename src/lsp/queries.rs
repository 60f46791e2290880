//! The document at a position, converted through each configured plan: the same
//! `sigc_backends::convert` as `sigc convert`, over the file's documents and those they
//! reference from the workspace.

use super::workspace::Workspace;
use crate::explain::tree::{self, Node};
use sigc_backends::{Outcome, Plan};
use sigc_compiler::RuleSet;
use sigc_compiler::ir::Document;

/// One target's name and what became of the document.
pub type Conversion = (&'static str, Outcome);

/// The document of file `name` that holds byte `offset`: its IR (one tree per condition, before
/// any pipeline; none for a correlation or filter) and its conversions; both empty when no
/// document there compiled.
pub fn at(
    workspace: &Workspace,
    plans: &[Plan],
    name: &str,
    offset: usize,
) -> (Vec<Node>, Vec<Conversion>) {
    let set = RuleSet::resolve(workspace.with_references(name));
    let Some((id, document)) = set.documents().find(|(_, d)| {
        let span = d.span();
        d.source().name == name && span.start <= offset && offset <= span.end
    }) else {
        return (Vec::new(), Vec::new());
    };
    let ir = match document {
        Document::Rule(rule) => rule
            .conditions
            .iter()
            .map(|c| tree::node(rule, c))
            .collect(),
        Document::Correlation(_) | Document::Filter(_) => Vec::new(),
    };
    // the document alone, with what its correlations reference: not the whole workspace
    let conversion = sigc_backends::Conversion::new(&set);
    let conversions = plans
        .iter()
        .filter_map(|plan| {
            let outcome = conversion.convert(&set, plan, &[id]).pop()?;
            Some((plan.target.name(), outcome))
        })
        .collect();
    (ir, conversions)
}
