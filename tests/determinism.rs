//! Output does not depend on how many threads do the work: `convert`, the export, `check` and
//! `sigc test` are byte-identical with 1, 2 and 4 rayon threads (the files are read while the
//! walk goes on, compile and convert in parallel, and an export records each chunk of files while
//! the next converts; all of it is written in input order).

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Enough rules for the work to be split many ways, and for an export to take several chunks:
/// parts of SigmaHQ when `../shared` is present, and the shipped rules (with their
/// correlations).
fn inputs() -> Vec<PathBuf> {
    let mut paths = vec![common::root().join("rules")];
    if let Some(shared) = common::shared() {
        for dir in ["windows/registry", "windows/builtin"] {
            paths.push(shared.join("corpus/sigmahq/rules").join(dir));
        }
    }
    paths
}

/// `sigc ARGS…` run in `dir` with `threads` rayon threads: its exit status, stdout and stderr.
fn run(
    dir: &Path,
    threads: &str,
    args: &[&str],
    paths: &[PathBuf],
) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let mut cmd = common::sigc_command(dir, args);
    cmd.args(paths).env("RAYON_NUM_THREADS", threads);
    let out = common::run_command(cmd, None, Duration::from_secs(600));
    (out.status.code(), out.stdout, out.stderr)
}

/// Every file below `dir`, by its path relative to `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::files_with_extension(
        dir,
        &["spl", "lp", "car", "json", "txt", "conf", "yml", "md"],
    )
    .into_iter()
    .map(|f| {
        let bytes = std::fs::read(&f).unwrap();
        (f.strip_prefix(dir).unwrap().to_path_buf(), bytes)
    })
    .collect()
}

#[test]
fn convert_is_the_same_whatever_the_thread_count() {
    let paths = inputs();
    let here = common::root();
    for target in ["splunk", "logpoint", "car"] {
        let one = run(&here, "1", &["convert", "-t", target], &paths);
        assert!(!one.1.is_empty(), "{target}: some output");
        for threads in ["2", "4"] {
            let many = run(&here, threads, &["convert", "-t", target], &paths);
            assert!(one == many, "{target}: 1 and {threads} threads differ");
        }
    }
}

#[test]
fn check_is_the_same_whatever_the_thread_count() {
    let paths = inputs();
    let here = common::root();
    for format in ["human", "json"] {
        let args = ["check", "--format", format];
        let one = run(&here, "1", &args, &paths);
        assert!(!one.1.is_empty(), "{format}: some findings");
        for threads in ["2", "4"] {
            let many = run(&here, threads, &args, &paths);
            assert!(one == many, "{format}: 1 and {threads} threads differ");
        }
    }
}

#[test]
fn export_is_the_same_whatever_the_thread_count() {
    let paths = inputs();
    let args = [
        "convert", "-t", "splunk", "-t", "logpoint", "-t", "car", "-o", "out/",
    ];
    let exported = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        let run = run(dir.path(), threads, &args, &paths);
        (run, tree(&dir.path().join("out")))
    };
    let one = exported("1");
    assert!(
        one.1.len() > paths.len(),
        "files were exported: {:?}",
        one.1.keys()
    );
    for threads in ["2", "4"] {
        let many = exported(threads);
        assert!(one.0 == many.0, "1 and {threads} threads: the runs differ");
        assert_eq!(
            one.1.keys().collect::<Vec<_>>(),
            many.1.keys().collect::<Vec<_>>(),
            "1 and {threads} threads: the files differ"
        );
        for (path, bytes) in &one.1 {
            assert!(
                &many.1[path] == bytes,
                "{}: 1 and {threads} threads differ",
                path.display()
            );
        }
    }
}

#[test]
fn sigc_test_is_the_same_whatever_the_thread_count() {
    // The matchers and the pre-filter's automata are built on the pool, events are evaluated
    // there, and regression cases are read there: reports come out in input order all the same.
    let Some(shared) = common::shared() else {
        return;
    };
    let here = common::root();
    let data = shared.join("corpus/sigmahq/regression_data");
    let regression = ["test", "--regression", data.to_str().unwrap()];
    let one = run(&here, "1", &regression, &[]);
    assert!(one.1.len() > 1000, "regression cases were run");
    // Every JSON recording of the process-creation cases, with parts of SigmaHQ as the rules.
    // in name order
    let events =
        common::files_with_extension(&data.join("rules/windows/process_creation"), &["json"]);
    let mut args = vec!["test".to_string(), "--format".into(), "json".into()];
    for file in &events {
        args.extend(["--events".to_string(), file.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let rules = [shared.join("corpus/sigmahq/rules/windows/process_creation")];
    let one_events = run(&here, "1", &args, &rules);
    assert!(one_events.1.len() > 1000, "events matched");
    for threads in ["2", "4"] {
        let many = run(&here, threads, &regression, &[]);
        assert!(one == many, "--regression: 1 and {threads} threads differ");
        // Standard error ends with the run's speed, which varies.
        let many_events = run(&here, threads, &args, &rules);
        assert!(
            (&one_events.0, &one_events.1) == (&many_events.0, &many_events.1),
            "--events: 1 and {threads} threads differ"
        );
    }
}
