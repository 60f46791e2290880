//! What became of each input file's rules for each target of a run: the files are read and
//! compiled in parallel ([`compile_held`]) and resolved together ([`resolve`]); every rule then
//! goes through each target's plan ([`sigc_backends::Conversion`]), a chunk of files at a time,
//! and the outcomes are given back per file and per rule, for the single output (`convert.rs`,
//! one chunk) and the export (`export.rs`, which writes each chunk while the next converts).
//!
//! Past a [`Budget`] of rule text, an export sets its rules aside as they compile and compiles
//! them again when their chunk converts ([`aside`]), so that the compiled rules do not pile up.

mod aside;

pub use aside::{Budget, HELD_BYTES};

use super::inputs::{self, ReadError};
use aside::{Aside, reinstate};
use sigc_backends::{Conversion, Outcome, Plan};
use sigc_compiler::ir::Document;
use sigc_compiler::ruleset::Slots;
use sigc_compiler::{Compiled, Diagnostic, DocId, RuleSet};

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

/// An input file's documents, compiled.
pub struct CompiledFile {
    documents: Vec<Compiled>,
    /// Set when the file's rules are set aside: per document, the warnings of the rule as
    /// standard error shows them (an outline has none).
    aside: Option<Vec<String>>,
}

/// A run's readable input files, compiled, with the references between their documents
/// resolved across the run and its filters applied ([`RuleSet`]).
pub struct Resolved {
    inputs: Vec<inputs::Input>,
    set: RuleSet,
    slots: Slots,
    /// Per input, when its rules were set aside: what [`Aside`] says.
    aside: Vec<Option<Aside>>,
}

/// The inputs, each compiled on its own ([`compile_held`]), resolved together; an input that
/// could not be read is an error message instead. The rules that correlations use are given
/// back whole.
pub fn resolve(
    compiled: Vec<(inputs::Input, Result<CompiledFile, String>)>,
) -> (Resolved, Vec<String>) {
    let (mut readable, mut documents, mut aside, mut errors) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (input, file) in compiled {
        match file {
            Ok(file) => {
                readable.push(input);
                documents.push(file.documents);
                aside.push(file.aside);
            }
            Err(e) => errors.push(e),
        }
    }
    let (set, slots) = RuleSet::from_files(documents);
    let aside = slots
        .iter()
        .zip(aside)
        .map(|(slots, warnings)| {
            let outlined = slots
                .iter()
                .enumerate()
                .filter_map(|(at, slot)| Some((at, *slot.as_ref().ok()?)));
            warnings.map(|warnings| Aside {
                warnings,
                outlined: outlined
                    .filter(|&(_, id)| set.get(id).as_rule().is_some())
                    .collect(),
            })
        })
        .collect();
    let mut run = Resolved {
        inputs: readable,
        set,
        slots,
        aside,
    };
    run.reinstate_correlated();
    (run, errors)
}

impl Resolved {
    /// Reports the warnings of every document, filters applied to rules aside (their rules
    /// carry them).
    pub fn report_warnings(&self) {
        for (slots, aside) in self.slots.iter().zip(&self.aside) {
            for (at, slot) in slots.iter().enumerate() {
                let Ok(id) = slot else {
                    continue;
                };
                if self.set.is_applied_filter(*id) {
                    continue;
                }
                // a rule set aside has its warnings here, the other documents in the set
                if let Some(shown) = aside.as_ref().map(|a| &a.warnings[at])
                    && !shown.is_empty()
                {
                    super::out::stderr(shown);
                }
                super::report::diagnostics(&self.set.get(*id).meta().warnings);
            }
        }
    }

    /// Gives back, whole and for the whole run, the rules set aside that correlations use
    /// (a correlation converts with the rules it references, from whichever chunk).
    fn reinstate_correlated(&mut self) {
        if self.aside.iter().all(Option::is_none) {
            return;
        }
        let correlations: Vec<DocId> = self
            .set
            .documents()
            .filter(|(_, doc)| matches!(doc, Document::Correlation(_)))
            .map(|(id, _)| id)
            .collect();
        let used = self.set.with_references(&correlations);
        let files: Vec<(&inputs::Input, Vec<(usize, DocId)>)> = self
            .inputs
            .iter()
            .zip(&mut self.aside)
            .filter_map(|(input, aside)| {
                let aside = aside.as_mut()?;
                let (back, kept) = aside.outlined.iter().partition(|(_, id)| used.contains(id));
                aside.outlined = kept;
                (!back.is_empty()).then_some((input, back))
            })
            .collect();
        reinstate(&mut self.set, &files);
    }

    /// The number of inputs that were read.
    pub fn inputs(&self) -> usize {
        self.inputs.len()
    }

    /// Every file through every plan, `chunk` files at a time, in the order of the inputs: `each`
    /// is given a chunk's outcomes, in order, while the next chunk converts (so both cores keep
    /// working), and drops them before the chunk after that converts (a correlation converts
    /// with the documents it references, wherever they are). A filter has no outcome of its own.
    /// The rules of a chunk's files that were set aside are compiled again before it converts,
    /// and set aside again once it has.
    pub fn convert(
        self,
        plans: &[Plan],
        chunk: usize,
        mut each: impl FnMut(Vec<FileOutcome>) + Send,
    ) {
        let Resolved {
            inputs,
            mut set,
            slots,
            aside,
        } = self;
        let conversion = Conversion::new(&set);
        let mut files = inputs.into_iter().zip(slots).zip(aside).peekable();
        let mut converted: Option<Vec<FileOutcome>> = None;
        while files.peek().is_some() {
            let (part, aside): (Vec<Placed>, Vec<Option<Aside>>) =
                files.by_ref().take(chunk).unzip();
            let back: Vec<(&inputs::Input, Vec<(usize, DocId)>)> = part
                .iter()
                .zip(aside)
                .filter_map(|((input, _), aside)| Some((input, aside?.outlined)))
                .filter(|(_, outlined)| !outlined.is_empty())
                .collect();
            reinstate(&mut set, &back);
            let back: Vec<DocId> = back
                .into_iter()
                .flat_map(|(_, ids)| ids)
                .map(|(_, id)| id)
                .collect();
            let (next, ()) = rayon::join(
                || convert_part(&conversion, &set, plans, part),
                || {
                    if let Some(done) = converted.take() {
                        each(done);
                    }
                },
            );
            converted = Some(next);
            for id in back {
                set.set_aside(id);
            }
        }
        if let Some(done) = converted {
            each(done);
        }
        // The run ends soon after: its memory goes back at once when the process exits, instead
        // of one allocation at a time here (a tenth of a conversion's instructions).
        std::mem::forget(set);
    }
}

/// An input file and, per document, where it is in the rule set or why it is not.
type Placed = (inputs::Input, Vec<Result<DocId, Vec<Diagnostic>>>);

/// The files of `part`, their documents converted through every plan.
fn convert_part(
    conversion: &Conversion,
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
        for (targets, outcome) in by_document
            .iter_mut()
            .zip(conversion.convert(set, plan, &ids))
        {
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
pub fn compile_file(input: &inputs::Input) -> Result<Vec<Compiled>, String> {
    read_compile(input).map(|(documents, _)| documents)
}

/// [`compile_file`], for a run that holds `budget` bytes of rules whole ([`Budget`]): when the
/// file's text is not within what is left, its rules are set aside. Standard input is always
/// held (it cannot be read again).
pub fn compile_held(
    input: &inputs::Input,
    budget: Option<&Budget>,
) -> Result<CompiledFile, String> {
    let (mut documents, bytes) = read_compile(input)?;
    let held = input.path.as_os_str() == "-" || budget.is_none_or(|b| b.take(bytes));
    let aside = (!held).then(|| aside::outline(&mut documents));
    Ok(CompiledFile { documents, aside })
}

/// The documents of an input file and its length in bytes; an error message when it cannot be
/// read.
fn read_compile(input: &inputs::Input) -> Result<(Vec<Compiled>, usize), String> {
    match inputs::read(input) {
        Ok(source) => Ok((sigc_compiler::compile(&source), source.len())),
        Err(ReadError::Io(e)) => Err(e),
        Err(ReadError::Text(d)) => Ok((vec![Err(vec![d])], 0)),
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
