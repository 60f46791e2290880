//! LogPoint conformance: every SigmaHQ rule converted without a pipeline and with
//! `-p logpoint_windows`, compared with pySigma-backend-logpoint's output
//! (`../shared/reference/pysigma/logpoint_*.jsonl`); and the seed's LogPoint search from the
//! default pipeline. Deliberate differences are listed in `docs/compat.md`; floors only go up.
//!
//! Set `SIGC_CONFORMANCE_OUT=<dir>` to also write our output as JSON lines in the oracle's
//! format (for `querysem.py`), and `SIGC_CONFORMANCE_SHOW=<n>` to print more differences.

use crate::common;
use serde_json::{Value, json};
use sigc_backends::pipelines;
use sigc_compiler::pipeline::{self, Pipeline, Vars};
use std::io::Write;

/// Rules whose output without a pipeline must be text-identical to pySigma's.
const FLOOR_NOPIPE: usize = 3088;
/// Rules whose `-p logpoint_windows` output must be text-identical to pySigma's.
const FLOOR_WINDOWS: usize = 3088;

/// Built-in pipelines by name, in application order.
fn builtins(names: &[&str]) -> Vec<Pipeline> {
    let mut out: Vec<Pipeline> = names
        .iter()
        .map(|n| pipelines::resolve(n).expect("built-in pipeline parses"))
        .collect();
    pipeline::order(&mut out);
    out
}

/// Compares our output, with `names` applied, against an oracle file; returns the number of
/// text-identical rules (both erring counts as identical), or `None` without `../shared`.
fn conformance(oracle: &str, names: &[&str]) -> Option<usize> {
    let shared = common::shared()?;
    let text = std::fs::read_to_string(shared.join("reference/pysigma").join(oracle))
        .expect("readable oracle");
    let backend = sigc_backends::logpoint::LogPoint;
    let pipes = builtins(names);
    let vars = pipeline::merged_vars(&pipes, &Vars::new());
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
        let ours: Result<Vec<String>, String> = match sigc_compiler::compile(&source).pop() {
            Some(Ok(mut rule)) => match pipeline::apply(&pipes, &vars, &mut rule) {
                Ok(_) => {
                    sigc_backends::Backend::convert(&backend, &rule).map_err(|e| e.to_string())
                }
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
            writeln!(
                out,
                "{}",
                json!({ "path": path, "queries": queries, "error": error })
            )
            .expect("written");
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
            eprintln!("--- {path}\n  pysigma: {expected:?}\n  sigc:    {ours:?}");
        }
    }
    eprintln!("{oracle}: {identical}/{total} identical ({both_err} errors in both)");
    Some(identical)
}

#[test]
fn logpoint_matches_pysigma_on_the_corpus() {
    if let Some(identical) = conformance("logpoint_nopipe.jsonl", &[]) {
        assert!(identical >= FLOOR_NOPIPE, "{identical} < {FLOOR_NOPIPE}");
    }
}

#[test]
fn logpoint_windows_matches_pysigma_on_the_corpus() {
    if let Some(identical) = conformance("logpoint_windows.jsonl", &["logpoint_windows"]) {
        assert!(identical >= FLOOR_WINDOWS, "{identical} < {FLOOR_WINDOWS}");
    }
}

/// The seed (MITRE CAR-2020-11-007) searches `norm_id=WindowsSysmon event_id=1
/// ((image="C:\Windows\System32\net.exe" command="*delete*") OR command="*Remove-SmbShare*" OR
/// command="*Remove-FileShare*")`. The default pipeline gives the same terms in the same order:
/// LogPoint's OR binds tighter than its implicit AND, so the outer parentheses are not needed, and
/// quoting `WindowsSysmon` does not change its meaning.
#[test]
fn t1070_005_with_the_default_pipeline_gives_the_seed_search() {
    let path = common::root().join(
        "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml",
    );
    let pipes = builtins(pipelines::defaults("logpoint"));
    let vars = pipeline::merged_vars(&pipes, &Vars::new());
    let mut rule = sigc_compiler::compile(&common::source(&path))
        .pop()
        .expect("one rule")
        .expect("rule compiles");
    pipeline::apply(&pipes, &vars, &mut rule).expect("pipeline applies");
    let queries = sigc_backends::Backend::convert(&sigc_backends::logpoint::LogPoint, &rule)
        .expect("converts");
    assert_eq!(
        queries,
        [
            r#"norm_id="WindowsSysmon" event_id=1 (image="C:\Windows\System32\net.exe" command="*delete*") OR command="*Remove-SmbShare*" OR command="*Remove-FileShare*""#
        ]
    );
}
