//! Rules set aside: an export's memory would grow with its rules if the run held them all
//! compiled. Past a [`Budget`] of rule text, a file's rules are set aside as they compile, held
//! as their outlines ([`Rule::outline`](sigc_compiler::ir::Rule::outline): what references and
//! filters need), and compiled again when their chunk converts ([`RuleSet::reinstate`]), then
//! set aside again. The rules that correlations use are given back once, before any chunk
//! converts. Outputs are the same either way; a file that changed in between has its rules
//! refused (`file_changed`). Which files are held depends on the order in which the workers
//! compile them (the first to take from the budget); the outputs do not.

use super::compile_file;
use crate::cli::inputs;
use rayon::prelude::*;
use sigc_compiler::ir::Document;
use sigc_compiler::{Compiled, DocId, RuleSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    pub(super) fn take(&self, bytes: usize) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
}

/// An input whose rules the run holds as outlines.
pub(super) struct Aside {
    /// Per document, its warnings as standard error shows them.
    pub(super) warnings: Vec<String>,
    /// The rules held as outlines, and where each is among the file's documents.
    pub(super) outlined: Vec<(usize, DocId)>,
}

/// Sets aside the rules of a file's `documents` (each becomes its outline); per document, the
/// warnings of the rule as standard error shows them (an outline has none).
pub(super) fn outline(documents: &mut [Compiled]) -> Vec<String> {
    documents
        .iter_mut()
        .map(|doc| match doc {
            Ok(Document::Rule(rule)) => {
                let shown = crate::cli::report::diagnostics_text(&rule.meta.warnings);
                *rule = Arc::new(rule.outline());
                shown
            }
            Ok(Document::Correlation(_) | Document::Filter(_)) | Err(_) => String::new(),
        })
        .collect()
}

/// Compiles the `files` again (in parallel) and gives back to `set` each of their rules set aside
/// (where it is among its file's documents, and its id; [`RuleSet::reinstate`]).
pub(super) fn reinstate(set: &mut RuleSet, files: &[(&inputs::Input, Vec<(usize, DocId)>)]) {
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

#[cfg(test)]
mod tests {
    use super::super::{Resolved, compile_held, resolve};
    use super::*;
    use sigc_backends::Plan;
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
                        // as standard error shows them
                        Err(errors) => crate::cli::report::diagnostics_text(&errors),
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
        assert!(refused[0].contains("d_other.yml:1:1"), "{shown:#?}");
        assert!(
            refused[0].contains("rule `Whoami` is no longer in this file"),
            "{shown:#?}"
        );
    }
}
