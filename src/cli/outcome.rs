//! What became of each input file's rules for each target of a run: the files are read and
//! compiled in parallel, every rule then goes through each target's plan
//! ([`sigc_backends::convert`]), and the outcomes are given back per file and per rule, for the
//! single output (`convert.rs`) and the export (`export.rs`).

use super::inputs::{self, ReadError};
use rayon::prelude::*;
use sigc_backends::{Outcome, Plan};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;
use std::sync::Arc;

/// One rule document of an input file, converted for every target.
pub struct RuleOutcome {
    pub id: Option<String>,
    pub title: Option<String>,
    /// One result per plan, in the order of the `-t` options.
    pub targets: Vec<Outcome>,
    /// Errors of the front end, shared by every target (already in `targets`).
    pub compile_errors: Vec<Diagnostic>,
}

/// An input file and what became of its rules.
pub struct FileOutcome {
    pub input: inputs::Input,
    pub rules: Vec<RuleOutcome>,
}

/// An input file and its rule documents as the front end left them.
struct Compiled {
    input: inputs::Input,
    documents: Vec<Result<Arc<Rule>, Vec<Diagnostic>>>,
}

/// Every input through every plan, in the order of the inputs; an input that cannot be read is
/// an error message instead.
pub fn convert(inputs: Vec<inputs::Input>, plans: &[Plan]) -> Vec<Result<FileOutcome, String>> {
    let compiled: Vec<Result<Compiled, String>> = inputs.into_par_iter().map(compile).collect();
    let rules: Vec<Arc<Rule>> = compiled
        .iter()
        .flatten()
        .flat_map(|c| c.documents.iter().flatten().cloned())
        .collect();
    let mut by_rule: Vec<Vec<Outcome>> = rules
        .iter()
        .map(|_| Vec::with_capacity(plans.len()))
        .collect();
    for plan in plans {
        for (targets, outcome) in by_rule.iter_mut().zip(sigc_backends::convert(&rules, plan)) {
            targets.push(outcome);
        }
    }
    let mut by_rule = by_rule.into_iter();
    compiled
        .into_iter()
        .map(|file| {
            let file = file?;
            let rules = file
                .documents
                .into_iter()
                .map(|document| match document {
                    Ok(rule) => RuleOutcome {
                        id: rule.meta.id.clone(),
                        title: Some(rule.meta.title.clone()),
                        targets: by_rule.next().expect("one outcome per compiled rule"),
                        compile_errors: Vec::new(),
                    },
                    Err(errors) => RuleOutcome::failed(errors, plans),
                })
                .collect();
            Ok(FileOutcome {
                input: file.input,
                rules,
            })
        })
        .collect()
}

fn compile(input: inputs::Input) -> Result<Compiled, String> {
    let documents = match inputs::read(&input) {
        Ok(source) => sigc_compiler::compile(&source)
            .into_iter()
            .map(|compiled| compiled.map(Arc::new))
            .collect(),
        Err(ReadError::Io(e)) => return Err(e),
        Err(ReadError::Text(d)) => vec![Err(vec![d])],
    };
    Ok(Compiled { input, documents })
}

impl RuleOutcome {
    /// A rule document the front end refused: the same errors for every target.
    fn failed(errors: Vec<Diagnostic>, plans: &[Plan]) -> Self {
        RuleOutcome {
            id: None,
            title: None,
            targets: plans.iter().map(|_| Err(errors.clone())).collect(),
            compile_errors: errors,
        }
    }
}
