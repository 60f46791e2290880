//! `sigc convert`: rules to queries, every rule on its own, failures reported and counted.
//!
//! The command line makes one [`Plan`] per target: its processing pipelines (the target's default
//! ones unless `-p` names others or `--without-pipeline` is given), the variables, the backend
//! options (`-O`) and the output format or template. Each rule is compiled once and converted
//! through every plan ([`super::outcome`]). With one target the converted rules are rendered
//! together with the format's template; with several, [`super::export`] writes a file per target.

use super::outcome::{self, FileOutcome};
use super::placeholders::Placeholders;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, export, inputs, out, report, walk, write};
use crate::service::{self, pipelines};
use clap::Args;
use sigc_backends::format::Layout;
use sigc_backends::{Options, Plan, Target};
use sigc_pipeline::builtins;
use sigc_pipeline::{Pipeline, Vars};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Target query language (`sigc list targets`). Repeat it to export to several targets at
    /// once: `-o` then names a directory.
    #[arg(short = 't', long = "target", value_name = "TARGET", required = true)]
    pub targets: Vec<String>,
    /// Processing pipeline: a built-in name (`sigc list pipelines`), a pySigma pipeline YAML
    /// file, or a directory of them (every *.yml and *.yaml below it). Repeatable; applied by
    /// priority, then name.
    #[arg(short, long = "pipeline", value_name = "PIPELINE")]
    pub pipelines: Vec<String>,
    /// Use no pipeline at all, not even the target's default.
    #[arg(long, conflicts_with = "pipelines")]
    pub without_pipeline: bool,
    /// Set a pipeline variable (repeat a key to give it several values). A variable that no
    /// pipeline of the run declares is warned about.
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// A backend option, as the target's pySigma backend names it (`sigc list options TARGET`),
    /// e.g. `-O min_time=-7d` for Splunk's savedsearches. Repeatable.
    #[arg(
        short = 'O',
        long = "backend-option",
        value_name = "NAME=VALUE",
        value_parser = parse_var
    )]
    pub backend_options: Vec<(String, String)>,
    /// How correlations are written, where a target offers several methods (`stats` for
    /// Splunk, `group` for CAR; the target's first by default).
    #[arg(short = 'c', long = "correlation-method", value_name = "METHOD")]
    pub correlation_method: Option<String>,
    /// Output format (`sigc list formats TARGET`).
    #[arg(short, long, value_name = "FORMAT", default_value = "default")]
    pub format: String,
    /// Render the output with this minijinja template instead of a format (see docs/templates.md).
    #[arg(long, value_name = "FILE", conflicts_with = "format")]
    pub template: Option<PathBuf>,
    /// Write the output to this file instead of standard output (`-`): a regular file is replaced
    /// atomically, a pipe or character device written in place, a symbolic link refused unless it
    /// leads to a pipe, a terminal or /dev/null. With several targets, or when it names a directory
    /// (existing, or ending in `/`), export one file per rule file and target below it, plus
    /// `manifest.json`.
    #[arg(short, long, value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    /// A Sigma filter file (or directory) applied to the rules, like a filter among them
    /// (sigma-cli's `--filter`). Repeatable.
    #[arg(long = "filter", value_name = "FILE")]
    pub filters: Vec<PathBuf>,
    #[command(flatten)]
    pub file_pattern: inputs::FilePatternArg,
    /// Follow symbolic links inside directories (a link loop is reported and skipped).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// Print no notes (what the pipelines left to set); warnings and errors still print.
    #[arg(short, long)]
    pub quiet: bool,
    /// Rule files, directories (searched recursively for *.yml and *.yaml, or `-P`), or `-` for
    /// standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

pub(super) fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{text}`")),
    }
}

pub fn run(args: ConvertArgs) -> i32 {
    // The plans (their pipelines read and checked) are made while the inputs are walked and
    // compiled, on both cores; what each says is reported afterwards, in the same order as
    // when they were made one after the other.
    let paths: Vec<PathBuf> = args.paths.iter().chain(&args.filters).cloned().collect();
    let (plans, inputs) = rayon::join(
        || plans(&args),
        || {
            let pattern = args.file_pattern.pattern()?;
            // an export sets rules aside past a budget; a single output holds them all
            let budget = export_dir(&args).map(|_| outcome::Budget::new(outcome::HELD_BYTES));
            let (compiled, walk_errors) =
                inputs::map_matching(&paths, args.follow, &pattern, |input| {
                    outcome::compile_held(input, budget.as_ref())
                });
            let (run, errors) = outcome::resolve(compiled);
            Ok::<_, String>((walk_errors, run, errors))
        },
    );
    let Some(plans) = plans else {
        return EXIT_USAGE;
    };
    if args.targets.len() > 1 && args.output.as_ref().is_none_or(|o| o.as_os_str() == "-") {
        report::error("several targets are exported to a directory: add -o DIR");
        return EXIT_USAGE;
    }
    warn_unused_vars(&args, &plans);
    let (walk_errors, run, errors) = match inputs {
        Ok(inputs) => inputs,
        Err(e) => {
            report::error(&e);
            return EXIT_USAGE;
        }
    };
    let mut io_error = !walk_errors.is_empty();
    for e in &walk_errors {
        report::error(e);
    }
    run.report_warnings();
    for e in &errors {
        report::error(e);
    }
    io_error |= !errors.is_empty();
    let placeholders = (!args.quiet).then(|| Placeholders::new(&plans, &args.vars));
    let status = match export_dir(&args) {
        Some(dir) => export::run(&dir, &plans, run, placeholders),
        None => {
            let mut files = Vec::new();
            run.convert(&plans, usize::MAX, |chunk| files.extend(chunk));
            if let Some(mut placeholders) = placeholders {
                placeholders.count(&files);
                placeholders.report();
            }
            single(&args, &plans[0], files)
        }
    };
    if io_error { EXIT_USAGE } else { status }
}

/// The plan of each target, in order; `None` once one cannot be made (its error reported).
fn plans(args: &ConvertArgs) -> Option<Vec<Plan>> {
    let mut plans: Vec<Plan> = Vec::new();
    for name in &args.targets {
        let p = plan(args, name)?;
        // Both would be exported to one directory.
        if plans.iter().any(|q| q.target.name() == p.target.name()) {
            report::error(&format!("target `{name}` is named twice"));
            return None;
        }
        plans.push(p);
    }
    Some(plans)
}

/// Warns about each `--var` that no pipeline of the run declares, naming those that exist.
fn warn_unused_vars(args: &ConvertArgs, plans: &[Plan]) {
    let declared: BTreeSet<&str> = plans
        .iter()
        .flat_map(|p| p.pipelines())
        .flat_map(|p| p.vars.keys().map(String::as_str))
        .collect();
    let mut warned = BTreeSet::new();
    for (key, _) in &args.vars {
        if declared.contains(key.as_str()) || !warned.insert(key) {
            continue;
        }
        let known = if declared.is_empty() {
            "no pipeline of this run declares a variable".to_string()
        } else {
            format!(
                "variables: {}",
                declared.iter().copied().collect::<Vec<_>>().join(", ")
            )
        };
        report::warning(&format!(
            "--var `{key}` is used by no pipeline of this run; {known}"
        ));
    }
}

/// Export mode: several targets, or `-o` naming a directory.
fn export_dir(args: &ConvertArgs) -> Option<PathBuf> {
    let out = args.output.as_ref()?;
    let is_dir = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    (args.targets.len() > 1 || is_dir).then(|| out.clone())
}

/// One target, one output: every converted rule rendered with the plan's template.
fn single(args: &ConvertArgs, plan: &Plan, files: Vec<FileOutcome>) -> i32 {
    let (mut rules, mut failed) = (0, 0);
    let mut converted = Vec::new();
    for result in files
        .into_iter()
        .flat_map(|f| f.rules)
        .filter_map(|r| r.targets.into_iter().next())
    {
        rules += 1;
        match result {
            Ok(c) => converted.push(c),
            Err(errors) => {
                failed += 1;
                report::diagnostics(&errors);
            }
        }
    }
    let output = match plan.render(&converted) {
        Ok(text) => text,
        Err(e) => {
            report::error(&e);
            return EXIT_USAGE;
        }
    };
    // Freed by the process's exit, all at once (see `outcome::Resolved::convert`).
    std::mem::forget(converted);
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            if let Err(e) = write::output(path, output.as_bytes()) {
                report::error(&e);
                return EXIT_USAGE;
            }
        }
        _ => out::stdout(&output),
    }
    if failed > 0 {
        report::note(&format!(
            "{} of {rules} rules converted; {failed} failed",
            rules - failed
        ));
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// The plan for target `name`; `None` (after reporting) when it cannot be made.
pub(super) fn plan(args: &ConvertArgs, name: &str) -> Option<Plan> {
    let target = match service::target(name) {
        Ok(t) => t,
        Err(e) => {
            report::error(&e.0);
            return None;
        }
    };
    let pipelines = load_pipelines(args, target)?;
    let mut vars = Vars::new();
    for (k, v) in &args.vars {
        vars.entry(k.clone()).or_default().push(v.clone());
    }
    let layout = match &args.template {
        Some(path) => match inputs::read_text(path) {
            Ok(text) => Layout::User {
                name: path.display().to_string(),
                text,
            },
            Err(e) => {
                report::error(&e);
                return None;
            }
        },
        None => match target.format(&args.format) {
            Some(f) => Layout::Builtin(f),
            None => {
                let known: Vec<&str> = target.formats().iter().map(|f| f.name).collect();
                report::error(&format!(
                    "unknown format `{}` for target `{}`; formats: {}",
                    args.format,
                    target.name(),
                    known.join(", ")
                ));
                return None;
            }
        },
    };
    let mut plan = Plan::new(target, pipelines, &vars, layout);
    match backend_options(args, target) {
        Ok(options) => plan.options = options,
        Err(e) => {
            report::error(&e);
            return None;
        }
    }
    if let Some(name) = &args.correlation_method {
        match correlation_method(args, target, name) {
            Ok(method) => plan.method = method.or(plan.method),
            Err(e) => {
                report::error(&e);
                return None;
            }
        }
    }
    Some(plan)
}

/// The correlation method `name` (`-c`) for `target`. A target that does not offer it keeps its
/// default (`None`) when another target of the run does, so one command can export to several;
/// otherwise the name is an error listing the methods there are.
fn correlation_method(
    args: &ConvertArgs,
    target: &dyn Target,
    name: &str,
) -> Result<Option<&'static sigc_backends::Method>, String> {
    if let Some(m) = target.correlation_method(name) {
        return Ok(Some(m));
    }
    let offered = args
        .targets
        .iter()
        .filter_map(|t| sigc_backends::target(t))
        .any(|t| t.correlation_method(name).is_some());
    if offered {
        return Ok(None);
    }
    let methods: Vec<&str> = target
        .correlation_methods()
        .iter()
        .map(|m| m.name)
        .collect();
    Err(match methods.as_slice() {
        [] => format!(
            "unknown correlation method `{name}`: target `{}` writes no correlations",
            target.name()
        ),
        _ => format!(
            "unknown correlation method `{name}` for target `{}`; methods: {}",
            target.name(),
            methods.join(", ")
        ),
    })
}

/// The backend options (`-O`) for `target`. An option that `target` does not declare is left to
/// the other targets of the run that do, so one command can export to several; one that no
/// target declares is an error naming those `target` has.
fn backend_options(args: &ConvertArgs, target: &dyn Target) -> Result<Options, String> {
    let elsewhere = |name: &str| {
        target.option(name).is_none()
            && args
                .targets
                .iter()
                .filter_map(|t| sigc_backends::target(t))
                .any(|t| t.option(name).is_some())
    };
    let given: Vec<(String, String)> = args
        .backend_options
        .iter()
        .filter(|(name, _)| !elsewhere(name))
        .cloned()
        .collect();
    Options::new(target.name(), target.options(), &given)
}

/// A pipeline file, read like a rule file.
fn read_pipeline(path: &Path) -> Result<Vec<u8>, String> {
    inputs::read_file(path, true, inputs::MAX_FILE_BYTES)
}

/// The pipelines `-p SPEC` names: a built-in (even where a directory has its name) or a file,
/// or each pipeline file below a directory (*.yml and *.yaml, sorted by path); `None` (after
/// reporting) for a directory that cannot be read or holds none.
fn pipeline_names(spec: &str) -> Option<Vec<String>> {
    let dir = Path::new(spec);
    if builtins::builtin(spec).is_some() || !dir.is_dir() {
        return Some(vec![spec.to_string()]);
    }
    let found = walk::walk(dir, false, inputs::is_rule_file);
    for e in &found.errors {
        report::error(e);
    }
    if found.files.is_empty() {
        report::error(&format!(
            "{}: no pipeline files (*.yml, *.yaml) in this directory",
            dir.display()
        ));
    }
    (found.errors.is_empty() && !found.files.is_empty()).then(|| {
        found
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    })
}

/// The pipelines to apply for `target`; `None` (after reporting) when one cannot be used.
///
/// Without `-p`, the target's defaults. With `-p`, the named pipelines meant for this target
/// (or for any target); a target none of them is meant for keeps its defaults, so one command
/// can name `-p splunk_windows -p logpoint_windows` for two targets.
fn load_pipelines(args: &ConvertArgs, target: &dyn Target) -> Option<Vec<Pipeline>> {
    if args.without_pipeline {
        return Some(Vec::new());
    }
    let mut named = Vec::new();
    let mut ok = true;
    for spec in &args.pipelines {
        let Some(names) = pipeline_names(spec) else {
            ok = false;
            continue;
        };
        for name in names {
            match builtins::resolve(&name, read_pipeline) {
                Ok(p) => named.push((name, p)),
                Err(errors) => {
                    report::diagnostics(&errors);
                    ok = false;
                }
            }
        }
    }
    let targets: Vec<&str> = args.targets.iter().map(String::as_str).collect();
    for (name, p) in &named {
        if let Some(e) = pipelines::misfit(name, p, &targets) {
            report::error(&e);
            ok = false;
        }
    }
    match pipelines::for_target(named.into_iter().map(|(_, p)| p).collect(), target) {
        Ok(loaded) => ok.then_some(loaded),
        Err(errors) => {
            report::diagnostics(&errors);
            None
        }
    }
}
