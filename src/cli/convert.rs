//! `sigc convert`: rules to queries, every rule on its own, failures reported and counted.
//!
//! Each rule is compiled, run through the processing pipelines (the target's default ones unless
//! `-p` names others or `--without-pipeline` is given), converted, checked against the output
//! format, and finally all converted rules are rendered with the format's template.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, inputs, report, write};
use clap::Args;
use rayon::prelude::*;
use sigc_backends::Backend;
use sigc_backends::format::{self, Converted, Format};
use sigc_backends::pipelines;
use sigc_compiler::Diagnostic;
use sigc_compiler::pipeline::{self, Pipeline, Vars};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Target query language (`sigc list targets`).
    #[arg(short, long, value_name = "TARGET")]
    pub target: String,
    /// Processing pipeline: a built-in name (`sigc list pipelines`) or a pySigma pipeline YAML
    /// file. Repeatable; applied by priority, then name.
    #[arg(short, long = "pipeline", value_name = "PIPELINE")]
    pub pipelines: Vec<String>,
    /// Use no pipeline at all, not even the target's default.
    #[arg(long, conflicts_with = "pipelines")]
    pub without_pipeline: bool,
    /// Set a pipeline variable (repeat a key to give it several values).
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Output format (`sigc list formats TARGET`).
    #[arg(short, long, value_name = "FORMAT", default_value = "default")]
    pub format: String,
    /// Render the output with this minijinja template instead of a format (see docs/templates.md).
    #[arg(long, value_name = "FILE", conflicts_with = "format")]
    pub template: Option<PathBuf>,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rule files, directories (searched recursively for *.yml and *.yaml), or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{text}`")),
    }
}

/// What became of one input file.
struct FileResult {
    converted: Vec<Converted>,
    errors: Vec<Diagnostic>,
    failed_rules: usize,
    rules: usize,
}

/// Everything a rule goes through after the front end.
struct Stages<'a> {
    backend: &'a dyn Backend,
    pipelines: &'a [Pipeline],
    vars: &'a Vars,
    format: Option<&'a Format>,
}

pub fn run(args: ConvertArgs) -> i32 {
    let Some(backend) = sigc_backends::target(&args.target) else {
        let known: Vec<&str> = sigc_backends::targets().iter().map(|b| b.name()).collect();
        report::error(&format!(
            "unknown target `{}`; targets: {}",
            args.target,
            known.join(", ")
        ));
        return EXIT_USAGE;
    };
    let Some(pipelines) = load_pipelines(&args, backend.name()) else {
        return EXIT_USAGE;
    };
    let mut cli_vars = Vars::new();
    for (k, v) in &args.vars {
        cli_vars.entry(k.clone()).or_default().push(v.clone());
    }
    let vars = pipeline::merged_vars(&pipelines, &cli_vars);
    let (template, template_name, format) = match &args.template {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => (text, path.display().to_string(), None),
            Err(e) => {
                report::error(&format!("{}: {e}", path.display()));
                return EXIT_USAGE;
            }
        },
        None => match format::format(backend.name(), &args.format) {
            Some(f) => (f.template().to_string(), format!("{}.j2", f.name), Some(f)),
            None => {
                let known: Vec<&str> = format::formats(backend.name())
                    .iter()
                    .map(|f| f.name)
                    .collect();
                report::error(&format!(
                    "unknown format `{}` for target `{}`; formats: {}",
                    args.format,
                    backend.name(),
                    known.join(", ")
                ));
                return EXIT_USAGE;
            }
        },
    };
    let files = match inputs::collect(&args.paths) {
        Ok(files) => files,
        Err(e) => {
            report::error(&e);
            return EXIT_USAGE;
        }
    };
    let stages = Stages {
        backend,
        pipelines: &pipelines,
        vars: &vars,
        format,
    };
    let results: Vec<Result<FileResult, String>> = files
        .par_iter()
        .map(|path| convert_file(path, &stages))
        .collect();

    let mut converted = Vec::new();
    let (mut rules, mut failed, mut io_error) = (0, 0, false);
    for result in results {
        match result {
            Ok(r) => {
                converted.extend(r.converted);
                report::diagnostics(&r.errors);
                rules += r.rules;
                failed += r.failed_rules;
            }
            Err(e) => {
                report::error(&e);
                io_error = true;
            }
        }
    }
    let format_name = format.map_or("template", |f| f.name);
    let output = match format::render(
        &template,
        &template_name,
        backend.name(),
        format_name,
        &converted,
    ) {
        Ok(text) => text,
        Err(e) => {
            report::error(&format!("template error: {e}"));
            return EXIT_USAGE;
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = write::atomic(path, output.as_bytes()) {
                report::error(&e);
                return EXIT_USAGE;
            }
        }
        None => print!("{output}"),
    }
    if failed > 0 {
        eprintln!(
            "{} of {rules} rules converted; {failed} failed",
            rules - failed
        );
    }
    if io_error {
        EXIT_USAGE
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// The pipelines to apply, in order; `None` (after reporting) when one cannot be used.
fn load_pipelines(args: &ConvertArgs, target: &str) -> Option<Vec<Pipeline>> {
    let names: Vec<String> = if args.without_pipeline {
        Vec::new()
    } else if args.pipelines.is_empty() {
        pipelines::defaults(target)
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args.pipelines.clone()
    };
    let mut loaded = Vec::new();
    let mut ok = true;
    for name in &names {
        match pipelines::resolve(name) {
            Ok(p)
                if !p.allowed_backends.is_empty()
                    && !p.allowed_backends.iter().any(|b| b == target) =>
            {
                report::error(&format!(
                    "pipeline `{name}` is meant for {}, not for target `{target}`",
                    p.allowed_backends.join(", ")
                ));
                ok = false;
            }
            Ok(p) => loaded.push(p),
            Err(errors) => {
                report::diagnostics(&errors);
                ok = false;
            }
        }
    }
    pipeline::order(&mut loaded);
    ok.then_some(loaded)
}

fn convert_file(path: &std::path::Path, stages: &Stages<'_>) -> Result<FileResult, String> {
    let source = inputs::read(path)?;
    let mut result = FileResult {
        converted: Vec::new(),
        errors: Vec::new(),
        failed_rules: 0,
        rules: 0,
    };
    for compiled in sigc_compiler::compile(&source) {
        result.rules += 1;
        match compiled.and_then(|rule| convert_rule(rule, stages)) {
            Ok(c) => result.converted.push(c),
            Err(errors) => {
                result.failed_rules += 1;
                result.errors.extend(errors);
            }
        }
    }
    Ok(result)
}

/// Pipelines, conversion and the format's checks for one rule.
fn convert_rule(
    mut rule: sigc_compiler::ir::Rule,
    stages: &Stages<'_>,
) -> Result<Converted, Vec<Diagnostic>> {
    let state = pipeline::apply(stages.pipelines, stages.vars, &mut rule)?;
    let queries = stages.backend.convert(&rule).map_err(|e| vec![e])?;
    if let Some(f) = stages.format {
        f.check(&rule, &state).map_err(|e| vec![e])?;
    }
    Ok(Converted {
        rule,
        queries,
        state,
    })
}
