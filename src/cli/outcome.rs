//! What became of each input file's rules for each target of a run: the files are read and
//! compiled in parallel ([`compile_held`]) and resolved together ([`resolve`]); every rule then
//! goes through each target's plan ([`sigc_backends::Conversion`]), a chunk of files at a time,
//! and the outcomes are given back per file and per rule, for the single output (`convert.rs`,
//! one chunk) and the export (`export.rs`, which writes each chunk while the next converts).
//!
//! An export's memory would grow with its rules if the run held them all compiled: past a
//! [`Budget`] of rule text, a file's rules are set aside as they compile, held as their outlines
//! ([`Rule::outline`](sigc_compiler::ir::Rule::outline): what references and filters need), and
//! compiled again when their chunk converts ([`RuleSet::reinstate`]), then set aside again. The
//! rules that correlations use are given back once, before any chunk converts. Outputs are the
//! same either way; a file that changed in between has its rules refused (`file_changed`).

use super::inputs::{self, ReadError};
use rayon::prelude::*;
use sigc_backends::{Conversion, Outcome, Plan};
use sigc_compiler::ir::Document;
use sigc_compiler::ruleset::Slots;
use sigc_compiler::{Compiled, Diagnostic, DocId, RuleSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// How many bytes of rule files an export holds compiled whole: the rules of the files read
/// after that are set aside. SigmaHQ's rules are 4.7 MB, so an export of them holds all of them.
pub const HELD_BYTES: usize = 8 << 20;

/// The bytes of rule text a run may still hold compiled whole, shared by the workers that
/// compile its files.
pub struct Budget(AtomicUsize);

impl Budget {
    pub fn new(bytes: usize) -> Self {
        Budget(AtomicUsize::new(bytes))
    }

    /// Takes `bytes` from the budget: whether they were left.
    fn take(&self, bytes: usize) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
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

/// An input whose rules the run holds as outlines.
struct Aside {
    /// Per document, its warnings as standard error shows them.
    warnings: Vec<String>,
    /// The rules held as outlines, and where each is among the file's documents.
    outlined: Vec<(usize, DocId)>,
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

/// Compiles the `files` again (in parallel) and gives back to `set` each of their rules set aside
/// (where it is among its file's documents, and its id; [`RuleSet::reinstate`]).
fn reinstate(set: &mut RuleSet, files: &[(&inputs::Input, Vec<(usize, DocId)>)]) {
    let compiled: Vec<Vec<Compiled>> = files
        .par_iter()
        .map(|(input, _)| compile_file(input).unwrap_or_default())
        .collect();
    for ((_, outlined), documents) in files.iter().zip(compiled) {
        let mut documents: Vec<Option<Compiled>> = documents.into_iter().map(Some).collect();
        for &(at, id) in outlined {
            let rule = documents
                .get_mut(at)
                .and_then(Option::take)
                .and_then(|doc| match doc {
                    Ok(Document::Rule(rule)) => Some(rule),
                    Ok(Document::Correlation(_) | Document::Filter(_)) | Err(_) => None,
                });
            set.reinstate(id, rule);
        }
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
    let aside = (!held).then(|| {
        documents
            .iter_mut()
            .map(|doc| match doc {
                Ok(Document::Rule(rule)) => {
                    let shown = super::report::diagnostics_text(&rule.meta.warnings);
                    *rule = Arc::new(rule.outline());
                    shown
                }
                Ok(Document::Correlation(_) | Document::Filter(_)) | Err(_) => String::new(),
            })
            .collect()
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const RULES: &str = "title: Failed Logon\nname: failed_logon\nid: 7b1d2c3e-0000-4000-8000-000000000001\nlogsource:\n    product: windows\n    service: security\ndetection:\n    selection:\n        EventID: 4625\n    condition: selection\n---\ntitle: Net User\nname: net_user\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\net.exe'\n    condition: selection\n";
    const CORRELATIONS: &str = "title: Many Failed Logons\nname: many_failed_logons\ncorrelation:\n    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1h\n    condition:\n        gte: 5\n---\ntitle: Bursts\ncorrelation:\n    type: event_count\n    rules:\n        - many_failed_logons\n    timespan: 1d\n    condition:\n        gte: 2\n";
    const FILTER: &str = "title: Not the backup account\nlogsource:\n    category: process_creation\nfilter:\n    rules: net_user\n    selection:\n        User: svc_backup\n    condition: not selection\n";
    const OTHER: &str = "title: Whoami\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\whoami.exe'\n    condition: selection\n";

    /// A directory of rule files: rules, correlations using them, a filter of one of them, each
    /// in a file of its own.
    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a directory");
        for (name, text) in [
            ("a_rules.yml", RULES),
            ("b_correlations.yml", CORRELATIONS),
            ("c_filter.yml", FILTER),
            ("d_other.yml", OTHER),
        ] {
            std::fs::write(dir.path().join(name), text).expect("written");
        }
        dir
    }

    /// The run over `dir`, holding `budget` bytes of rules whole (all of them with `None`).
    fn resolved(dir: &Path, budget: Option<usize>) -> Resolved {
        let paths = [PathBuf::from(dir)];
        let budget = budget.map(Budget::new);
        let (compiled, errors) =
            inputs::map_matching(&paths, false, &inputs::FilePattern::default(), |input| {
                compile_held(input, budget.as_ref())
            });
        assert_eq!(errors, Vec::<String>::new());
        let (run, errors) = resolve(compiled);
        assert_eq!(errors, Vec::<String>::new());
        run
    }

    /// What each document of `run` became for Splunk, a file at a time: its queries, or its
    /// errors' codes and messages.
    fn converted(run: Resolved) -> Vec<String> {
        let target = sigc_backends::target("splunk").expect("a target");
        let plans = [Plan::defaults(target).expect("a plan")];
        let mut files = Vec::new();
        run.convert(&plans, 1, |chunk| files.extend(chunk));
        let mut shown = Vec::new();
        for file in files {
            for rule in file.rules {
                for outcome in rule.targets {
                    shown.push(match outcome {
                        Ok(c) => format!("{}: {:?} {}", c.meta().title, c.queries, c.output),
                        Err(errors) => format!("{errors:?}"),
                    });
                }
            }
        }
        shown
    }

    #[test]
    fn rules_set_aside_convert_as_rules_held_whole() {
        let dir = corpus();
        let held = resolved(dir.path(), None);
        assert!(held.aside.iter().all(Option::is_none));
        let aside = resolved(dir.path(), Some(0));
        let outlined: usize = aside.aside.iter().flatten().map(|a| a.outlined.len()).sum();
        // the correlated rule is given back at once: the two others are set aside
        assert_eq!(outlined, 2);
        let expected = converted(held);
        assert_eq!(expected.len(), 5, "{expected:#?}");
        assert!(
            expected.iter().any(|q| q.contains("svc_backup")),
            "{expected:#?}"
        );
        assert_eq!(converted(aside), expected);
    }

    #[test]
    fn a_rule_file_changed_during_the_run_has_its_rules_refused() {
        let dir = corpus();
        let run = resolved(dir.path(), Some(0));
        std::fs::write(
            dir.path().join("d_other.yml"),
            OTHER.replace("Whoami", "Whoami.exe"),
        )
        .expect("written");
        let shown = converted(run);
        let refused: Vec<&String> = shown
            .iter()
            .filter(|s| s.contains("file_changed"))
            .collect();
        assert_eq!(refused.len(), 1, "{shown:#?}");
        assert!(
            refused[0].contains("rule `Whoami` is no longer in this file"),
            "{shown:#?}"
        );
    }
}
