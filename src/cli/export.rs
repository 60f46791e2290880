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
//! DIR is sigc's: two inputs that would be exported to one path (`a/x.yml` and `b/x.yml` named
//! as files, `r.yml` beside `r.yaml`) are an error, where the first keeps the path and the other
//! is not exported, its manifest entries saying why; the files an earlier export wrote that this
//! one does not write again are removed, and so are the temporary files of an interrupted run.
//! [`owned`] says what sigc owns and how symbolic links below DIR are kept out of the way.

mod owned;

use super::inputs::Input;
use super::outcome::FileOutcome;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report, terminal, write};
use rayon::prelude::*;
use serde_json::json;
use sigc_backends::{Converted, Plan};
use sigc_compiler::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where an input's rules for `plan` are exported, relative to DIR: `<target>/<relative
/// path>.<extension>`, the extension being the format's, else the target's.
fn output_path(plan: &Plan, relative: &Path) -> PathBuf {
    Path::new(plan.target.name())
        .join(relative)
        .with_extension(plan.extension())
}

/// An input file with its converted documents moved out, per target (in the order of the
/// plans), and what is left of each rule: per target, whether it is written on its own, or the
/// errors that stopped it.
struct Split {
    input: Input,
    per_target: Vec<Vec<Converted>>,
    rules: Vec<SplitRule>,
}

/// A rule of a [`Split`] file: its manifest fields and, per target, `Ok(written on its own)` or
/// the errors that stopped it.
struct SplitRule {
    id: Option<String>,
    title: Option<String>,
    compile_errors: Vec<Diagnostic>,
    targets: Vec<Result<bool, Vec<Diagnostic>>>,
}

/// Moves the converted documents of `file` out, by target (`targets` of them).
fn split(file: FileOutcome, targets: usize) -> Split {
    let mut per_target: Vec<Vec<Converted>> = (0..targets).map(|_| Vec::new()).collect();
    let rules = file
        .rules
        .into_iter()
        .map(|rule| SplitRule {
            targets: rule
                .targets
                .into_iter()
                .enumerate()
                .map(|(t, result)| {
                    result.map(|c| {
                        let output = c.output;
                        per_target[t].push(c);
                        output
                    })
                })
                .collect(),
            id: rule.id,
            title: rule.title,
            compile_errors: rule.compile_errors,
        })
        .collect();
    Split {
        input: file.input,
        per_target,
        rules,
    }
}

/// Marks the manifest entries whose output is `path` as failed with `error`: the file could not be
/// put in place.
fn unwritten(entries: &mut [serde_json::Value], path: &Path, error: String) {
    let output = path.display().to_string();
    for entry in entries
        .iter_mut()
        .filter(|e| e["output"] == output.as_str())
    {
        entry["status"] = json!("failed");
        entry["output"] = serde_json::Value::Null;
        entry["errors"] = json!([error]);
    }
}

/// Writes every file and the manifest, removes what an earlier export left; returns the exit
/// status.
pub fn run(dir: &Path, plans: &[Plan], files: Vec<FileOutcome>) -> i32 {
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
    for e in &io_errors {
        report::error(e);
    }
    let mut write_error = !io_errors.is_empty();
    let mut entries = Vec::new();
    // Each output path, and the input that has it.
    let mut claimed: HashMap<PathBuf, String> = HashMap::new();
    let mut written = HashSet::new();
    // Each file to write: its path, its path relative to DIR, its text.
    let mut pending: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    // The directories below DIR already checked, or made, for the files of this export.
    let mut prepared: HashSet<PathBuf> = HashSet::new();
    let (mut rules, mut failed, mut collisions) = (0, 0, 0);
    // A file of filters only has nothing of its own to export, and claims no path. Each file's
    // converted rules are split by target and rendered in parallel; the rest goes in input order.
    let files: Vec<Split> = files
        .into_iter()
        .filter(|f| !f.rules.is_empty())
        .map(|f| split(f, plans.len()))
        .collect();
    let texts: Vec<Vec<Option<Result<String, String>>>> = files
        .par_iter()
        .map(|file| {
            plans
                .iter()
                .zip(&file.per_target)
                .map(|(plan, converted)| {
                    converted
                        .iter()
                        .any(|c| c.output)
                        .then(|| plan.render(converted))
                })
                .collect()
        })
        .collect();
    for (file, texts) in files.into_iter().zip(texts) {
        let source = file.input.path.display().to_string();
        let mut outcomes = Vec::new();
        for rule in file.rules {
            rules += 1;
            report::diagnostics(&rule.compile_errors);
            for (t, result) in rule.targets.into_iter().enumerate() {
                let (written, errors) = match result {
                    Ok(output) => (output, None),
                    Err(errors) => {
                        failed += 1;
                        if rule.compile_errors.is_empty() {
                            report::diagnostics(&errors);
                        }
                        (
                            true,
                            Some(errors.iter().map(ToString::to_string).collect::<Vec<_>>()),
                        )
                    }
                };
                outcomes.push((t, rule.id.clone(), rule.title.clone(), written, errors));
            }
        }
        // Per target: the file written (if any), or why the rules were not exported.
        let mut outputs: Vec<Result<Option<String>, String>> = Vec::with_capacity(plans.len());
        for (plan, text) in plans.iter().zip(texts) {
            let relative = output_path(plan, &file.input.relative);
            let path = dir.join(&relative);
            if let Some(other) = claimed.get(&relative) {
                let e = format!(
                    "{source}: not exported: {other} has the same output path {}; rename one of them",
                    path.display()
                );
                report::error(&e);
                collisions += 1;
                outputs.push(Err(e));
                continue;
            }
            claimed.insert(relative.clone(), source.clone());
            let Some(text) = text else {
                outputs.push(Ok(None));
                continue;
            };
            let result = text.and_then(|text| {
                let parent = relative.parent().unwrap_or(Path::new(""));
                if !prepared.contains(parent) {
                    owned::prepare(dir, &relative)?;
                    prepared.insert(parent.to_path_buf());
                }
                Ok(text)
            });
            match result {
                Ok(text) => {
                    outputs.push(Ok(Some(path.display().to_string())));
                    pending.push((path, relative.clone(), text));
                    written.insert(relative);
                }
                Err(e) => {
                    report::error(&e);
                    write_error = true;
                    outputs.push(Err(e));
                }
            }
        }
        for (t, id, title, written, errors) in outcomes {
            let (status, output, errors) = match (&outputs[t], errors) {
                // Converted only as part of the correlations that use it (`generate: false`).
                (Ok(_), None) if !written => ("referenced", None, Vec::new()),
                (Ok(output), None) => ("converted", output.clone(), Vec::new()),
                (Ok(_), Some(errors)) => ("failed", None, errors),
                (Err(e), errors) => {
                    let mut errors = errors.unwrap_or_default();
                    errors.push(e.clone());
                    ("failed", None, errors)
                }
            };
            entries.push(json!({
                "source": source,
                "rule_id": id,
                "title": title,
                "target": plans[t].target.name(),
                "format": plans[t].layout.format_name(),
                "status": status,
                "output": output,
                "errors": errors,
            }));
        }
    }
    // Written under temporary names in parallel, then put in place together.
    let staging: Vec<Result<Option<write::Staged>, String>> = pending
        .par_iter()
        .map(|(path, _, text)| write::stage(path, text.as_bytes()))
        .collect();
    let mut staged = Vec::new();
    for ((path, relative, _), result) in pending.into_iter().zip(staging) {
        match result {
            Ok(Some(file)) => staged.push((file, relative)),
            // Already in place, as it is.
            Ok(None) => {}
            Err(e) => {
                report::error(&e);
                write_error = true;
                unwritten(&mut entries, &path, e);
                written.remove(&relative);
            }
        }
    }
    let (files, paths): (Vec<_>, Vec<_>) = staged.into_iter().unzip();
    for (result, relative) in write::commit(dir, files).into_iter().zip(paths) {
        if let Err(e) = result {
            report::error(&e);
            write_error = true;
            unwritten(&mut entries, &dir.join(&relative), e);
            written.remove(&relative);
        }
    }
    let (kept, errors) = owned::remove_stale(dir, &previous, &written);
    for e in &errors {
        report::error(e);
    }
    write_error |= !errors.is_empty();
    let mut owned: Vec<&str> = written
        .iter()
        .chain(&kept)
        .filter_map(|p| p.to_str())
        .collect();
    owned.sort_unstable();
    let manifest = json!({
        "sigc": env!("CARGO_PKG_VERSION"),
        "targets": plans.iter().map(|p| p.target.name()).collect::<Vec<_>>(),
        "entries": entries,
        "files": owned,
    });
    let mut text = serde_json::to_string_pretty(&manifest).expect("JSON values serialize");
    text.push('\n');
    if !write::unchanged(&manifest_path, text.as_bytes())
        && let Err(e) = write::atomic(&manifest_path, text.as_bytes())
    {
        report::error(&e);
        return EXIT_USAGE;
    }
    let not_exported = if collisions > 0 {
        format!(", {collisions} not exported (output path taken)")
    } else {
        String::new()
    };
    report::note(&format!(
        "exported {rules} rules to {} targets: {} files written, {failed} conversions failed{not_exported}; see {}",
        plans.len(),
        written.len(),
        terminal::escape(&manifest_path.display().to_string())
    ));
    if write_error || collisions > 0 {
        EXIT_USAGE
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
