//! `sigc test`: SigmaHQ's regression data fires every rule it names, from both the JSON and the
//! EVTX recording; events in every layout; rules' own test cases.

use crate::common::{self, sigc, text};
use serde_json::Value;
use std::path::Path;

/// The most other rules of the SigmaHQ corpus that may fire on one regression case besides its
/// own (measured: 35 cases fire one other rule, 7 two, 6 three, 2 four; these are overlapping
/// rules, such as a generic "reg.exe modifies a Run key" beside a specific one).
const MAX_OTHER_RULES: usize = 4;

#[test]
fn sigmahq_regression_cases_fire_their_rules() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpus/sigmahq/regression_data");
    let out = sigc(&[
        "test",
        "--quiet",
        "--format",
        "json",
        "--regression",
        dir.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cases: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(cases.len(), 130);
    let mut worst = (0, String::new());
    for case in &cases {
        let name = case["case"].as_str().expect("case name");
        assert_eq!(case["passed"], true, "{case:#}");
        let files = case["files"].as_array().expect("files");
        let kinds: Vec<&str> = files
            .iter()
            .map(|f| {
                let path = f["path"].as_str().expect("path");
                assert!(
                    f["fired"].as_u64() >= Some(1),
                    "{name}: {path} did not fire"
                );
                Path::new(path)
                    .extension()
                    .and_then(|e| e.to_str())
                    .expect("extension")
            })
            .collect();
        assert!(kinds.contains(&"json") && kinds.contains(&"evtx"), "{name}");
        let others = case["other_rules"].as_array().expect("others").len();
        if others > worst.0 {
            worst = (others, name.to_string());
        }
    }
    assert!(
        worst.0 <= MAX_OTHER_RULES,
        "{} fires {} other rules",
        worst.1,
        worst.0
    );
}

#[test]
fn a_missing_match_fails_the_regression_run() {
    let Some(shared) = common::shared() else {
        return;
    };
    let case = shared.join(
        "corpus/sigmahq/regression_data/rules/windows/process_creation/proc_creation_win_amsi_registry_tampering",
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data/amsi");
    std::fs::create_dir_all(&data).expect("mkdir");
    for entry in std::fs::read_dir(&case).expect("case dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, data.join(path.file_name().expect("name"))).expect("copy");
    }
    // A rule with the case's id that looks for something the event does not hold.
    let rule = "title: Not this\nid: 7dbbcac2-57a0-45ac-b306-ff30a8bd2981\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|endswith: '\\notepad.exe'}\n  condition: sel\n";
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(rules.join("r.yml"), rule).expect("write");
    let out = sigc(&[
        "test",
        "--regression",
        tmp.path().join("data").to_str().expect("path"),
        rules.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAIL amsi  json 0/1  evtx 0/1"), "{stdout}");
    assert!(stdout.contains("the rule did not fire"), "{stdout}");
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
}

const RULE: &str = r#"title: Reg Add
id: 11111111-1111-1111-1111-111111111111
level: high
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\reg.exe'
    CommandLine|contains: ' add '
  condition: sel
"#;

#[test]
fn events_in_every_json_layout_are_numbered_and_matched() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let rule = tmp.path().join("rule.yml");
    std::fs::write(&rule, RULE).expect("write");
    let hit = r#"{"Image": "C:\\Windows\\reg.exe", "CommandLine": "reg add x"}"#;
    let miss = r#"{"Image": "C:\\Windows\\reg.exe", "CommandLine": "reg query x"}"#;
    // The same event from Security 4624 is outside the rule's log source.
    let other_source = r#"{"Event": {"System": {"Channel": "Security", "EventID": 4624}, "EventData": {"Image": "C:\\reg.exe", "CommandLine": "reg add"}}}"#;
    let layouts = [
        ("lines.jsonl", format!("{hit}\n{miss}\n{hit}\n")),
        ("array.json", format!("[{hit},\n{miss}, {hit}]")),
        ("concat.json", format!("{hit}{miss}\n\n  {hit}")),
        ("pretty.json", format!("{hit}\n{other_source}\n{hit}")),
    ];
    for (name, content) in &layouts {
        let path = tmp.path().join(name);
        std::fs::write(&path, content).expect("write");
        let out = sigc(&[
            "test",
            "--quiet",
            "--events",
            path.to_str().expect("path"),
            rule.to_str().expect("path"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        let p = path.display();
        assert_eq!(
            text(&out.stdout),
            format!(
                "{p} #1: 11111111-1111-1111-1111-111111111111 [high] Reg Add\n{p} #3: 11111111-1111-1111-1111-111111111111 [high] Reg Add\n"
            ),
            "{name}"
        );
    }
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, format!("{hit}\n{{\"a\": \n")).expect("write");
    let out = sigc(&[
        "test",
        "--format",
        "json",
        "-e",
        bad.to_str().expect("path"),
        rule.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let line: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(line["event"], 1);
    assert_eq!(line["level"], "high");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("event #2: invalid JSON"), "{stderr}");
    assert!(
        stderr.contains("1 events, 1 matches of 1 rules, 1 errors"),
        "{stderr}"
    );
}

#[test]
fn evtx_records_are_matched_by_record_id() {
    let Some(shared) = common::shared() else {
        return;
    };
    let case = shared.join(
        "corpus/sigmahq/regression_data/rules/windows/process_creation/proc_creation_win_reg_system_restore_modification",
    );
    let rule = shared.join(
        "corpus/sigmahq/rules/windows/process_creation/proc_creation_win_reg_system_restore_modification.yml",
    );
    let evtx = case.join("7c06ab9b-b1d2-4ba9-b06e-09491ded20d9.evtx");
    let json = case.join("7c06ab9b-b1d2-4ba9-b06e-09491ded20d9.json");
    let run = |events: &Path| {
        let out = sigc(&[
            "test",
            "-q",
            "--format",
            "json",
            "--events",
            events.to_str().expect("path"),
            rule.to_str().expect("path"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
            .collect::<Vec<_>>()
    };
    let from_evtx = run(&evtx);
    let from_json = run(&json);
    assert_eq!(from_evtx.len(), 4);
    assert_eq!(from_json.len(), 4);
    for hit in &from_evtx {
        assert!(hit["record_id"].as_u64().is_some(), "{hit}");
        assert_eq!(hit["rule_id"], "7c06ab9b-b1d2-4ba9-b06e-09491ded20d9");
    }
    let numbers: Vec<&Value> = from_json.iter().map(|h| &h["event"]).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
}

#[test]
fn rules_own_test_cases_run_and_fail_the_run() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let good = format!(
        "{RULE}tests:\n  match:\n    - {{Image: 'C:\\reg.exe', CommandLine: 'reg add k'}}\n  no_match:\n    - {{Image: 'C:\\reg.exe', CommandLine: 'reg query k'}}\n"
    );
    let path = tmp.path().join("good.yml");
    std::fs::write(&path, &good).expect("write");
    let out = sigc(&["test", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("rule test cases: 2 passed, 0 failed"));

    let bad = good.replace("reg query k", "reg add k");
    std::fs::write(&path, &bad).expect("write");
    let out = sigc(&["test", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "error[test_failed]: the rule matches test event no_match[0], which it must not"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("rule test cases: 1 passed, 1 failed"),
        "{stderr}"
    );
}

/// Writes `files` (path, text) under `root`, creating directories.
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

const UPSTREAM_RULES: &str = r#"title: AMSI source
id: 11111111-1111-1111-1111-111111111111
logsource: {product: windows, service: windefend}
detection:
  sel: {EventID: 1116, SourceName: AMSI}
  condition: sel
---
title: Dot1x
id: 22222222-2222-2222-2222-222222222222
logsource: {product: cisco, service: syslog}
detection:
  keywords: ['no access-session port-control']
  condition: keywords
"#;

const AMSI_EVENT: &str = r#"{"Event": {"System": {"Channel": "Microsoft-Windows-Windows Defender/Operational", "EventID": 1116}, "EventData": {"Source Name": "AMSI"}}}"#;

/// Upstream's layout: paths relative to the repository root, a commented-out
/// `regression_tests_info`, a raw log with its JSON twin, a type sigc does not read, field
/// names with spaces, and a malformed line that does not stop the rest of its file.
#[test]
fn upstream_layout_runs_reports_skips_and_bad_lines() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    let broken = AMSI_EVENT.trim_end_matches("}}}");
    let amsi = format!("{AMSI_EVENT}\n{broken}\n{AMSI_EVENT}\n");
    write_tree(
        repo,
        &[
            ("rules/r.yml", UPSTREAM_RULES),
            (
                "regression_data/rules/defender/amsi/info.yml",
                "rule_metadata:\n  - id: 11111111-1111-1111-1111-111111111111\nregression_tests_info:\n  - type: json\n    match_count: 2\n    path: regression_data/rules/defender/amsi/events.json\n",
            ),
            ("regression_data/rules/defender/amsi/events.json", &amsi),
            (
                "regression_data/rules/cisco/commented/info.yml",
                "rule_metadata:\n  - id: 22222222-2222-2222-2222-222222222222\n# regression_tests_info:\n#   - type: raw\n#     path: regression_data/rules/cisco/commented/x.raw\n",
            ),
            (
                "regression_data/rules/cisco/raw/info.yml",
                "rule_metadata:\n  - id: 22222222-2222-2222-2222-222222222222\nregression_tests_info:\n  - type: raw\n    match_count: 1\n    path: regression_data/rules/cisco/raw/log.raw\n  - type: pcap\n    path: regression_data/rules/cisco/raw/log.pcap\n",
            ),
            (
                "regression_data/rules/cisco/raw/log.raw",
                "172.16.5.10 6705: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no access-session port-control\n",
            ),
            (
                "regression_data/rules/cisco/raw/log.json",
                "{\"message\": \"172.16.5.10 6705: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no access-session port-control\"}\n",
            ),
        ],
    );
    let run = |format: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sigc"));
        cmd.current_dir(repo).args([
            "test",
            "--format",
            format,
            "--regression",
            "regression_data",
            "rules",
        ]);
        cmd.output().expect("sigc runs")
    };
    let out = run("human");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "skip commented\n     skipped: info.yml has no regression_tests_info\n",
        "ok   raw  json 1/1\n     skipped: regression_data/rules/cisco/raw/log.pcap: test type `pcap` is not read\n",
        "FAIL amsi  json 2/2\n     regression_data/rules/defender/amsi/events.json: line 2: invalid JSON",
    ] {
        assert!(stdout.contains(expected), "{expected}\n---\n{stdout}");
    }
    assert!(
        stdout.ends_with("1 passed, 1 failed, 1 skipped\n"),
        "{stdout}"
    );

    let out = run("json");
    let cases: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON output");
    let mut status: Vec<(&str, &str)> = cases
        .iter()
        .map(|c| {
            (
                c["case"].as_str().expect("case"),
                c["status"].as_str().expect("status"),
            )
        })
        .collect();
    status.sort_unstable();
    assert_eq!(
        status,
        [
            ("amsi", "failed"),
            ("commented", "skipped"),
            ("raw", "passed")
        ]
    );
}

#[test]
fn a_test_path_may_not_leave_the_repository() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    let outside = tmp.path().join("outside.json");
    std::fs::write(&outside, AMSI_EVENT).expect("write");
    write_tree(
        &repo,
        &[
            ("rules/r.yml", UPSTREAM_RULES),
            (
                "regression_data/a/info.yml",
                "rule_metadata:\n  - id: 11111111-1111-1111-1111-111111111111\nregression_tests_info:\n  - type: json\n    path: regression_data/a/link.json\n",
            ),
            (
                "regression_data/b/info.yml",
                "rule_metadata:\n  - id: 11111111-1111-1111-1111-111111111111\nregression_tests_info:\n  - type: json\n    path: ../outside.json\n",
            ),
        ],
    );
    std::os::unix::fs::symlink(&outside, repo.join("regression_data/a/link.json")).expect("link");
    let out = sigc(&[
        "test",
        "--regression",
        repo.join("regression_data").to_str().expect("path"),
        repo.join("rules").to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("test path `regression_data/a/link.json` leads out of the repository through a symbolic link"),
        "{stderr}"
    );
    assert!(
        stderr.contains("test path `../outside.json` leaves the repository"),
        "{stderr}"
    );
}
