//! `sigc check`: every parse error and validator finding of the whole input, in one run.

use super::inputs::ReadError;
use super::{
    EXIT_FAILED, EXIT_OK, EXIT_USAGE, inputs, junit, out, render, report, terminal, write,
};
use crate::service::{
    self,
    check::{Key, key},
    located::region,
};
use clap::{Args, ValueEnum};
use sigc_compiler::{Severity, Source};
use sigc_lint::{Config, Finding};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Validation configuration in sigma-cli's format (validators, exclusions, config).
    #[arg(short, long, visible_alias = "validation-config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these validators (comma-separated ids, `all`, `-id`; `sigc list validators`).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these validators (comma-separated ids; repeatable, as sigma-cli's `--exclude`).
    #[arg(
        long,
        short = 'x',
        visible_alias = "exclude",
        value_name = "IDS",
        value_delimiter = ','
    )]
    pub ignore: Vec<String>,
    /// Also report rules that this target cannot express (`sigc list targets`).
    #[arg(short, long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// sigma-cli's `--fail-on-issues`: exit with status 1 on any finding (`--fail-on info`).
    #[arg(long, short = 'i', conflicts_with = "fail_on")]
    pub fail_on_issues: bool,
    /// sigma-cli's `--pass-on-issues`: validator findings alone do not fail the run (the default).
    #[arg(long, short = 'I', conflicts_with_all = ["fail_on", "fail_on_issues"])]
    pub pass_on_issues: bool,
    /// sigma-cli's `--fail-on-error` (the default): a rule that does not compile fails the run.
    #[arg(long, short = 'e')]
    pub fail_on_error: bool,
    /// sigma-cli's `--pass-on-error`: a rule that does not compile is reported but does not fail
    /// the run by itself.
    #[arg(long, short = 'E', conflicts_with = "fail_on_error")]
    pub pass_on_error: bool,
    /// Also write the findings as a JUnit XML report to this file (sigma-cli's `--junitxml`).
    #[arg(long, value_name = "FILE")]
    pub junitxml: Option<PathBuf>,
    /// Apply the mechanical fixes in place (missing id, wildcards instead of modifiers, tag case).
    #[arg(long)]
    pub fix: bool,
    /// Show the changes `--fix` would make, as a unified diff, without writing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// A Sigma filter file (or directory), checked and applied to the rules before `--target`
    /// is asked about them, like a filter among them. Repeatable.
    #[arg(long = "filter", value_name = "FILE")]
    pub filters: Vec<PathBuf>,
    /// Follow symbolic links inside directories (a link loop is reported and skipped).
    #[arg(short = 'L', long)]
    pub follow: bool,
    #[command(flatten)]
    pub file_pattern: inputs::FilePatternArg,
    /// Rule files, directories (searched recursively for *.yml and *.yaml), or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// How findings are written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rustc-style text with the source line and a caret.
    Human,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// The least severe finding that fails the run.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Error,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Info => Severity::Info,
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
            FailOn::Error => Severity::Error,
        }
    }
}

pub fn run(args: CheckArgs) -> i32 {
    let config = match configure(&args) {
        Ok(c) => c,
        Err(e) => {
            super::report::error(&e);
            return EXIT_USAGE;
        }
    };
    let backend = match args.target.as_deref().map(service::target).transpose() {
        Ok(b) => b,
        Err(e) => {
            super::report::error(&e.0);
            return EXIT_USAGE;
        }
    };
    let paths: Vec<PathBuf> = args.paths.iter().chain(&args.filters).cloned().collect();
    let pattern = match args.file_pattern.pattern() {
        Ok(pattern) => pattern,
        Err(e) => {
            super::report::error(&e);
            return EXIT_USAGE;
        }
    };
    // each file is read and checked as soon as the walk finds it
    let (checked_files, walk_errors) =
        inputs::map_matching(&paths, args.follow, &pattern, |input| {
            match inputs::read(input) {
                Ok(source) => Ok(sigc_lint::check_file(&source, &config)),
                Err(ReadError::Text(diag)) => Ok(sigc_lint::FileReport::unreadable(diag)),
                Err(ReadError::Io(e)) => Err(e),
            }
        });
    let mut io_error = !walk_errors.is_empty();
    for e in &walk_errors {
        super::report::error(e);
    }

    let (read, reports): (Vec<inputs::Input>, Vec<_>) = checked_files.into_iter().unzip();
    let mut checked = Vec::new();
    let mut sources = Vec::new();
    let mut paths = Vec::new();
    for (input, report) in read.iter().zip(reports) {
        match report {
            Ok(r) => {
                sources.push(r.source.clone());
                paths.push(input.path.as_path());
                checked.push(r);
            }
            Err(e) => {
                super::report::error(&e);
                io_error = true;
            }
        }
    }
    let service::check::Checked {
        mut findings,
        documents,
    } = service::check::findings(checked, &config, backend);
    // Freed by the process's exit, all at once (see `outcome::Resolved::convert`).
    std::mem::forget(documents);

    if args.fix || args.diff {
        match fix(&sources, &paths, &findings, args.diff) {
            Ok(fixed) if args.fix => findings.retain(|f| !fixed.contains(&key(f))),
            Ok(_) => {}
            Err(e) => {
                super::report::error(&e);
                io_error = true;
            }
        }
    }

    let output = match args.format {
        Format::Human => human(&findings, sources.len()),
        Format::Json => json(&findings),
        Format::Sarif => sarif(&findings),
        Format::Github => github(&findings),
    };
    out::stdout(&output);
    if let Some(path) = &args.junitxml {
        let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
        if let Err(e) = write::output(path, junit::report(&findings, &names).as_bytes()) {
            super::report::error(&e);
            io_error = true;
        }
    }
    let fail_on = if args.fail_on_issues {
        FailOn::Info
    } else {
        args.fail_on
    };
    let failing = findings.iter().any(|f| {
        f.diag.severity >= fail_on.severity()
            && !(args.pass_on_error && f.diag.severity == Severity::Error)
    });
    if io_error {
        EXIT_USAGE
    } else if failing {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn configure(args: &CheckArgs) -> Result<Config, String> {
    let mut config = match &args.config {
        Some(path) => {
            let text = inputs::read_text(path)?;
            let source = Source::new(path.display().to_string(), text);
            let (config, notes) =
                Config::load(&source).map_err(|e| format!("{}: {e}", path.display()))?;
            report::diagnostics(&notes);
            config
        }
        None => Config::default(),
    };
    if !args.select.is_empty() {
        config.select(&args.select).map_err(|e| e.to_string())?;
    }
    config.ignore(&args.ignore).map_err(|e| e.to_string())?;
    Ok(config)
}

/// Applies (or, for `diff`, shows) the fixes to the files at `paths`; returns the findings that
/// were fixed.
fn fix(
    sources: &[Arc<Source>],
    paths: &[&Path],
    findings: &[Finding],
    diff: bool,
) -> Result<HashSet<Key>, String> {
    let mut fixed = HashSet::new();
    for (source, path) in sources.iter().zip(paths) {
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| {
                !f.fix.is_empty()
                    && f.diag
                        .source
                        .as_ref()
                        .is_some_and(|s| Arc::ptr_eq(s, source))
            })
            .collect();
        if mine.is_empty() || path.as_os_str() == "-" {
            continue;
        }
        let groups: Vec<Vec<sigc_lint::Edit>> = mine.iter().map(|f| f.fix.clone()).collect();
        let (before, text, applied) = sigc_lint::apply_edits(source, &groups);
        for (f, done) in mine.iter().zip(&applied) {
            if *done {
                fixed.insert(key(f));
            }
        }
        if diff {
            let d = similar::TextDiff::from_lines(before, &text);
            out::stdout(&terminal::escape_lines(
                &d.unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{}", source.name), &format!("b/{}", source.name))
                    .to_string(),
            ));
        } else {
            write::output(path, text.as_bytes())?;
            report::note(&format!(
                "fixed {} finding(s) in {}",
                applied.iter().filter(|a| **a).count(),
                terminal::path(&source.name)
            ));
        }
    }
    Ok(fixed)
}

fn human(findings: &[Finding], files: usize) -> String {
    let colour = super::colour::stdout();
    let mut out = String::new();
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for f in findings {
        out.push_str(&render::render(&f.diag, colour));
        out.push('\n');
        *counts.entry(f.diag.severity).or_default() += 1;
    }
    if findings.is_empty() {
        let _ = writeln!(out, "{files} file(s) checked: no findings");
    } else {
        let by: Vec<String> = counts
            .iter()
            .rev()
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        let fixable = findings.iter().filter(|f| !f.fix.is_empty()).count();
        let _ = write!(
            out,
            "{files} file(s) checked: {} finding(s) ({})",
            findings.len(),
            by.join(", ")
        );
        if fixable > 0 {
            let _ = write!(out, "; {fixable} fixable with --fix");
        }
        out.push('\n');
    }
    out
}

fn json(findings: &[Finding]) -> String {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let d = &f.diag;
            let r = region(d);
            serde_json::json!({
                "file": d.source.as_ref().map(|s| s.name.clone()),
                "line": r.map(|r| r.0),
                "column": r.map(|r| r.1),
                "end_line": r.map(|r| r.2),
                "end_column": r.map(|r| r.3),
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "rule_id": f.rule_id,
                "fixable": !f.fix.is_empty(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
    out.push('\n');
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A relative or absolute path as a URI reference.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for c in path.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(c),
            c => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

fn sarif(findings: &[Finding]) -> String {
    let mut rules: Vec<serde_json::Value> = sigc_lint::VALIDATORS
        .iter()
        .map(|v| {
            serde_json::json!({
                "id": v.id,
                "name": v.id,
                "shortDescription": {"text": v.description},
                "fullDescription": {"text": v.description},
                "help": {"text": v.doc(), "markdown": v.doc()},
                "defaultConfiguration": {"level": sarif_level(v.severity)},
                "properties": {"severity": v.severity.as_str()},
            })
        })
        .collect();
    let mut index: BTreeMap<&str, usize> = sigc_lint::VALIDATORS
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id, i))
        .collect();
    let mut results = Vec::new();
    for f in findings {
        let d = &f.diag;
        let rule_index = *index.entry(d.code).or_insert_with(|| {
            rules.push(serde_json::json!({
                "id": d.code,
                "name": d.code,
                "shortDescription": {"text": format!("sigc compiler error `{}`", d.code)},
                "help": {"text": "The rule does not compile: see the message and fix the rule."},
                "defaultConfiguration": {"level": "error"},
            }));
            rules.len() - 1
        });
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let mut result = serde_json::json!({
            "ruleId": d.code,
            "ruleIndex": rule_index,
            "level": sarif_level(d.severity),
            "message": {"text": message},
        });
        if let Some(source) = &d.source {
            let mut physical = serde_json::json!({"artifactLocation": {"uri": uri(&source.name)}});
            if let Some((l, c, el, ec)) = region(d) {
                physical["region"] = serde_json::json!({
                    "startLine": l, "startColumn": c, "endLine": el, "endColumn": ec,
                });
            }
            result["locations"] = serde_json::json!([{"physicalLocation": physical}]);
        }
        results.push(result);
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sigc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// GitHub workflow commands: `::error file=…,line=…,col=…,title=…::message`. Each piece is
/// [`terminal`]-escaped, then escaped as GitHub's runner reads it back.
fn github(findings: &[Finding]) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings {
        let d = &f.diag;
        let command = match d.severity {
            Severity::Error | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(source) = &d.source {
            props.push(format!("file={}", prop(&terminal::escape(&source.name))));
        }
        if let Some((l, c, el, ec)) = region(d) {
            props.push(format!("line={l},col={c},endLine={el},endColumn={ec}"));
        }
        props.push(format!(
            "title={}",
            prop(&format!("{} [{}]", d.code, d.severity.as_str()))
        ));
        let mut message = terminal::escape(&d.message).into_owned();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {}", terminal::escape(help));
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    out
}
