//! `sigc analyze`: sigma-cli's `sigma analyze` verbs over a rule set: an ATT&CK Navigator layer
//! ([`attack`]), rule counts per log source and level ([`logsource`]), and the field names the
//! rules test after a target's pipelines ([`fields`]).

mod attack;
mod fields;
mod logsource;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, inputs, out, report, write};
use clap::{Args, Subcommand, ValueEnum};
use sigc_compiler::RuleSet;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Subcommand, Debug)]
pub enum What {
    /// Write an ATT&CK Navigator layer: a score per technique the rules tag, computed as
    /// sigma-cli computes it.
    Attack(attack::AttackArgs),
    /// Count the rules per log source category and level (sigma-cli's table, or JSON).
    Logsource(logsource::LogsourceArgs),
    /// List the field names the rules test after a target's pipelines, optionally per log source.
    Fields(fields::FieldsArgs),
}

/// The rules analyzed: files and directories, and which files of a directory are rules
/// (sigma-cli's `-P`).
#[derive(Args, Debug)]
pub struct Rules {
    #[command(flatten)]
    pub file_pattern: inputs::FilePatternArg,
    /// Rule files or directories.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// The table for people, or JSON.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: AnalyzeArgs) -> i32 {
    match args.what {
        What::Attack(a) => attack::run(a),
        What::Logsource(a) => logsource::run(a),
        What::Fields(a) => fields::run(a),
    }
}

/// The rule set of the files `rules` names, with whether any input could not be read (exit 2)
/// or any document did not compile (exit 1); each error is reported, the other documents kept.
fn load(rules: &Rules) -> (RuleSet, i32) {
    let pattern = match rules.file_pattern.pattern() {
        Ok(pattern) => pattern,
        Err(e) => {
            report::error(&e);
            return (RuleSet::from_files(Vec::new()).0, EXIT_USAGE);
        }
    };
    let collected = inputs::collect_matching(&rules.paths, false, &pattern);
    let mut status = EXIT_OK;
    for e in &collected.errors {
        report::error(e);
        status = EXIT_USAGE;
    }
    let mut files = Vec::new();
    for input in &collected.inputs {
        match inputs::read(input) {
            Ok(source) => files.push(sigc_compiler::compile(&source)),
            Err(inputs::ReadError::Io(e)) => {
                report::error(&e);
                status = EXIT_USAGE;
            }
            Err(inputs::ReadError::Text(d)) => files.push(vec![Err(vec![d])]),
        }
    }
    let (set, slots) = RuleSet::from_files(files);
    for errors in slots.into_iter().flatten().filter_map(Result::err) {
        report::diagnostics(&errors);
        status = status.max(EXIT_FAILED);
    }
    for (id, _) in set.documents() {
        if !set.errors(id).is_empty() {
            report::diagnostics(set.errors(id));
            status = status.max(EXIT_FAILED);
        }
    }
    (set, status)
}

/// Writes `text` to `output` (`-` is standard output); the run's `status`, or 2 when it cannot.
fn emit(output: &Path, text: &str, status: i32) -> i32 {
    if output.as_os_str() == "-" {
        out::stdout(text);
        return status;
    }
    match write::output(output, text.as_bytes()) {
        Ok(()) => status,
        Err(e) => {
            report::error(&e);
            EXIT_USAGE
        }
    }
}
