//! `sigc check`: one triggering and one clean fixture per validator, output formats, exit
//! status, configuration, fixes, and the SigmaHQ corpus.

use crate::common::{self, root, shared, stdout};
use sigc_lint::VALIDATORS;
use std::path::Path;
use std::process::Output;

/// Runs `sigc check ARGS` from the workspace root.
fn check(args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("check")
        .chain(args.iter().copied())
        .collect();
    common::sigc(&args)
}

fn fixture(id: &str, kind: &str) -> String {
    format!("tests/fixtures/check/{id}/{kind}")
}

/// Each validator reports its triggering fixture (snapshotted) and nothing on its clean one.
#[test]
fn every_validator_has_a_triggering_and_a_clean_fixture() {
    for v in VALIDATORS {
        let trigger = fixture(v.id, "trigger");
        assert!(root().join(&trigger).is_dir(), "no fixture for {}", v.id);
        let out = check(&["--select", v.id, &trigger]);
        let text = stdout(&out);
        assert!(
            text.contains(&format!("[{}]", v.id)),
            "{} does not fire on its fixture:\n{text}",
            v.id
        );
        insta::assert_snapshot!(format!("check_{}", v.id), text);

        let clean = check(&["--select", v.id, &fixture(v.id, "clean")]);
        assert_eq!(clean.status.code(), Some(0), "{}", v.id);
        assert!(
            stdout(&clean).ends_with("no findings\n"),
            "{} fires on its clean fixture:\n{}",
            v.id,
            stdout(&clean)
        );
    }
}

/// A broken rule: every problem in one run, each at its node, and exit 1.
#[test]
fn every_problem_of_a_broken_rule_is_reported_at_once() {
    let out = check(&[
        "--select",
        "invalid_regex,invalid_cidr,dangling_condition,tag_format",
        "tests/fixtures/check/broken_rule.yml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("check_broken_rule", stdout(&out));
}

#[test]
fn exit_status_follows_fail_on() {
    let medium = fixture("sigmahq_title_end", "trigger");
    assert_eq!(
        check(&[&medium]).status.code(),
        Some(0),
        "default fails on errors only"
    );
    assert_eq!(
        check(&["--fail-on", "medium", &medium]).status.code(),
        Some(1)
    );
    assert_eq!(
        check(&["--fail-on", "high", &medium]).status.code(),
        Some(0)
    );
    let error = fixture("invalid_regex", "trigger");
    assert_eq!(check(&[&error]).status.code(), Some(1));
}

/// sigma-cli's check flags: `-E` lets a rule that does not compile pass, `-i` fails on any
/// issue, `-I` is the default, `-x` excludes a validator.
#[test]
fn sigma_cli_pass_fail_and_exclude_flags() {
    let error = fixture("invalid_regex", "trigger");
    assert_eq!(check(&["-E", &error]).status.code(), Some(0));
    assert_eq!(check(&["-e", &error]).status.code(), Some(1));
    let medium = fixture("sigmahq_title_end", "trigger");
    assert_eq!(check(&["-i", &medium]).status.code(), Some(1));
    assert_eq!(check(&["-I", &medium]).status.code(), Some(0));
    assert!(stdout(&check(&[&medium])).contains("[sigmahq_title_end]"));
    for flag in ["-x", "--exclude"] {
        let excluded = check(&[flag, "sigmahq_title_end", &medium]);
        assert!(!stdout(&excluded).contains("[sigmahq_title_end]"));
    }
}

/// `-P` chooses the rule files of a directory as in `sigc convert`; a bad glob is a usage error.
#[test]
fn file_pattern_chooses_the_files_checked() {
    let dir = fixture("sigmahq_title_end", "trigger");
    let files = |glob: &str| {
        let out = check(&["-P", glob, "--format", "json", &dir]);
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        findings.len()
    };
    assert!(files("*.yml") > 0);
    assert_eq!(files("*.nothing"), 0);
    assert_eq!(check(&["-P", "[", &dir]).status.code(), Some(2));
}

/// `--junitxml` writes one failing test case per finding (grouped by code, as JSON lists them)
/// and one passing case per clean file, and parses as XML.
#[test]
fn junit_report_lists_every_finding_and_every_clean_file() {
    use quick_xml::events::Event;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.xml");
    let broken = "tests/fixtures/check/broken_rule.yml";
    let clean =
        "tests/fixtures/check/filter_condition_without_not/clean/filter_admin_jump_host.yml";
    let out = check(&["--junitxml", report.to_str().unwrap(), broken, clean]);
    assert_eq!(out.status.code(), Some(1));
    let json = check(&["--format", "json", broken, clean]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert!(!findings.is_empty());

    let xml = std::fs::read_to_string(&report).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut failures, mut passed, mut suite) = (Vec::new(), Vec::new(), String::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match e.name().as_ref() {
                    b"testsuite" => suite = attr("name").unwrap(),
                    b"testcase" if suite == "passed" => passed.push(attr("file").unwrap()),
                    b"testcase" => failures.push((suite.clone(), attr("name").unwrap())),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut expected: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            (
                f["code"].as_str().unwrap().to_string(),
                format!("{file}:{}:{}", f["line"], f["column"]),
            )
        })
        .collect();
    expected.sort();
    failures.sort();
    assert_eq!(failures, expected);
    assert_eq!(passed, [clean]);
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(check(&["no/such/dir"]).status.code(), Some(2));
    assert_eq!(
        check(&["--select", "no_such_validator", "rules"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        check(&["--target", "no_such_target", "rules"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        check(&["-c", "no/such/config.yml", "rules"]).status.code(),
        Some(2)
    );
    assert_eq!(check(&[]).status.code(), Some(2), "a path is required");
}

#[test]
fn configuration_selects_excludes_and_configures() {
    let dir = tempfile::tempdir().unwrap();
    let trigger = fixture("sigmahq_title_length", "trigger");
    let config = dir.path().join("config.yml");
    // The title of the fixture is 151 characters long.
    std::fs::write(
        &config,
        "config:\n  sigmahq_title_length: {max_length: 200}\n",
    )
    .unwrap();
    let out = check(&[
        "-c",
        config.to_str().unwrap(),
        "--select",
        "sigmahq_title_length",
        &trigger,
    ]);
    assert!(stdout(&out).ends_with("no findings\n"), "{}", stdout(&out));

    let id = "5a5a0000-0000-4000-8000-00000000007b";
    let rule = std::fs::read_to_string(root().join(&trigger).join("trigger_rule.yml")).unwrap();
    assert!(rule.contains(id), "fixture id changed");
    std::fs::write(
        &config,
        format!(
            "validators: [all, -sigmahq_title_case, -sigmahq_filename_prefix]\nexclusions:\n  {id}: sigmahq_title_length\n"
        ),
    )
    .unwrap();
    let out = check(&["-c", config.to_str().unwrap(), "--fail-on", "low", &trigger]);
    assert!(
        !stdout(&out).contains("sigmahq_title_length"),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let out = check(&[
        "--ignore",
        "sigmahq_title_length,sigmahq_filename_prefix",
        "--fail-on",
        "low",
        &trigger,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn json_and_github_formats() {
    let trigger = fixture("invalid_regex", "trigger");
    let out = check(&["--select", "invalid_regex", "--format", "json", &trigger]);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &findings[0];
    assert_eq!(f["code"], "invalid_regex");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(18), Some(28))
    );

    let out = check(&["--select", "invalid_regex", "--format", "github", &trigger]);
    insta::assert_snapshot!(stdout(&out), @r"::error file=tests/fixtures/check/invalid_regex/trigger/trigger_rule.yml,line=18,col=28,endLine=18,endColumn=29,title=invalid_regex [error]::invalid regular expression: unclosed group");
}

/// A rule's own test cases (`tests:`) run too: each failing or malformed event is an error at
/// the event, which `--ignore rule_test_case` turns off.
#[test]
fn rule_test_cases_are_findings_at_their_event() {
    let trigger = fixture("rule_test_case", "trigger");
    // SigmaHQ's conventions aside: the fixture is not named after its log source, and `tests`
    // (sigc's extension) is an unknown field to SigmaHQ.
    let conventions = "sigmahq_filename_prefix,sigmahq_unknown_field";
    let out = check(&["--format", "json", "--ignore", conventions, &trigger]);
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "rule_test_case",
                29,
                "the rule does not match test event match[1]"
            ),
            (
                "rule_test_case",
                31,
                "the rule matches test event no_match[0], which it must not"
            ),
        ]
    );
    let ignored = check(&[
        "--ignore",
        &format!("rule_test_case,{conventions}"),
        &trigger,
    ]);
    assert_eq!(ignored.status.code(), Some(0), "{}", stdout(&ignored));

    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        root()
            .join(fixture("rule_test_case", "clean"))
            .join("clean_rule.yml"),
    )
    .unwrap()
    .replace(
        "    no_match:\n",
        "    no_match:\n        - just a string\n",
    );
    let path = dir.path().join("malformed_rule.yml");
    std::fs::write(&path, text).unwrap();
    let out = check(&["--select", "rule_test_case", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("test event no_match[0] must be a map of fields, not"),
        "{}",
        stdout(&out)
    );
}

/// SARIF output for every fixture is valid SARIF 2.1.0 (the schema ships in tests/data).
#[test]
fn sarif_output_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let out = check(&["--format", "sarif", "tests/fixtures/check"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > VALIDATORS.len());
    let located = &results[0]["locations"][0]["physicalLocation"];
    assert!(located["region"]["startLine"].as_u64().is_some());
    assert!(
        located["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("tests/")
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|r| r["help"]["text"].is_string()));
}

/// `--diff` shows, `--fix` applies: a new id, a modifier instead of wildcards, tag case; the rest
/// of the file (comments, quoting) is untouched.
#[test]
fn fix_rewrites_only_the_fixed_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixable_rule.yml");
    let original = "title: Fixable Rule\n# a comment that must stay\nlogsource: {category: process_creation, product: windows}\ntags:\n    - attack.T1033   # upper case\ndetection:\n    selection:\n        Image:\n            - '*\\whoami.exe'\n            - '*\\quser.exe'\n    condition: selection\n";
    std::fs::write(&path, original).unwrap();
    let p = path.to_str().unwrap();
    let select = "identifier_existence,tag_format,wildcards_instead_of_modifiers";

    let diff = check(&["--select", select, "--diff", p]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        original,
        "--diff writes nothing"
    );
    let diff_text = stdout(&diff);
    assert!(diff_text.contains("+id: "), "{diff_text}");
    assert!(
        diff_text.contains("+        Image|endswith:"),
        "{diff_text}"
    );

    let fixed = check(&["--select", select, "--fix", p]);
    assert!(
        stdout(&fixed).ends_with("no findings\n"),
        "{}",
        stdout(&fixed)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let (id_line, rest): (Vec<&str>, Vec<&str>) = text.lines().partition(|l| l.starts_with("id: "));
    assert_eq!(id_line.len(), 1);
    assert_eq!(id_line[0].len(), "id: ".len() + 36);
    assert_eq!(
        rest.join("\n") + "\n",
        "title: Fixable Rule\n# a comment that must stay\nlogsource: {category: process_creation, product: windows}\ntags:\n    - attack.t1033   # upper case\ndetection:\n    selection:\n        Image|endswith:\n            - '\\whoami.exe'\n            - '\\quser.exe'\n    condition: selection\n"
    );
    let again = check(&["--select", select, p]);
    assert!(stdout(&again).ends_with("no findings\n"));
}

#[test]
fn standard_input_and_targets() {
    let rule = std::fs::read(
        root()
            .join(fixture("sigmahq_title_end", "clean"))
            .join("clean_rule.yml"),
    )
    .unwrap();
    let rule = String::from_utf8(rule).expect("UTF-8 fixture");
    let out = common::run(&["check", "--target", "splunk", "-"], Some(&rule));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("no findings\n"));
}

/// The shipped rules are clean under SigmaHQ's selection.
#[test]
fn shipped_rules_are_clean() {
    let out = check(&[
        "-c",
        "tests/fixtures/check/sigmahq_config.yml",
        "--fail-on",
        "error",
        "rules",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// The whole SigmaHQ corpus with SigmaHQ's validator selection: no crash, counts per code.
#[test]
fn sigmahq_corpus_finding_counts() {
    let Some(shared) = shared() else { return };
    let rules = shared.join("corpus/sigmahq/rules");
    if !Path::new(&rules).is_dir() {
        return;
    }
    let out = check(&[
        "-c",
        "tests/fixtures/check/sigmahq_config.yml",
        "--format",
        "json",
        rules.to_str().unwrap(),
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for f in &findings {
        *counts
            .entry(f["code"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    let table: String = counts
        .iter()
        .map(|(code, n)| format!("{code}: {n}\n"))
        .collect();
    insta::assert_snapshot!("check_sigmahq_corpus_counts", table);
}

/// SigmaHQ's CI command, `sigma check --validation-config tests/sigma_cli_conf.yml rules`, with
/// sigc: the configuration is read as sigma-cli reads it (its repeated rule id keeps the last
/// entry, with a note naming both lines), and the findings are sigma-cli 3.1's: none.
#[test]
fn sigmahq_ci_config_runs_as_in_sigma_cli() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus/sigmahq");
    if !corpus.join("rules").is_dir() {
        return;
    }
    let config = corpus.join("tests/sigma_cli_conf.yml");
    let ci = |path: &Path| {
        check(&[
            "--fail-on-error",
            "--fail-on-issues",
            "--validation-config",
            config.to_str().unwrap(),
            path.to_str().unwrap(),
        ])
    };
    let out = ci(&corpus.join("rules"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}{stderr}", stdout(&out));
    assert!(
        stdout(&out).ends_with("3141 file(s) checked: no findings\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr.contains("sigma_cli_conf.yml:67:5: info[duplicate_key]: duplicate key `7dc2dedd-7603-461a-bc13-15803d132355` replaces the one at line 32, column 5"),
        "{stderr}"
    );
    let trigger = root().join(fixture("sigmahq_title_end", "trigger"));
    assert_eq!(ci(&trigger).status.code(), Some(1), "any finding fails");
}

/// Every validator on the SigmaHQ corpus, no exclusions: the findings per validator that
/// sigma-cli 3.1 with pySigma-validators-sigmaHQ 0.21 reports on the same rules with the same
/// data (docs/check.md, "Against sigma-cli"). `attacktag`'s one finding is not compared: pySigma
/// downloads its ATT&CK data, and the comparison ran offline.
#[test]
fn every_validator_on_the_sigmahq_corpus_matches_sigma_cli() {
    let Some(shared) = shared() else { return };
    let rules = shared.join("corpus/sigmahq/rules");
    if !rules.is_dir() {
        return;
    }
    let out = check(&[
        "--format",
        "json",
        "--fail-on",
        "low",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings at or above `low` fail the run"
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for f in &findings {
        *counts.entry(f["code"].as_str().unwrap()).or_insert(0) += 1;
    }
    let expected = std::collections::BTreeMap::from([
        ("attacktag", 1),
        ("escaped_wildcard", 54),
        ("number_as_string", 8),
        ("sigmahq_category_windows_provider_name", 2),
        ("sigmahq_filename_prefix", 2),
        ("sigmahq_invalid_hash_kv", 1),
        ("sigmahq_logsource_unknown", 10),
        ("specific_instead_of_generic_logsource", 4),
    ]);
    assert_eq!(counts, expected);
}

/// `--target splunk` reports, at the value, a rule the Splunk backend cannot express.
#[test]
fn target_reports_what_the_backend_cannot_express() {
    let rule = "tests/fixtures/check/target_splunk_rule.yml";
    let without = check(&["--select", "dangling_detection", rule]);
    assert_eq!(without.status.code(), Some(0), "{}", stdout(&without));
    let with = check(&["--select", "dangling_detection", "--target", "splunk", rule]);
    assert_eq!(with.status.code(), Some(1));
    insta::assert_snapshot!("check_target_splunk", stdout(&with));
}
