//! Export mode of `sigc convert`: every rule file converted for every target, each written to
//! `DIR/<target>/<path of the rule file below its argument>.<extension>`, and `DIR/manifest.json`
//! saying what became of every rule for every target.
//!
//! A rule that fails for one target is still exported to the others. A rule file whose rules all
//! fail for a target gets no file for it. Every file is written atomically, the manifest last.

use super::convert::{FileOutcome, Plan, export_path};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report, terminal, write};
use serde_json::json;
use sigc_backends::format::Converted;
use std::path::Path;

/// The file extension of an exported file: the format's, else the target's query language's.
pub fn extension(plan: &Plan) -> &'static str {
    match plan.format {
        // A user's template may write anything.
        None => "txt",
        Some(format) => format.extension.unwrap_or(plan.backend.extension()),
    }
}

/// Writes every file and the manifest; returns the exit status.
pub fn run(dir: &Path, plans: &[Plan], files: Vec<FileOutcome>) -> i32 {
    let mut entries = Vec::new();
    let (mut rules, mut written, mut failed, mut write_error) = (0, 0, 0, false);
    for file in files {
        let source = file.input.path.display().to_string();
        let mut per_target: Vec<Vec<Converted>> = plans.iter().map(|_| Vec::new()).collect();
        let mut outcomes = Vec::new();
        for rule in file.rules {
            rules += 1;
            report::diagnostics(&rule.compile_errors);
            for (t, result) in rule.targets.into_iter().enumerate() {
                let errors = match result {
                    Ok(c) => {
                        per_target[t].push(c);
                        None
                    }
                    Err(errors) => {
                        failed += 1;
                        if rule.compile_errors.is_empty() {
                            report::diagnostics(&errors);
                        }
                        Some(errors.iter().map(ToString::to_string).collect::<Vec<_>>())
                    }
                };
                outcomes.push((t, rule.id.clone(), rule.title.clone(), errors));
            }
        }
        let mut outputs = Vec::with_capacity(plans.len());
        for (plan, converted) in plans.iter().zip(&per_target) {
            if converted.is_empty() {
                outputs.push(None);
                continue;
            }
            let path = export_path(dir, plan, &file.input.relative);
            let result = plan
                .render(converted)
                .and_then(|text| write::atomic(&path, text.as_bytes()));
            match result {
                Ok(()) => {
                    written += 1;
                    outputs.push(Some(path.display().to_string()));
                }
                Err(e) => {
                    report::error(&e);
                    write_error = true;
                    outputs.push(None);
                }
            }
        }
        for (t, id, title, errors) in outcomes {
            let status = if errors.is_some() {
                "failed"
            } else {
                "converted"
            };
            entries.push(json!({
                "source": source,
                "rule_id": id,
                "title": title,
                "target": plans[t].backend.name(),
                "format": plans[t].format_name(),
                "status": status,
                "output": if errors.is_none() { outputs[t].clone() } else { None },
                "errors": errors.unwrap_or_default(),
            }));
        }
    }
    let manifest = json!({
        "sigc": env!("CARGO_PKG_VERSION"),
        "targets": plans.iter().map(|p| p.backend.name()).collect::<Vec<_>>(),
        "entries": entries,
    });
    let manifest_path = dir.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).expect("JSON values serialize");
    if let Err(e) = write::atomic(&manifest_path, format!("{text}\n").as_bytes()) {
        report::error(&e);
        return EXIT_USAGE;
    }
    report::note(&format!(
        "exported {rules} rules to {} targets: {written} files written, {failed} conversions failed; see {}",
        plans.len(),
        terminal::escape(&manifest_path.display().to_string())
    ));
    if write_error {
        EXIT_USAGE
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
