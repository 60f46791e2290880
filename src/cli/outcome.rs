//! What became of each input file's rules for each target of a run: the files are read and
//! compiled in parallel ([`compile_file`]) and resolved together ([`resolve`]); every rule then
//! goes through each target's plan ([`sigc_backends::Conversion`]), a chunk of files at a time,
//! and the outcomes are given back per file and per rule, for the single output (`convert.rs`,
//! one chunk) and the export (`export.rs`, which writes each chunk while the next converts).

use super::inputs::{self, ReadError};
use sigc_backends::{Conversion, Outcome, Plan};
use sigc_compiler::ruleset::Slots;
use sigc_compiler::{Diagnostic, DocId, RuleSet};

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

/// A run's readable input files, compiled, with the references between their documents
/// resolved across the run and its filters applied ([`RuleSet`]).
pub struct Resolved {
    inputs: Vec<inputs::Input>,
    set: RuleSet,
    slots: Slots,
}

/// The inputs, each compiled on its own ([`compile_file`]), resolved together; an input that
/// could not be read is an error message instead.
pub fn resolve(
    compiled: Vec<(inputs::Input, Result<Vec<sigc_compiler::Compiled>, String>)>,
) -> (Resolved, Vec<String>) {
    let (mut readable, mut documents, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for (input, file) in compiled {
        match file {
            Ok(docs) => {
                readable.push(input);
                documents.push(docs);
            }
            Err(e) => errors.push(e),
        }
    }
    let (set, slots) = RuleSet::from_files(documents);
    let run = Resolved {
        inputs: readable,
        set,
        slots,
    };
    (run, errors)
}

impl Resolved {
    /// Reports the warnings of every document, filters applied to rules aside (their rules
    /// carry them).
    pub fn report_warnings(&self) {
        for id in self
            .slots
            .iter()
            .flatten()
            .filter_map(|slot| slot.as_ref().ok())
        {
            if !self.set.is_applied_filter(*id) {
                super::report::diagnostics(&self.set.get(*id).meta().warnings);
            }
        }
    }

    /// The number of inputs that were read.
    pub fn inputs(&self) -> usize {
        self.inputs.len()
    }

    /// Every file through every plan, `chunk` files at a time, in the order of the inputs: `each`
    /// is given a chunk's outcomes, in order, while the next chunk converts (so both cores keep
    /// working), and drops them before the chunk after that converts (a correlation converts
    /// with the documents it references, wherever they are). A filter has no outcome of its own.
    pub fn convert(
        self,
        plans: &[Plan],
        chunk: usize,
        mut each: impl FnMut(Vec<FileOutcome>) + Send,
    ) {
        let set = &self.set;
        let conversion = Conversion::new(set);
        let mut files = self.inputs.into_iter().zip(self.slots).peekable();
        let mut converted: Option<Vec<FileOutcome>> = None;
        while files.peek().is_some() {
            let part: Vec<_> = files.by_ref().take(chunk).collect();
            let (next, ()) = rayon::join(
                || convert_part(&conversion, set, plans, part),
                || {
                    if let Some(done) = converted.take() {
                        each(done);
                    }
                },
            );
            converted = Some(next);
        }
        if let Some(done) = converted {
            each(done);
        }
        // The run ends soon after: its memory goes back at once when the process exits, instead
        // of one allocation at a time here (a tenth of a conversion's instructions).
        drop(conversion);
        std::mem::forget(self.set);
    }
}

/// An input file and, per document, where it is in the rule set or why it is not.
type Placed = (inputs::Input, Vec<Result<DocId, Vec<Diagnostic>>>);

/// The files of `part`, their documents converted through every plan.
fn convert_part(
    conversion: &Conversion<'_>,
    set: &RuleSet,
    plans: &[Plan],
    part: Vec<Placed>,
) -> Vec<FileOutcome> {
    let ids: Vec<DocId> = part
        .iter()
        .flat_map(|(_, slots)| slots)
        .filter_map(|slot| slot.as_ref().ok().copied())
        .filter(|&id| !set.is_applied_filter(id))
        .collect();
    let mut by_document: Vec<Vec<Outcome>> = ids
        .iter()
        .map(|_| Vec::with_capacity(plans.len()))
        .collect();
    for plan in plans {
        for (targets, outcome) in by_document.iter_mut().zip(conversion.convert(plan, &ids)) {
            targets.push(outcome);
        }
    }
    let mut converted = ids.into_iter().zip(by_document);
    part.into_iter()
        .map(|(input, slots)| {
            // sized for every document, a filter's slot aside: a file has few
            let mut rules = Vec::with_capacity(slots.len());
            let outcomes = slots
                .into_iter()
                .filter(|slot| !slot.as_ref().is_ok_and(|&id| set.is_applied_filter(id)))
                .map(|slot| match slot {
                    Ok(_) => {
                        let (id, targets) = converted.next().expect("one outcome per document");
                        let meta = set.get(id).meta();
                        RuleOutcome {
                            id: meta.id.clone(),
                            title: Some(meta.title.clone()),
                            targets,
                            compile_errors: Vec::new(),
                        }
                    }
                    Err(errors) => RuleOutcome::failed(errors, plans),
                });
            rules.extend(outcomes);
            FileOutcome { input, rules }
        })
        .collect()
}

/// An input file's documents, each compiled on its own; an error message when it cannot be
/// read.
pub fn compile_file(input: &inputs::Input) -> Result<Vec<sigc_compiler::Compiled>, String> {
    match inputs::read(input) {
        Ok(source) => Ok(sigc_compiler::compile(&source)),
        Err(ReadError::Io(e)) => Err(e),
        Err(ReadError::Text(d)) => Ok(vec![Err(vec![d])]),
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
