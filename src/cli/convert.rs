//! `sigc convert`: rules to queries, every rule on its own, failures reported and counted.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, inputs, report, write};
use clap::Args;
use rayon::prelude::*;
use sigc_backends::Backend;
use sigc_compiler::Diagnostic;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Target query language (`sigc list targets`).
    #[arg(short, long, value_name = "TARGET")]
    pub target: String,
    /// Processing pipeline by name or YAML file, applied in priority order (repeatable).
    #[arg(short, long = "pipeline", value_name = "PIPELINE")]
    pub pipelines: Vec<String>,
    /// Use no pipeline at all, not even the target's default.
    #[arg(long)]
    pub without_pipeline: bool,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rule files, directories (searched recursively for *.yml and *.yaml), or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// What became of one input file.
struct FileResult {
    queries: Vec<String>,
    errors: Vec<Diagnostic>,
    failed_rules: usize,
    rules: usize,
}

pub fn run(args: ConvertArgs) -> i32 {
    let Some(backend) = sigc_backends::target(&args.target) else {
        let known: Vec<&str> = sigc_backends::targets().iter().map(|b| b.name()).collect();
        report::error(&format!("unknown target `{}`; targets: {}", args.target, known.join(", ")));
        return EXIT_USAGE;
    };
    if let Some(name) = args.pipelines.first() {
        report::error(&format!("pipeline `{name}` not found: this build of sigc has no processing pipelines yet"));
        return EXIT_USAGE;
    }
    let files = match inputs::collect(&args.paths) {
        Ok(files) => files,
        Err(e) => {
            report::error(&e);
            return EXIT_USAGE;
        }
    };
    let results: Vec<Result<FileResult, String>> =
        files.par_iter().map(|path| convert_file(path, backend)).collect();

    let mut output = String::new();
    let (mut rules, mut failed, mut io_error) = (0, 0, false);
    for result in results {
        match result {
            Ok(r) => {
                for q in &r.queries {
                    output.push_str(q);
                    output.push('\n');
                }
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
        eprintln!("{} of {rules} rules converted; {failed} failed", rules - failed);
    }
    if io_error {
        EXIT_USAGE
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn convert_file(path: &std::path::Path, backend: &dyn Backend) -> Result<FileResult, String> {
    let source = inputs::read(path)?;
    let mut result = FileResult {
        queries: Vec::new(),
        errors: Vec::new(),
        failed_rules: 0,
        rules: 0,
    };
    for compiled in sigc_compiler::compile(&source) {
        result.rules += 1;
        match compiled.and_then(|rule| backend.convert(&rule).map_err(|e| vec![e])) {
            Ok(queries) => result.queries.extend(queries),
            Err(errors) => {
                result.failed_rules += 1;
                result.errors.extend(errors);
            }
        }
    }
    Ok(result)
}
