//! The conformance harness shared by `conformance_splunk` and `conformance_logpoint`: every
//! SigmaHQ rule of an oracle file (`../shared/reference/pysigma/*.jsonl`, pySigma's output per
//! rule) converted by sigc for the same target and pipelines, and compared text for text. A rule
//! on which both sides fail counts as identical. Deliberate differences are listed in
//! `docs/compat.md`; floors only go up.
//!
//! Set `SIGC_CONFORMANCE_OUT=<dir>` to also write our output as `<dir>/<oracle>` JSON lines in
//! the oracle's format (for `querysem.py`), and `SIGC_CONFORMANCE_SHOW=<n>` to print `n`
//! differences per oracle (10 by default).

use crate::common;
use serde_json::{Value, json};
use sigc_backends::Plan;
use sigc_backends::format::{self, Layout};
use sigc_pipeline::{Pipeline, Vars};
use std::io::Write;
use std::sync::Arc;

/// Built-in pipelines by name.
pub fn builtins(names: &[&str]) -> Vec<Pipeline> {
    names
        .iter()
        .map(|n| {
            sigc_pipeline::builtins::builtin(n)
                .expect("built-in pipeline")
                .load()
                .expect("it parses")
        })
        .collect()
}

/// The plan of `sigc convert -t TARGET -p NAME…` (none: `--without-pipeline`) with the default
/// format.
pub fn plan(target: &str, pipelines: &[&str]) -> Plan {
    let target = sigc_backends::target(target).expect("known target");
    let layout = Layout::Builtin(&format::DEFAULT);
    Plan::new(target, builtins(pipelines), &Vars::new(), layout)
}

/// Asserts that at least `floor` rules of `oracle` convert text-identically with `target` after
/// the built-in `pipelines` (none: the rule as compiled). Without `../shared` it checks nothing.
pub fn check(oracle: &str, target: &str, pipelines: &[&str], floor: usize) {
    if let Some(shared) = common::shared() {
        check_file(
            &shared.join("reference/pysigma").join(oracle),
            target,
            pipelines,
            floor,
        );
    }
}

/// [`check`] with an oracle file at `oracle` (its rules are still the corpus's).
pub fn check_file(oracle: &std::path::Path, target: &str, pipelines: &[&str], floor: usize) {
    if let Some(identical) = identical(oracle, target, pipelines) {
        let oracle = oracle.display();
        assert!(
            identical >= floor,
            "{oracle}: conformance fell below the floor: {identical} < {floor}"
        );
    }
}

/// The number of text-identical rules of `oracle`, or `None` without `../shared`.
fn identical(oracle_path: &std::path::Path, target: &str, names: &[&str]) -> Option<usize> {
    let shared = common::shared()?;
    let text = std::fs::read_to_string(oracle_path).expect("readable oracle");
    let oracle = oracle_path.file_name().expect("oracle file name");
    let plan = plan(target, names);
    let corpus = shared.join("corpus/sigmahq");
    let show: usize = std::env::var("SIGC_CONFORMANCE_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut out = std::env::var_os("SIGC_CONFORMANCE_OUT").map(|dir| {
        let path = std::path::Path::new(&dir).join(oracle);
        std::io::BufWriter::new(std::fs::File::create(path).expect("writable output"))
    });
    let (mut total, mut identical, mut both_err, mut shown) = (0, 0, 0, 0);
    for line in text.lines() {
        let row: Value = serde_json::from_str(line).expect("oracle row is JSON");
        let path = row["path"].as_str().expect("oracle row has a path");
        total += 1;
        let source = common::source(&corpus.join(path));
        let ours: Result<Vec<String>, String> =
            match sigc_compiler::compile_rules(&source, "this test").pop() {
                Some(Ok(rule)) => match plan.convert(&Arc::new(rule)) {
                    Ok(c) => Ok(c.queries.iter().map(ToString::to_string).collect()),
                    Err(errors) => Err(common::render(&errors)),
                },
                Some(Err(errors)) => Err(common::render(&errors)),
                None => Err("no rule".to_string()),
            };
        if let Some(out) = out.as_mut() {
            let (queries, error) = match &ours {
                Ok(q) => (json!(q), Value::Null),
                Err(e) => (Value::Null, json!({ "message": e })),
            };
            let row = json!({ "path": path, "queries": queries, "error": error });
            writeln!(out, "{row}").expect("written");
        }
        let expected: Option<Vec<String>> = serde_json::from_value(row["queries"].clone()).ok();
        let same = match (&ours, &expected) {
            (Ok(q), Some(e)) => q == e,
            (Err(_), None) => {
                both_err += 1;
                true
            }
            _ => false,
        };
        if same {
            identical += 1;
        } else if shown < show {
            shown += 1;
            eprintln!(
                "--- {path}\n  pysigma: {}\n  sigc:    {}",
                match &expected {
                    Some(e) => format!("{e:?}"),
                    None => format!("error {}", row["error"]["message"]),
                },
                match &ours {
                    Ok(q) => format!("{q:?}"),
                    Err(e) => format!("error {e}"),
                }
            );
        }
    }
    eprintln!(
        "{}: {identical}/{total} identical ({both_err} errors in both)",
        oracle.display()
    );
    Some(identical)
}
