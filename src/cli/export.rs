//! Export mode of `sigc convert`: every rule file converted for every target, each written to
//! `DIR/<target>/<path of the rule file below its argument>.<extension>`, and `DIR/manifest.json`
//! saying what became of every rule for every target, and listing the files written (`files`).
//!
//! A rule that fails for one target is still exported to the others. A rule file whose rules all
//! fail for a target gets no file for it. Correlations are exported like rules; a rule that only
//! correlations use (`generate: false`) is written as part of them, its manifest status
//! `referenced`. Every file is written atomically: each goes to a temporary name, one sync puts
//! all their data on the disk, and each is then renamed into place; the manifest comes last. A
//! file (or manifest) that already holds what would be written is left as it is, so a re-export
//! of unchanged rules reads its files instead of writing them again.
//!
//! The whole run is compiled and resolved first (a correlation or a filter may name a rule of any
//! file), then converted, rendered and staged [`CHUNK`] files at a time (a chunk is recorded
//! while the next converts), so the converted rules and their texts never pile up. Past
//! [`HELD_BYTES`](super::outcome::HELD_BYTES) of rule files, the rules are held as outlines and
//! compiled again when their chunk converts ([`super::outcome`]), so the compiled rules do not
//! pile up either: what stays for the whole run is 8 MiB of compiled rules, the others'
//! outlines, the manifest's entries, the paths written and the reports held for standard error.
//!
//! DIR is sigc's: two inputs that would be exported to one path (`a/x.yml` and `b/x.yml` named
//! as files, `r.yml` beside `r.yaml`) are an error, where the first keeps the path and the other
//! is not exported, its manifest entries saying why; the files an earlier export wrote that this
//! one does not write again are removed, and so are the temporary files of an interrupted run.
//! [`owned`] says what sigc owns and how symbolic links below DIR are kept out of the way.

mod manifest;
mod owned;

use super::inputs::{self, Input};
use super::outcome::{FileOutcome, Resolved};
use super::placeholders::Placeholders;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, out, report, terminal, write};
use manifest::{Entry, Manifest, Status};
use rayon::prelude::*;
use sigc_backends::{Converted, Plan};
use std::collections::hash_map::Entry as Slot;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many input files are converted, rendered and staged at a time: their outputs are dropped
/// before the next chunk converts, so an export's memory does not grow with its outputs. Enough
/// files for both cores to share each step evenly.
const CHUNK: usize = 256;

/// Where an input's rules for `plan` are exported, relative to DIR: `<target>/<relative
/// path>.<extension>`, the extension being the format's, else the target's.
fn output_path(plan: &Plan, relative: &Path) -> PathBuf {
    Path::new(plan.target.name())
        .join(relative)
        .with_extension(plan.extension())
}

/// An input file made ready, on a worker, for the thread that records the files: per target
/// its text and where it goes, and what is left of each rule.
struct Split {
    input: Input,
    /// Per target: the file's text, `None` when none of its rules is written on its own.
    texts: Vec<Option<Result<String, String>>>,
    /// Per target: where the file is exported.
    outputs: Vec<Output>,
    rules: Vec<SplitRule>,
}

/// Where a file is exported for one target.
struct Output {
    /// Relative to DIR ([`output_path`]).
    relative: PathBuf,
    /// The directory of `relative` (found on the worker, not by the thread that records the
    /// files, where it is looked up among the directories already prepared).
    parent: PathBuf,
    /// Below DIR.
    path: PathBuf,
    /// `path` as the manifest names it.
    shown: String,
}

/// A rule of a [`Split`] file: its manifest fields and, per target, `Ok(written on its own)` or
/// why it was not converted.
struct SplitRule {
    id: Option<String>,
    title: Option<String>,
    /// The front end's errors as standard error shows them, when it refused the rule (the same
    /// errors for every target: reported once).
    refused: Option<String>,
    targets: Vec<Result<bool, Failure>>,
}

/// Why a rule was not converted for a target.
struct Failure {
    /// The errors as the manifest gives them.
    errors: Vec<String>,
    /// The errors as standard error shows them, unless the front end's (reported once).
    shown: Option<String>,
}

/// Renders `file` for each of `plans` and names its outputs below `dir`: its converted
/// documents are dropped here, on a worker, rather than by the thread that records the files.
fn split(file: FileOutcome, plans: &[Plan], dir: &Path) -> Split {
    let mut per_target: Vec<Vec<Converted>> = plans.iter().map(|_| Vec::new()).collect();
    let rules = file
        .rules
        .into_iter()
        .map(|rule| {
            let refused = (!rule.compile_errors.is_empty())
                .then(|| report::diagnostics_text(&rule.compile_errors));
            let targets = rule
                .targets
                .into_iter()
                .enumerate()
                .map(|(t, result)| match result {
                    Ok(c) => {
                        let output = c.output;
                        per_target[t].push(c);
                        Ok(output)
                    }
                    Err(errors) => Err(Failure {
                        errors: errors.iter().map(ToString::to_string).collect(),
                        shown: refused.is_none().then(|| report::diagnostics_text(&errors)),
                    }),
                })
                .collect();
            SplitRule {
                id: rule.id,
                title: rule.title,
                refused,
                targets,
            }
        })
        .collect();
    let texts = plans
        .iter()
        .zip(&per_target)
        .map(|(plan, converted)| {
            converted
                .iter()
                .any(|c| c.output)
                .then(|| plan.render(converted))
        })
        .collect();
    let outputs = plans
        .iter()
        .map(|plan| {
            let relative = output_path(plan, &file.input.relative);
            let path = dir.join(&relative);
            Output {
                parent: relative.parent().unwrap_or(Path::new("")).to_path_buf(),
                shown: inputs::shown(&path),
                relative,
                path,
            }
        })
        .collect();
    Split {
        input: file.input,
        texts,
        outputs,
        rules,
    }
}

/// What an export reports on standard error about its files, held until the placeholder notes,
/// which need every file converted, are printed before it.
enum Report {
    /// Diagnostics, as standard error shows them.
    Shown(String),
    Error(String),
}

/// An export under way: what it has written, staged and found so far.
struct Export<'a> {
    dir: &'a Path,
    plans: &'a [Plan],
    entries: Vec<Entry>,
    /// Each output path, and the input that has it.
    claimed: HashMap<PathBuf, Arc<str>>,
    /// The files in place or staged, relative to DIR.
    written: HashSet<PathBuf>,
    /// The directories below DIR already checked, or made, for the files of this export.
    prepared: HashSet<PathBuf>,
    /// The files written under temporary names, and their paths relative to DIR.
    staged: Vec<(write::Staged, PathBuf)>,
    /// The reports about the files, in input order.
    reports: Vec<Report>,
    /// The files that could not be staged, reported after the others.
    unstaged: Vec<String>,
    rules: usize,
    failed: usize,
    collisions: usize,
    write_error: bool,
}

/// Writes every file and the manifest, removes what an earlier export left; returns the exit
/// status. The placeholder notes, when given, are printed before the reports about the files.
pub fn run(
    dir: &Path,
    plans: &[Plan],
    resolved: Resolved,
    mut placeholders: Option<Placeholders>,
) -> i32 {
    if let Err(e) = std::fs::create_dir_all(dir) {
        report::error(&format!("{}: {e}", dir.display()));
        return EXIT_USAGE;
    }
    let mut io_errors = owned::remove_temporaries(dir);
    let manifest_path = dir.join("manifest.json");
    let previous = owned::previous(&manifest_path).unwrap_or_else(|e| {
        io_errors.push(format!(
            "{e}; the files an earlier export wrote are left as they are"
        ));
        Vec::new()
    });
    // an output path per input and target, at most: the sets of paths never grow (growing
    // hashes every path again), nor do the lists of entries and files staged, unless a file
    // has several rules (growing doubles them, and a large export holds them to its end)
    let outputs = resolved.inputs() * plans.len();
    let mut export = Export {
        dir,
        plans,
        entries: Vec::with_capacity(outputs),
        claimed: HashMap::with_capacity(outputs),
        written: HashSet::with_capacity(outputs),
        prepared: HashSet::new(),
        staged: Vec::with_capacity(outputs),
        write_error: !io_errors.is_empty(),
        reports: io_errors.into_iter().map(Report::Error).collect(),
        unstaged: Vec::new(),
        rules: 0,
        failed: 0,
        collisions: 0,
    };
    resolved.convert(plans, CHUNK, |files| {
        if let Some(placeholders) = &mut placeholders {
            placeholders.count(&files);
        }
        export.chunk(files);
    });
    if let Some(placeholders) = &placeholders {
        placeholders.report();
    }
    export.finish(&manifest_path, &previous)
}

impl Export<'_> {
    /// Renders the files of one chunk, claims their paths, records their manifest entries and
    /// stages them.
    fn chunk(&mut self, files: Vec<FileOutcome>) {
        let (plans, dir) = (self.plans, self.dir);
        // A file of filters only has nothing of its own to export, and claims no path. Each
        // file is rendered and its outputs named in parallel; the rest goes in input order.
        let files: Vec<Split> = files
            .into_par_iter()
            .filter(|f| !f.rules.is_empty())
            .map(|f| split(f, plans, dir))
            .collect();
        let first = self.entries.len();
        // Each file to write: its path, its path relative to DIR, its text.
        let mut pending: Vec<(PathBuf, PathBuf, String)> = Vec::new();
        for file in files {
            self.file(file, &mut pending);
        }
        // Written under temporary names in parallel; put in place together at the end.
        let staging: Vec<Result<Option<write::Staged>, String>> = pending
            .par_iter_mut()
            .map(|(path, _, text)| {
                let staged = write::stage(path, text.as_bytes());
                // freed here, in parallel, as the documents were
                drop(std::mem::take(text));
                staged
            })
            .collect();
        for ((path, relative, _), result) in pending.into_iter().zip(staging) {
            match result {
                Ok(Some(file)) => self.staged.push((file, relative)),
                // Already in place, as it is.
                Ok(None) => {}
                Err(e) => {
                    self.write_error = true;
                    manifest::unwritten(&mut self.entries[first..], &inputs::shown(&path), &e);
                    self.unstaged.push(e);
                    self.written.remove(&relative);
                }
            }
        }
    }

    /// Claims the output paths of one file, for each target, and records its manifest entries;
    /// adds the files it writes to `pending`.
    fn file(&mut self, file: Split, pending: &mut Vec<(PathBuf, PathBuf, String)>) {
        let plans = self.plans;
        // shared by the file's entries and paths: an export holds them to its end
        let source: Arc<str> = inputs::shown(&file.input.path).into();
        let mut outcomes = Vec::new();
        for rule in file.rules {
            self.rules += 1;
            self.reports.extend(rule.refused.map(Report::Shown));
            let (rule_id, title): (Option<Arc<str>>, Option<Arc<str>>) =
                (rule.id.map(Into::into), rule.title.map(Into::into));
            for (t, result) in rule.targets.into_iter().enumerate() {
                let (written, errors) = match result {
                    Ok(output) => (output, None),
                    Err(failure) => {
                        self.failed += 1;
                        self.reports.extend(failure.shown.map(Report::Shown));
                        (true, Some(failure.errors))
                    }
                };
                outcomes.push((t, rule_id.clone(), title.clone(), written, errors));
            }
        }
        // Per target: the file written (if any), or why the rules were not exported.
        let mut outputs: Vec<Result<Option<String>, String>> = Vec::with_capacity(plans.len());
        for (output, text) in file.outputs.into_iter().zip(file.texts) {
            match self.claimed.entry(output.relative.clone()) {
                Slot::Occupied(other) => {
                    let e = format!(
                        "{source}: not exported: {} has the same output path {}; rename one of them",
                        other.get(),
                        output.path.display()
                    );
                    self.reports.push(Report::Error(e.clone()));
                    self.collisions += 1;
                    outputs.push(Err(e));
                    continue;
                }
                Slot::Vacant(slot) => {
                    slot.insert(source.clone());
                }
            }
            let Some(text) = text else {
                outputs.push(Ok(None));
                continue;
            };
            let result = text.and_then(|text| {
                if !self.prepared.contains(&output.parent) {
                    owned::prepare(self.dir, &output.relative)?;
                    self.prepared.insert(output.parent);
                }
                Ok(text)
            });
            match result {
                Ok(text) => {
                    outputs.push(Ok(Some(output.shown)));
                    pending.push((output.path, output.relative.clone(), text));
                    self.written.insert(output.relative);
                }
                Err(e) => {
                    self.reports.push(Report::Error(e.clone()));
                    self.write_error = true;
                    outputs.push(Err(e));
                }
            }
        }
        for (t, rule_id, title, written, errors) in outcomes {
            let (status, output, errors) = match (&outputs[t], errors) {
                // Converted only as part of the correlations that use it (`generate: false`).
                (Ok(_), None) if !written => (Status::Referenced, None, Vec::new()),
                (Ok(output), None) => (Status::Converted, output.clone(), Vec::new()),
                (Ok(_), Some(errors)) => (Status::Failed, None, errors),
                (Err(e), errors) => {
                    let mut errors = errors.unwrap_or_default();
                    errors.push(e.clone());
                    (Status::Failed, None, errors)
                }
            };
            self.entries.push(Entry {
                source: source.clone(),
                rule_id,
                title,
                target: plans[t].target.name(),
                format: plans[t].layout().format_name(),
                status,
                output,
                errors,
            });
        }
    }

    /// Reports what was held, puts the staged files in place (one sync), removes the files an
    /// earlier export wrote that this one did not, writes the manifest; returns the exit status.
    fn finish(mut self, manifest_path: &Path, previous: &[PathBuf]) -> i32 {
        for r in &self.reports {
            match r {
                Report::Shown(text) => out::stderr(text),
                Report::Error(e) => report::error(e),
            }
        }
        for e in &self.unstaged {
            report::error(e);
        }
        let (files, paths): (Vec<_>, Vec<_>) = std::mem::take(&mut self.staged).into_iter().unzip();
        for (result, relative) in write::commit(self.dir, files).into_iter().zip(paths) {
            if let Err(e) = result {
                report::error(&e);
                self.write_error = true;
                let path = inputs::shown(&self.dir.join(&relative));
                manifest::unwritten(&mut self.entries, &path, &e);
                self.written.remove(&relative);
            }
        }
        let (kept, errors) = owned::remove_stale(self.dir, previous, &self.written);
        for e in &errors {
            report::error(e);
        }
        self.write_error |= !errors.is_empty();
        let mut owned: Vec<&str> = self
            .written
            .iter()
            .chain(&kept)
            .filter_map(|p| p.to_str())
            .collect();
        owned.sort_unstable();
        let manifest = Manifest {
            sigc: env!("CARGO_PKG_VERSION"),
            targets: self.plans.iter().map(|p| p.target.name()).collect(),
            entries: &self.entries,
            files: owned,
        };
        if let Err(e) = write::replace_changed(manifest_path, &|w| manifest.write(w)) {
            report::error(&e);
            return EXIT_USAGE;
        }
        let not_exported = if self.collisions > 0 {
            format!(", {} not exported (output path taken)", self.collisions)
        } else {
            String::new()
        };
        report::note(&format!(
            "exported {} rules to {} targets: {} files written, {} conversions failed{not_exported}; see {}",
            self.rules,
            self.plans.len(),
            self.written.len(),
            self.failed,
            terminal::escape(&manifest_path.display().to_string())
        ));
        if self.write_error || self.collisions > 0 {
            EXIT_USAGE
        } else if self.failed > 0 {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }
}
