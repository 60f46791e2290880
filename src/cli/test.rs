//! `sigc test`: rules run on recorded events, on their own test cases, and on SigmaHQ's
//! regression data.
//!
//! - `sigc test --events FILE… RULES…` prints every match (rule id, level, title, event number or
//!   EVTX record id). Event files stream through a reader thread and are evaluated on every core.
//!   Correlation rules among the rules are evaluated over those matches once the events are read,
//!   and each group that fires in a window is printed (see [`sigc_eval::Correlator`]).
//! - `sigc test --regression DIR [RULES…]` reads each `info.yml` under DIR and checks that the
//!   recorded events (JSON and EVTX) fire the rule it names; exit status 1 when one does not.
//! - Every rule's and correlation's own test cases (the `tests` attribute, docs/testing.md) run
//!   in all modes; exit status 1 when one fails.

use super::events::engine::{Engine, Evaluated};
use super::events::{self, Decoded, Message};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, inputs, out, outcome, report, terminal, walk};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::{Value, json};
use sigc_compiler::ir::{Correlation, Document, Meta, Rule};
use sigc_compiler::vocabulary::Level;
use sigc_compiler::{DocId, RuleSet};
use sigc_eval::{Correlator, Firing, NoTimestamp, Record, TimestampFields};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Event files: JSON (an object, an array, JSON Lines, concatenated objects) or EVTX.
    /// Directories and *.yml/*.yaml files given here are taken as rules.
    #[arg(short, long = "events", value_name = "FILE", num_args = 1..)]
    pub events: Vec<PathBuf>,
    /// A SigmaHQ regression_data directory: check that each case's events fire its rule (rules
    /// default to DIR/../rules).
    #[arg(long, value_name = "DIR", conflicts_with = "events")]
    pub regression: Option<PathBuf>,
    /// The field that holds an event's time, for correlations (repeatable: the first one an event
    /// has is read). Default: @timestamp, Event.System.TimeCreated.SystemTime, TimeCreated,
    /// UtcTime.
    #[arg(long = "timestamp-field", value_name = "FIELD")]
    pub timestamp_fields: Vec<String>,
    /// Output format: human-readable lines, or JSON (one object per line for matches and
    /// correlation firings; an array of cases for --regression).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// No progress bar, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Follow symbolic links inside directories (a link loop is reported and skipped).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// A Sigma filter file (or directory) applied to the rules, like a filter among them.
    /// Repeatable.
    #[arg(long = "filter", value_name = "FILE")]
    pub filters: Vec<PathBuf>,
    /// Rule files or directories (searched recursively for *.yml and *.yaml).
    #[arg(value_name = "RULES")]
    pub paths: Vec<PathBuf>,
}

/// How results are written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

pub fn run(mut args: TestArgs) -> i32 {
    let (rule_paths, event_paths): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut args.events)
        .into_iter()
        .partition(|p| p.is_dir() || inputs::is_rule_file(p));
    args.paths.extend(rule_paths);
    if args.paths.is_empty()
        && let Some(dir) = &args.regression
    {
        args.paths.push(dir.join("..").join("rules"));
    }
    if args.paths.is_empty() {
        report::error("no rules given: name rule files or directories");
        return EXIT_USAGE;
    }
    args.paths.extend(std::mem::take(&mut args.filters));
    let (set, rules, mut status) = load_rules(&args.paths, args.follow);
    let positions: HashMap<DocId, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let (engine, refused) = Engine::new(rules.into_iter().map(|(_, rule)| rule).collect());
    status = status.max(left_out(&refused, "rules", args.quiet));
    let timestamps = if args.timestamp_fields.is_empty() {
        TimestampFields::default()
    } else {
        TimestampFields::new(args.timestamp_fields.clone())
    };
    let rule_index = |id| positions.get(&id).and_then(|&p| engine.number(p));
    let (mut correlator, refused) = Correlator::new(&set, rule_index, timestamps.clone());
    status = status.max(left_out(&refused, "correlations", args.quiet));
    let only_cases = args.regression.is_none() && event_paths.is_empty();
    if run_own_cases(&engine, args.quiet, only_cases) {
        status = status.max(EXIT_FAILED);
    }
    if run_sequence_cases(&set, &engine, rule_index, timestamps, args.quiet) {
        status = status.max(EXIT_FAILED);
    }
    let outcome = if let Some(dir) = &args.regression {
        regression(&engine, dir, &args)
    } else if !event_paths.is_empty() {
        run_events(&engine, &mut correlator, event_paths, &args)
    } else {
        EXIT_OK
    };
    // Freed by the process's exit, all at once: dropping every rule, matcher and automaton of a
    // large rule set took tens of milliseconds on one thread (see `outcome::Resolved::convert`).
    std::mem::forget((engine, set, correlator));
    status.max(outcome)
}

/// Reports the rules or correlations (`what`) that cannot be evaluated; a rule left out is a rule
/// not tested, so the status is 1 when there is one.
fn left_out(refused: &[sigc_compiler::Diagnostic], what: &str, quiet: bool) -> i32 {
    if refused.is_empty() {
        return EXIT_OK;
    }
    if !quiet {
        report::diagnostics(refused);
    }
    report::note(&format!(
        "{} {what} cannot be evaluated and were left out",
        refused.len()
    ));
    EXIT_FAILED
}

/// Compiles every document of `paths` and resolves their references: the set, and its rules
/// with their places in it. Compile and reference errors, and filters (not evaluated), are
/// reported and make the status 1 (a rule's warnings are reported and do not); a path that cannot be read is reported and makes it 2.
/// Correlations stay in the set, for the [`Correlator`].
fn load_rules(paths: &[PathBuf], follow: bool) -> (RuleSet, Vec<(DocId, Arc<Rule>)>, i32) {
    // files are compiled while the walk goes on
    let pattern = inputs::FilePattern::default();
    let (compiled, errors) = inputs::map_matching(paths, follow, &pattern, outcome::compile_file);
    let mut status = EXIT_OK;
    for e in &errors {
        report::error(e);
        status = EXIT_USAGE;
    }
    let mut files = Vec::new();
    for (_, file) in compiled {
        match file {
            Ok(documents) => files.push(documents),
            Err(e) => {
                report::error(&e);
                status = EXIT_USAGE;
            }
        }
    }
    let (set, slots) = RuleSet::from_files(files);
    let (rules, errors) = crate::service::test::rules(&set, slots);
    for (_, rule) in &rules {
        report::diagnostics(&rule.meta.warnings);
    }
    if !errors.is_empty() {
        report::diagnostics(&errors);
        status = status.max(EXIT_FAILED);
    }
    (set, rules, status)
}

/// Runs the rules' own test cases; `true` when one failed.
fn run_own_cases(engine: &Engine, quiet: bool, only_cases: bool) -> bool {
    let reports: Vec<sigc_eval::CaseReport> = engine
        .rules
        .par_iter()
        .enumerate()
        .filter(|(_, rule)| sigc_eval::has_cases(rule))
        .map(|(i, rule)| sigc_eval::run_cases(rule, engine.matcher(i)))
        .collect();
    let run: usize = reports.iter().map(|r| r.run).sum();
    let failures: Vec<_> = reports.into_iter().flat_map(|r| r.failures).collect();
    report::diagnostics(&failures);
    if !quiet && (run > 0 || !failures.is_empty() || only_cases) {
        report::note(&format!(
            "rule test cases: {} passed, {} failed",
            run.saturating_sub(failures.len()),
            failures.len()
        ));
    }
    !failures.is_empty()
}

/// Runs the correlations' own test cases (sequences of events) through the engine and a
/// correlator of their own; `true` when one failed.
fn run_sequence_cases(
    set: &RuleSet,
    engine: &Engine,
    rule_index: impl Fn(DocId) -> Option<usize>,
    timestamps: TimestampFields,
    quiet: bool,
) -> bool {
    let tested: Vec<(DocId, &Correlation)> = set
        .documents()
        .filter_map(|(id, doc)| match doc {
            Document::Correlation(c) => c.tests.is_some().then_some((id, &**c)),
            Document::Rule(_) | Document::Filter(_) => None,
        })
        .collect();
    if tested.is_empty() {
        return false;
    }
    // The correlations it refuses were reported with the run's own correlator.
    let (mut correlator, _) = Correlator::new(set, rule_index, timestamps);
    let matches = |event: &Value| {
        let mut rules = Vec::new();
        engine.matches(event, &mut rules);
        rules
    };
    let (mut run, mut failures) = (0, Vec::new());
    for (id, correlation) in tested {
        let report = sigc_eval::run_sequence_cases(correlation, id, &mut correlator, matches);
        run += report.run;
        failures.extend(report.failures);
    }
    report::diagnostics(&failures);
    if !quiet {
        report::note(&format!(
            "correlation test cases: {} passed, {} failed",
            run.saturating_sub(failures.len()),
            failures.len()
        ));
    }
    !failures.is_empty()
}

/// What one piece of input gave.
struct PieceOut {
    file: usize,
    events: u64,
    hits: Vec<Hit>,
    /// A line per match, in order, written by the worker that evaluated the piece.
    lines: String,
    errors: Vec<String>,
}

/// An event that matched.
struct Hit {
    /// The event, its value dropped.
    event: Decoded,
    /// The rules it matched.
    rules: Vec<usize>,
    /// What the correlations keep of it.
    records: Result<Vec<Record>, NoTimestamp>,
}

fn run_events(
    engine: &Engine,
    correlator: &mut Correlator,
    paths: Vec<PathBuf>,
    args: &TestArgs,
) -> i32 {
    let total: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    };
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let hit_lines = HitLines::new(&names, &engine.rules, args.format);
    let start = Instant::now();
    let rx = events::spawn_reader(paths.clone());
    let (mut events, mut matches) = (0u64, 0u64);
    // Errors per file: the first `MAX_ERRORS_SHOWN` are printed, the rest counted.
    let mut errors = vec![0u64; paths.len()];
    let mut error = |file: usize, message: &str| {
        errors[file] += 1;
        if errors[file] <= events::MAX_ERRORS_SHOWN {
            bar.suspend(|| report::error(message));
        }
    };
    let mut fired = vec![0u64; engine.rules.len()];
    // Correlated events without a timestamp, per file: the first `MAX_ERRORS_SHOWN` are printed.
    let mut untimed = vec![0u64; paths.len()];
    let looked_for = correlator_fields(args);
    for message in rx {
        match message {
            Message::Progress(done) => bar.set_position(done),
            Message::Error { file, message } => error(file, &message),
            Message::Batch(batch) => {
                let outs: Vec<PieceOut> = batch
                    .into_par_iter()
                    .map(|work| evaluate(engine, correlator, work, &hit_lines))
                    .collect();
                let mut lines = String::new();
                for piece in outs {
                    lines.push_str(&piece.lines);
                    events += piece.events;
                    for e in &piece.errors {
                        error(piece.file, &format!("{}: {e}", names[piece.file]));
                    }
                    for Hit {
                        event,
                        rules,
                        records,
                    } in piece.hits
                    {
                        match records {
                            Ok(records) => correlator.add(records),
                            Err(NoTimestamp) => {
                                untimed[piece.file] += 1;
                                if untimed[piece.file] <= events::MAX_ERRORS_SHOWN {
                                    let message = format!(
                                        "warning: {} {}: no readable timestamp in {looked_for}; the event is left out of correlations",
                                        terminal::path(&names[piece.file]),
                                        event.label()
                                    );
                                    bar.suspend(|| report::note(&message));
                                }
                            }
                        }
                        for &r in &rules {
                            matches += 1;
                            fired[r] += 1;
                        }
                    }
                }
                out::stdout(&lines);
            }
        }
    }
    bar.finish_and_clear();
    for (path, &count) in paths.iter().zip(&errors) {
        if let Some(line) = events::more_errors(count, path) {
            report::note(&terminal::escape(&line));
        }
    }
    for (path, &count) in paths.iter().zip(&untimed) {
        if count > events::MAX_ERRORS_SHOWN {
            report::note(&terminal::escape(&format!(
                "… and {} more events without a timestamp in {}",
                count - events::MAX_ERRORS_SHOWN,
                path.display()
            )));
        }
    }
    let mut status = EXIT_OK;
    if correlator.dropped() > 0 {
        report::error(&format!(
            "{} rule matches were not correlated: correlations keep at most {} matches",
            correlator.dropped(),
            sigc_eval::MAX_KEPT_MATCHES
        ));
        status = EXIT_FAILED;
    }
    if correlator.groups_dropped() > 0 {
        report::error(&format!(
            "{} groups were not correlated: one match joins at most {} groups of multi-valued \
             group-by fields",
            correlator.groups_dropped(),
            sigc_eval::MAX_GROUPS_PER_MATCH
        ));
        status = EXIT_FAILED;
    }
    let firings = correlator.finish();
    let mut lines = String::new();
    for firing in &firings {
        lines.push_str(&firing_line(correlator, firing, args.format));
        lines.push('\n');
    }
    out::stdout(&lines);
    let errors: u64 = errors.iter().sum();
    if !args.quiet {
        let secs = start.elapsed().as_secs_f64();
        report::note(&format!(
            "{events} events, {matches} matches of {} rules, {errors} errors; {:.2} s, {:.0} events/s",
            fired.iter().filter(|&&n| n > 0).count(),
            secs,
            events as f64 / secs.max(1e-9)
        ));
        if !correlator.is_empty() {
            let untimed: u64 = untimed.iter().sum();
            report::note(&format!(
                "{} correlations: {} fired, {} times; {untimed} matched events without a timestamp",
                correlator.len(),
                firings
                    .iter()
                    .map(|f| f.correlation)
                    .collect::<BTreeSet<_>>()
                    .len(),
                firings.len()
            ));
        }
    }
    if errors > 0 { EXIT_USAGE } else { status }
}

/// The timestamp fields, as a warning names them (escaped).
fn correlator_fields(args: &TestArgs) -> String {
    let fields: Vec<String> = if args.timestamp_fields.is_empty() {
        sigc_eval::DEFAULT_TIMESTAMP_FIELDS
            .iter()
            .map(|f| f.to_string())
            .collect()
    } else {
        args.timestamp_fields.clone()
    };
    let list: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    terminal::escape(&list.join(", ")).into_owned()
}

/// The events of one piece of a file through the engine, and each match written as a line.
fn evaluate(
    engine: &Engine,
    correlator: &Correlator,
    work: events::Work,
    hit_lines: &HitLines,
) -> PieceOut {
    let mut out = PieceOut {
        file: work.file,
        events: 0,
        hits: Vec::new(),
        lines: String::new(),
        errors: Vec::new(),
    };
    engine.run(work.piece, correlator, |evaluated| match evaluated {
        Ok(Evaluated {
            event,
            rules,
            records,
        }) => {
            out.events += 1;
            for &r in &rules {
                hit_lines.push(&mut out.lines, work.file, &event, r);
            }
            if !rules.is_empty() {
                out.hits.push(Hit {
                    event,
                    rules,
                    records,
                });
            }
        }
        Err(e) => out.errors.push(e),
    });
    out
}

/// The lines of matches: a JSON object, or a line for people (escaped), each made of a part
/// that depends on the file and one that depends on the rule, both written once.
struct HitLines {
    format: Format,
    /// Per event file: how its lines start.
    files: Vec<String>,
    /// Per rule: how its lines end.
    rules: Vec<String>,
}

impl HitLines {
    fn new(files: &[String], rules: &[Arc<Rule>], format: Format) -> Self {
        HitLines {
            format,
            files: files.iter().map(|f| Self::head(f, format)).collect(),
            rules: rules.iter().map(|r| Self::tail(r, format)).collect(),
        }
    }

    /// How the lines of event file `file` start.
    fn head(file: &str, format: Format) -> String {
        match format {
            Format::Json => format!("{{\"file\":{}", json!(file)),
            Format::Human => terminal::path(file).into_owned(),
        }
    }

    /// How the lines of `rule` end.
    fn tail(rule: &Rule, format: Format) -> String {
        let meta = &rule.meta;
        match format {
            Format::Json => {
                let members = json!({
                    "rule_id": meta.id,
                    "title": meta.title,
                    "level": meta.level,
                    "rule_file": rule.source.name,
                })
                .to_string();
                // They follow the event's members in one object.
                format!(",{}", &members[1..])
            }
            Format::Human => format!(
                "{} [{}] {}",
                terminal::escape(meta.id.as_deref().unwrap_or("-")),
                terminal::escape(meta.level.map_or("-", Level::as_str)),
                terminal::escape(&meta.title)
            ),
        }
    }

    /// Appends the line of a match of rule `rule` on `event` of file `file`.
    fn push(&self, out: &mut String, file: usize, event: &Decoded, rule: usize) {
        // Room for the whole line at once. The event's part is at most 90 bytes: three 20-digit
        // numbers and their names.
        const EVENT_PART: usize = 96;
        out.reserve(self.files[file].len() + EVENT_PART + self.rules[rule].len() + 1);
        out.push_str(&self.files[file]);
        match self.format {
            Format::Json => {
                let members = [
                    (",\"event\":", event.index),
                    (",\"line\":", event.line),
                    (",\"record_id\":", event.record_id),
                ];
                for (name, value) in members {
                    out.push_str(name);
                    // As serde_json writes an Option<u64>; writing to a String cannot fail.
                    let _ = match value {
                        Some(n) => write!(out, "{n}"),
                        None => write!(out, "null"),
                    };
                }
            }
            Format::Human => {
                out.push(' ');
                event.write_label(out);
                out.push_str(": ");
            }
        }
        out.push_str(&self.rules[rule]);
        out.push('\n');
    }
}

/// One correlation firing: a JSON object, or a line for people (escaped).
fn firing_line(correlator: &Correlator, firing: &Firing, format: Format) -> String {
    let correlation = correlator.correlation(firing.correlation);
    let meta: &Meta = &correlation.meta;
    let start = sigc_eval::format_instant(firing.window.start);
    let end = sigc_eval::format_instant(firing.window.end);
    let value = sigc_eval::number_text(firing.value);
    match format {
        Format::Json => json!({
            "correlation_id": meta.id,
            "title": meta.title,
            "level": meta.level,
            "type": correlation.kind.name(),
            "group": firing
                .group
                .iter()
                .map(|(name, value)| (name.clone(), Value::from(value.as_str())))
                .collect::<serde_json::Map<String, Value>>(),
            "window": {"start": start, "end": end},
            "value": serde_json::from_str::<Value>(&value).unwrap_or(Value::Null),
            "rule_file": correlation.source.name,
        })
        .to_string(),
        Format::Human => {
            let group: Vec<String> = firing
                .group
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let text = format!(
                "correlation {} [{}] {}: {} {start} – {end}, {} {value}",
                meta.id.as_deref().or(meta.name.as_deref()).unwrap_or("-"),
                meta.level.map_or("-", Level::as_str),
                meta.title,
                if group.is_empty() {
                    "all events".to_string()
                } else {
                    group.join(" ")
                },
                correlation.kind.name(),
            );
            terminal::escape(&text).into_owned()
        }
    }
}

/// One `info.yml` test: its event files and how many events must fire.
struct Expect {
    /// The recording (EVTX or JSON), after its JSON twin when it has one.
    files: Vec<PathBuf>,
    match_count: Option<usize>,
}

/// One regression case.
struct Case {
    name: String,
    rule_id: String,
    expects: Vec<Expect>,
    /// Why tests of the case are not run: no `regression_tests_info` (commented out upstream),
    /// a raw log without a JSON twin, a test type sigc does not read.
    skipped: Vec<String>,
}

/// What a case gave.
struct CaseResult {
    name: String,
    rule_id: String,
    title: String,
    /// Per file: (file, events that fired the rule, events).
    files: Vec<(PathBuf, usize, usize)>,
    problems: Vec<String>,
    skipped: Vec<String>,
    /// Other rules that fired on the case's events: (id, title).
    others: BTreeSet<(String, String)>,
}

impl CaseResult {
    /// `passed`, `failed`, or `skipped` (nothing was tested and nothing went wrong).
    fn status(&self) -> &'static str {
        match (self.problems.is_empty(), self.files.is_empty()) {
            (false, _) => "failed",
            (true, true) => "skipped",
            (true, false) => "passed",
        }
    }
}

fn regression(engine: &Engine, dir: &Path, args: &TestArgs) -> i32 {
    let found = walk::walk(dir, args.follow, |p| {
        p.file_name().is_some_and(|n| n == "info.yml")
    });
    for e in &found.errors {
        report::error(e);
    }
    let mut io_error = !found.errors.is_empty();
    if found.files.is_empty() {
        if !io_error {
            report::error(&format!("{}: no info.yml found", dir.display()));
        }
        return EXIT_USAGE;
    }
    // Upstream's paths are relative to the repository root, the directory that holds DIR.
    let top = dir.parent().unwrap_or(dir);
    let read: Vec<Result<Case, String>> = found
        .files
        .par_iter()
        .map(|info| {
            inputs::read_text(info).and_then(|text| {
                read_case(info, &text, top).map_err(|e| format!("{}: {e}", info.display()))
            })
        })
        .collect();
    let mut cases = Vec::new();
    for case in read {
        match case {
            Ok(case) => cases.push(case),
            Err(e) => {
                report::error(&e);
                io_error = true;
            }
        }
    }
    let by_id: HashMap<&str, usize> = engine
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((l.meta.id.as_deref()?, i)))
        .collect();
    let results: Vec<CaseResult> = cases
        .par_iter()
        .map(|case| run_case(engine, &by_id, case))
        .collect();
    let count = |status| results.iter().filter(|r| r.status() == status).count();
    let (passed, failed, skipped) = (count("passed"), count("failed"), count("skipped"));
    let mut text = String::new();
    match args.format {
        Format::Json => {
            let cases: Vec<Value> = results.iter().map(case_json).collect();
            text.push_str(&serde_json::to_string_pretty(&cases).unwrap_or_default());
            text.push('\n');
        }
        Format::Human => {
            for r in &results {
                text.push_str(&case_line(r));
                text.push('\n');
            }
            text.push_str(&format!("{passed} passed, {failed} failed"));
            if skipped > 0 {
                text.push_str(&format!(", {skipped} skipped"));
            }
            text.push('\n');
        }
    }
    out::stdout(&text);
    if io_error {
        EXIT_USAGE
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Reads the text of an `info.yml`: the rule's id, and per test its event files (the path
/// resolved as [`test_file`] does) and the expected match count. Without
/// `regression_tests_info` (SigmaHQ comments it out for cases it cannot run yet) the case is
/// skipped.
fn read_case(info: &Path, text: &str, top: &Path) -> Result<Case, String> {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let dir = info.parent().unwrap_or(Path::new("."));
    let rule_id = doc["rule_metadata"][0]["id"]
        .as_str()
        .ok_or("no rule_metadata[0].id")?
        .to_string();
    let mut case = Case {
        name: dir
            .file_name()
            .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into()),
        rule_id,
        expects: Vec::new(),
        skipped: Vec::new(),
    };
    let tests = match doc.get("regression_tests_info") {
        None | Some(serde_yaml::Value::Null) => {
            case.skipped
                .push("info.yml has no regression_tests_info".into());
            return Ok(case);
        }
        Some(tests) => tests
            .as_sequence()
            .ok_or("regression_tests_info is not a list")?,
    };
    for test in tests {
        let written = test["path"].as_str().ok_or("a test without a path")?;
        let file = test_file(dir, top, written)?;
        let kind = test["type"]
            .as_str()
            .map(str::to_string)
            .or_else(|| Some(file.extension()?.to_str()?.to_ascii_lowercase()))
            .unwrap_or_default();
        let twin = file.with_extension("json");
        let twin = (twin != file && twin.is_file()).then_some(twin);
        let files = match (kind.as_str(), twin) {
            ("evtx", twin) => twin.into_iter().chain([file]).collect(),
            ("json", _) => vec![file],
            ("raw", Some(twin)) => vec![twin],
            ("raw", None) => {
                case.skipped.push(format!(
                    "{written}: a raw log line has no fields, and it has no JSON twin"
                ));
                continue;
            }
            (other, _) => {
                case.skipped
                    .push(format!("{written}: test type `{other}` is not read"));
                continue;
            }
        };
        case.expects.push(Expect {
            files,
            match_count: test["match_count"].as_u64().map(|n| n as usize),
        });
    }
    Ok(case)
}

/// The file a test's `path` names, as SigmaHQ's runner finds it: joined to the directory of
/// `info.yml`, then to each directory above it up to `top` (the repository root), the first
/// that exists; else the file of that name beside `info.yml`. The path must be relative and
/// must not climb (`..`), and the file found must lie under `top` once symbolic links are
/// resolved.
fn test_file(dir: &Path, top: &Path, written: &str) -> Result<PathBuf, String> {
    let mut relative = PathBuf::new();
    for part in written
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
    {
        if part == ".." || part.contains(':') {
            return Err(format!("test path `{written}` leaves the repository"));
        }
        relative.push(part);
    }
    if written.starts_with(['/', '\\']) || relative.as_os_str().is_empty() {
        return Err(format!(
            "test path `{written}` is not relative to the repository"
        ));
    }
    let beside = dir.join(relative.file_name().unwrap_or_default());
    let Some(found) = dir
        .ancestors()
        .take_while(|a| a.starts_with(top))
        .map(|a| a.join(&relative))
        .find(|candidate| std::fs::symlink_metadata(candidate).is_ok())
    else {
        return Ok(beside);
    };
    let inside = |path: &Path| {
        let top = if top.as_os_str().is_empty() {
            Path::new(".")
        } else {
            top
        };
        Some(
            path.canonicalize()
                .ok()?
                .starts_with(top.canonicalize().ok()?),
        )
    };
    match inside(&found) {
        Some(false) => Err(format!(
            "test path `{written}` leads out of the repository through a symbolic link"
        )),
        Some(true) | None => Ok(found),
    }
}

fn run_case(engine: &Engine, by_id: &HashMap<&str, usize>, case: &Case) -> CaseResult {
    let mut result = CaseResult {
        name: case.name.clone(),
        rule_id: case.rule_id.clone(),
        title: String::new(),
        files: Vec::new(),
        problems: Vec::new(),
        skipped: case.skipped.clone(),
        others: BTreeSet::new(),
    };
    if case.expects.is_empty() {
        return result;
    }
    let Some(&expected) = by_id.get(case.rule_id.as_str()) else {
        result.problems.push(format!(
            "rule {} is not among the rules that can be evaluated",
            case.rule_id
        ));
        return result;
    };
    result.title = engine.rules[expected].meta.title.clone();
    let mut matched = Vec::new();
    for expect in &case.expects {
        for path in &expect.files {
            let (mut events, errors) = events::read_all(path);
            result.problems.extend(errors);
            let mut fired = 0;
            for event in &mut events {
                events::add_spaceless_names(&mut event.value);
                engine.matches(&event.value, &mut matched);
                for &r in &matched {
                    if r == expected {
                        fired += 1;
                    } else {
                        let rule = &engine.rules[r].meta;
                        result
                            .others
                            .insert((rule.id.clone().unwrap_or_default(), rule.title.clone()));
                    }
                }
            }
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into());
            match expect.match_count {
                _ if fired == 0 => result
                    .problems
                    .push(format!("{name}: the rule did not fire")),
                Some(n) if n != fired => result.problems.push(format!(
                    "{name}: the rule fired on {fired} events, expected {n}"
                )),
                _ => {}
            }
            result.files.push((path.clone(), fired, events.len()));
        }
    }
    result
}

fn case_line(r: &CaseResult) -> String {
    let status = match r.status() {
        "failed" => "FAIL",
        "skipped" => "skip",
        _ => "ok  ",
    };
    let mut line = format!("{status} {}", terminal::escape(&r.name));
    for (path, fired, events) in &r.files {
        let ext = path
            .extension()
            .map_or_else(String::new, |e| e.to_string_lossy().into());
        line.push_str(&format!("  {} {fired}/{events}", terminal::escape(&ext)));
    }
    if !r.others.is_empty() {
        line.push_str(&format!("  (+{} other rules)", r.others.len()));
    }
    for p in &r.problems {
        line.push_str(&format!("\n     {}", terminal::path(p)));
    }
    for s in &r.skipped {
        line.push_str(&format!("\n     skipped: {}", terminal::path(s)));
    }
    line
}

fn case_json(r: &CaseResult) -> Value {
    json!({
        "case": r.name,
        "rule_id": r.rule_id,
        "title": r.title,
        "passed": r.status() == "passed",
        "status": r.status(),
        "skipped": r.skipped,
        "files": r.files.iter().map(|(path, fired, events)| json!({
            "path": path.display().to_string(),
            "fired": fired,
            "events": events,
        })).collect::<Vec<_>>(),
        "problems": r.problems,
        "other_rules": r.others.iter().map(|(id, title)| json!({"id": id, "title": title})).collect::<Vec<_>>(),
    })
}
