//! `sigc analyze attack|logsource|fields`: sigma-cli's scores, tables and field lists.

use crate::common::{self, stderr, stdout};
use serde_json::{Value, json};
use std::path::Path;

/// Three rules whose tags and levels exercise each score function and filter.
fn rules(dir: &Path) {
    let rule = |name: &str, extra: &str, category: &str, field: &str| {
        std::fs::write(
            dir.join(name),
            format!(
                "title: {name}\n{extra}logsource:\n  category: {category}\n  product: windows\n\
                 detection:\n  sel:\n    {field}: x\n  condition: sel\n"
            ),
        )
        .unwrap();
    };
    rule(
        "a.yml",
        "level: high\nstatus: test\ntags: [attack.execution, attack.t1059.001]\n",
        "process_creation",
        "Image",
    );
    rule(
        "b.yml",
        "level: low\ntags: [attack.t1059.001, attack.t1059]\n",
        "process_creation",
        "CommandLine",
    );
    rule(
        "c.yml",
        "level: critical\nstatus: deprecated\ntags: [attack.t1059]\n",
        "file_event",
        "TargetFilename",
    );
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    common::run_command(common::sigc_command(dir, args), None, common::HANG_GUARD)
}

/// `(techniqueID, tactic, score)` of each layer entry, and the gradient's maximum.
fn layer(dir: &Path, args: &[&str]) -> (Vec<(String, String, i64)>, Value) {
    let mut all = vec!["analyze", "attack"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let layer: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(layer["versions"]["layer"], "4.4");
    assert_eq!(layer["domain"], "enterprise-attack");
    let entries = layer["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["enabled"], true);
            assert_eq!(t["showSubtechniques"], false);
            (
                t["techniqueID"].as_str().unwrap().to_string(),
                t["tactic"].as_str().unwrap().to_string(),
                t["score"].as_i64().unwrap(),
            )
        })
        .collect();
    (entries, layer["gradient"].clone())
}

fn entry(id: &str, score: i64) -> (String, String, i64) {
    (id.to_string(), "execution".to_string(), score)
}

#[test]
fn attack_scores_each_technique_as_sigma_cli_does() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    // `attack.execution` is scored (it sets the maximum) but is no technique: no entry
    let (count, gradient) = layer(dir.path(), &["count", "-", "."]);
    assert_eq!(count, vec![entry("T1059.001", 2), entry("T1059", 2)]);
    assert_eq!(
        gradient,
        json!({"colors": ["#ffffff00", "#ff0000"], "minValue": 0, "maxValue": 2})
    );
    let (max, _) = layer(dir.path(), &["max", "-", "."]);
    assert_eq!(max, vec![entry("T1059.001", 4), entry("T1059", 5)]);
    let (level, gradient) = layer(dir.path(), &["level", "-", "."]);
    assert_eq!(level, vec![entry("T1059.001", 10), entry("T1059", 14)]);
    assert_eq!(gradient["maxValue"], 14);
}

#[test]
fn attack_options_filter_merge_and_colour() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    // b.yml tags T1059 twice once sub-techniques merge: it counts twice, as in pySigma
    let (merged, _) = layer(dir.path(), &["count", "-S", "-", "."]);
    assert_eq!(merged, vec![entry("T1059", 4)]);
    // a rule without a status passes --min-status; below it or below --min-level, it does not
    let (filtered, _) = layer(dir.path(), &["count", "-T", "TEST", "-", "."]);
    assert_eq!(filtered, vec![entry("T1059.001", 2), entry("T1059", 1)]);
    let (filtered, _) = layer(dir.path(), &["count", "-L", "high", "-", "."]);
    assert_eq!(filtered, vec![entry("T1059.001", 1), entry("T1059", 1)]);
    let (_, gradient) = layer(
        dir.path(),
        &[
            "count", "-m", "10", "-M", "1", "-c", "#00ff00", "-C", "#000000", "-", ".",
        ],
    );
    assert_eq!(
        gradient,
        json!({"colors": ["#000000", "#00ff00"], "minValue": 1, "maxValue": 10})
    );
    let bad = run(
        dir.path(),
        &["analyze", "attack", "count", "-L", "severe", "-", "."],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("informational, low"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn attack_writes_its_output_file() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    let out = run(
        dir.path(),
        &["analyze", "attack", "count", "layer.json", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let layer: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("layer.json")).unwrap())
            .unwrap();
    assert_eq!(layer["name"], "Sigma Analytics Coverage");
}

#[test]
fn logsource_prints_sigma_clis_table_and_json() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    let out = run(dir.path(), &["analyze", "logsource", "-", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "-----------------+---------+----------+------+--------+-----+---------------+-----\n\
         Logsource        | Overall | Critical | High | Medium | Low | Informational | None\n\
         -----------------+---------+----------+------+--------+-----+---------------+-----\n\
         process_creation | 2       | 0        | 1    | 0      | 1   | 0             | 0   \n\
         file_event       | 1       | 1        | 0    | 0      | 0   | 0             | 0   \n"
    );
    let out = run(
        dir.path(),
        &[
            "analyze",
            "logsource",
            "-k",
            "Critical",
            "--format",
            "json",
            "-",
            ".",
        ],
    );
    let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rows[0]["logsource"], "file_event");
    assert_eq!(
        rows[1],
        json!({"logsource": "process_creation", "overall": 2, "critical": 0, "high": 1,
               "medium": 0, "low": 1, "informational": 0, "none": 0})
    );
}

#[test]
fn fields_are_listed_after_the_targets_pipelines() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    std::fs::write(
        dir.path().join("p.yml"),
        "name: m\ntransformations:\n  - type: field_name_mapping\n    mapping:\n      Image: process_path\n",
    )
    .unwrap();
    let pipeline = dir.path().join("p.yml");
    let p = pipeline.to_str().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for f in ["a.yml", "b.yml", "c.yml"] {
        std::fs::rename(dir.path().join(f), rules.join(f)).unwrap();
    }
    let out = run(
        dir.path(),
        &["analyze", "fields", "-t", "splunk", "-p", p, "rules"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "CommandLine\nTargetFilename\nprocess_path\n");
    let out = run(
        dir.path(),
        &[
            "analyze", "fields", "-t", "splunk", "-p", p, "--group", "--format", "json", "rules",
        ],
    );
    let grouped: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        grouped,
        json!({
            "file_event|windows|": ["TargetFilename"],
            "process_creation|windows|": ["CommandLine", "process_path"]
        })
    );
    let out = run(
        dir.path(),
        &["analyze", "fields", "-t", "splunk", "--group", "rules"],
    );
    let text = stdout(&out);
    // the default pipeline adds EventCode and index, and names the sysmon service
    assert!(
        text.contains(
            "process_creation|windows|sysmon\n  CommandLine\n  EventCode\n  Image\n  index\n"
        ),
        "{text}"
    );
}

#[test]
fn a_broken_rule_is_reported_and_the_others_still_count() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    std::fs::write(
        dir.path().join("d.yml"),
        "title: d\ndetection: {condition: nope}\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["analyze", "logsource", "--format", "json", "-", "."],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("d.yml:"), "{}", stderr(&out));
    let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rows[0]["overall"], 2);
}

/// `-P` chooses the rule files of a directory, as in `convert` and `check`.
#[test]
fn file_pattern_chooses_the_rules_analyzed() {
    let dir = tempfile::tempdir().unwrap();
    rules(dir.path());
    let out = run(
        dir.path(),
        &["analyze", "logsource", "-P", "c.yml", "-", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("file_event | 1"), "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("process_creation"),
        "{}",
        stdout(&out)
    );
    let out = run(
        dir.path(),
        &["analyze", "fields", "-t", "splunk", "-P", "[", "."],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
