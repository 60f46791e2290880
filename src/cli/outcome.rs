//! What became of each input file's rules for each target of a run: the files are read and
//! compiled in parallel, every rule then goes through each target's plan
//! ([`sigc_backends::convert`]), and the outcomes are given back per file and per rule, for the
//! single output (`convert.rs`) and the export (`export.rs`).

use super::inputs::{self, ReadError};
use rayon::prelude::*;
use sigc_backends::{Outcome, Plan};
use sigc_compiler::{Compiled, Diagnostic, RuleSet};

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

/// Every input through every plan, in the order of the inputs; an input that cannot be read is
/// an error message instead. The files compile in parallel, each on its own; the references
/// between their documents are then resolved across the whole run ([`RuleSet`]), and its filters
/// applied: a filter has no outcome of its own. A rule's warnings are reported on the way.
pub fn convert(inputs: Vec<inputs::Input>, plans: &[Plan]) -> Vec<Result<FileOutcome, String>> {
    let compiled: Vec<Result<(inputs::Input, Vec<Compiled>), String>> =
        inputs.into_par_iter().map(compile).collect();
    let mut files = Vec::with_capacity(compiled.len());
    let mut documents = Vec::new();
    for file in compiled {
        match file {
            Ok((input, docs)) => {
                files.push(Ok(input));
                documents.push(docs);
            }
            Err(e) => files.push(Err(e)),
        }
    }
    let (set, slots) = RuleSet::from_files(documents);
    let mut by_document: Vec<Vec<Outcome>> = set
        .documents()
        .map(|_| Vec::with_capacity(plans.len()))
        .collect();
    for plan in plans {
        for (targets, outcome) in by_document
            .iter_mut()
            .zip(sigc_backends::convert(&set, plan))
        {
            targets.push(outcome);
        }
    }
    let mut slots = slots.into_iter();
    let outcomes = files
        .into_iter()
        .map(|file| {
            let input = file?;
            let rules = slots
                .next()
                .unwrap_or_default()
                .into_iter()
                .filter(|slot| !slot.as_ref().is_ok_and(|&id| set.is_applied_filter(id)))
                .map(|slot| match slot {
                    Ok(id) => {
                        let meta = set.get(id).meta();
                        super::report::diagnostics(&meta.warnings);
                        RuleOutcome {
                            id: meta.id.clone(),
                            title: Some(meta.title.clone()),
                            targets: std::mem::take(&mut by_document[id.0]),
                            compile_errors: Vec::new(),
                        }
                    }
                    Err(errors) => RuleOutcome::failed(errors, plans),
                })
                .collect();
            Ok(FileOutcome { input, rules })
        })
        .collect();
    // The run ends soon after: its memory goes back at once when the process exits, instead of
    // one allocation at a time here (a tenth of a conversion's instructions).
    std::mem::forget(set);
    outcomes
}

/// An input file's documents, each compiled on its own.
fn compile(input: inputs::Input) -> Result<(inputs::Input, Vec<Compiled>), String> {
    match inputs::read(&input) {
        Ok(source) => Ok((input, sigc_compiler::compile(&source))),
        Err(ReadError::Io(e)) => Err(e),
        Err(ReadError::Text(d)) => Ok((input, vec![Err(vec![d])])),
    }
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
