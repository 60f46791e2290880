//! Splunk conformance: every SigmaHQ rule converted without a pipeline, compared with pySigma's
//! output (`../shared/reference/pysigma/splunk_nopipe.jsonl`). Deliberate differences are listed
//! in `docs/compat.md`; the floor only goes up.
//!
//! Set `SIGC_CONFORMANCE_OUT=<file>` to also write our output as JSON lines in the oracle's
//! format (for `querysem.py`).

use crate::common;
use serde_json::{Value, json};
use std::io::Write;

/// Rules whose output must be text-identical to pySigma's (both erring counts as identical).
const FLOOR: usize = 3108;

/// How many differences to print.
const SHOWN: usize = 15;

#[test]
fn splunk_matches_pysigma_on_the_corpus() {
    let Some(shared) = common::shared() else {
        return;
    };
    let oracle = std::fs::read_to_string(shared.join("reference/pysigma/splunk_nopipe.jsonl"))
        .expect("readable oracle");
    let backend = sigc_backends::target("splunk").expect("splunk target");
    let corpus = shared.join("corpus/sigmahq");
    let mut out = std::env::var_os("SIGC_CONFORMANCE_OUT")
        .map(|p| std::io::BufWriter::new(std::fs::File::create(p).expect("writable output")));

    let (mut total, mut identical, mut both_err, mut shown) = (0, 0, 0, 0);
    for line in oracle.lines() {
        let row: Value = serde_json::from_str(line).expect("oracle row is JSON");
        let path = row["path"].as_str().expect("oracle row has a path");
        total += 1;
        let source = common::source(&corpus.join(path));
        let ours: Result<Vec<String>, String> = match sigc_compiler::compile(&source).pop() {
            Some(Ok(rule)) => backend.convert(&rule).map_err(|e| e.to_string()),
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
        } else if shown < SHOWN {
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
    eprintln!("splunk conformance: {identical}/{total} identical ({both_err} errors in both)");
    assert!(
        identical >= FLOOR,
        "conformance fell below the floor: {identical} < {FLOOR}"
    );
}
