//! The `sigc` binary as a user runs it: outputs, located errors and exit statuses.

use crate::common::{self, text};

const GOOD: &str = "title: Good\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n";

#[test]
fn shipped_rules_convert_with_exit_0() {
    let out = common::run(
        &["convert", "-t", "splunk", "--without-pipeline", "rules/"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(r#"CommandLine="*Remove-SmbShare*""#),
        "{stdout}"
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn a_failing_rule_is_located_and_the_others_still_convert() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a_good.yml"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("b_bad.yml"),
        "title: Bad\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswit: x\n  condition: sel\n",
    )
    .unwrap();
    let out = common::run(
        &["convert", "-t", "splunk", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "Image=\"*\\\\cmd.exe\"\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("b_bad.yml:5:11: error[unknown_modifier]: unknown modifier `endswit`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 2 rules converted; 1 failed"),
        "{stderr}"
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let out = common::run(&["convert", "-t", "splunk", "-"], Some(GOOD));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Image=\"*\\\\cmd.exe\"\n");
    let out = common::run(
        &["convert", "-t", "splunk", "-"],
        Some("title: [unclosed\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("<stdin>:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = common::run(&["convert", "-t", "nosuchsiem", "rules/"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown target `nosuchsiem`"));
    let out = common::run(&["convert", "-t", "splunk", "does/not/exist.yml"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = common::run(&["convert", "rules/"], None);
    assert_eq!(out.status.code(), Some(2), "missing -t is a usage error");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out/queries.spl");
    let out = common::run(
        &[
            "convert",
            "-t",
            "splunk",
            "--without-pipeline",
            "-o",
            target.to_str().unwrap(),
            "rules/",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    // Three queries, a blank line between two.
    assert_eq!(written.lines().count(), 5, "{written}");
    assert_eq!(written.lines().filter(|l| l.is_empty()).count(), 2);
    let leftovers: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn hostile_conditions_are_errors_not_crashes() {
    let deep = format!("{}sel{}", "(".repeat(10_000), ")".repeat(10_000));
    let long = vec!["sel"; 300_000].join(" or ");
    for condition in [deep, long] {
        let rule = format!(
            "title: Hostile\nlogsource: {{product: windows}}\ndetection:\n  sel:\n    A: b\n  condition: '{condition}'\n"
        );
        let out = common::run(&["convert", "-t", "splunk", "-"], Some(&rule));
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("<stdin>:6:"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn hostile_values_are_errors_not_crashes() {
    let rule = format!(
        "title: Hostile\nlogsource: {{product: windows}}\ndetection:\n  sel:\n    A|windash: '{}'\n  condition: sel\n",
        " -a".repeat(40)
    );
    let out = common::run(&["convert", "-t", "splunk", "-"], Some(&rule));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("windash"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn lists_and_version() {
    let out = common::run(&["list", "modifiers"], None);
    assert!(text(&out.stdout).contains("base64offset"));
    let out = common::run(&["list", "targets"], None);
    assert!(text(&out.stdout).contains("splunk"));
    for args in [&["--version"][..], &["version"]] {
        let out = common::run(args, None);
        assert_eq!(
            text(&out.stdout).trim(),
            format!("sigc {}", env!("CARGO_PKG_VERSION"))
        );
    }
}

/// `sigc list` alone says what can be listed; the pipeline tables come from the pipeline
/// crate's declared names; `pipelines TARGET` keeps the pipelines that target may use.
#[test]
fn list_alone_and_the_pipeline_and_correlation_tables() {
    let out = common::run(&["list"], None);
    assert_eq!(out.status.code(), Some(0));
    let all = text(&out.stdout);
    for what in [
        "targets",
        "transformations",
        "conditions",
        "correlation-methods",
    ] {
        assert!(all.lines().any(|l| l.starts_with(what)), "{what} in {all}");
    }
    let out = common::run(&["list", "transformations"], None);
    assert!(text(&out.stdout).lines().any(|l| l == "field_name_mapping"));
    let out = common::run(&["list", "conditions"], None);
    assert!(text(&out.stdout).contains("detection_item   match_string"));
    let out = common::run(&["list", "pipelines", "logpoint"], None);
    let listed = text(&out.stdout);
    assert!(listed.contains("logpoint_native") && listed.contains("sysmon"));
    assert!(!listed.contains("splunk_windows"), "{listed}");
    let out = common::run(&["list", "correlation-methods", "splunk"], None);
    assert!(text(&out.stdout).starts_with("stats "));
    let out = common::run(&["list", "pipelines", "nope"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// pySigma's example of correlations over two base rules in one file (docs: pysigma-examples.md):
/// every command takes it whole. `sigc check` finds nothing wrong with the correlations,
/// `sigc convert` writes the three correlation queries and hides the base rules they reference
/// (tests/correlations.rs pins the text), `sigc test` evaluates them (tests/correlation_eval.rs).
#[test]
fn a_correlation_file_is_checked_converted_and_tested_whole() {
    let file = "tests/fixtures/documents/correlation_failed_logons.yml";
    let out = common::run(&["check", "--select", "invalid_regex", file], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    for args in [&["convert", "-t", "splunk", file][..], &["test", file][..]] {
        let out = common::run(args, None);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains("error["), "{args:?}: {all}");
    }
}

/// A correlation names rules of another input file; a name that no input defines is located at
/// the reference.
#[test]
fn correlation_references_resolve_across_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("tests/fixtures/documents/correlation_failed_logons.yml")
        .expect("fixture");
    let rules: Vec<&str> = base.split("---\n").take(2).collect();
    std::fs::write(dir.path().join("base_rules.yml"), rules.join("---\n")).unwrap();
    let correlation = "title: Spray\ncorrelation:\n  type: temporal\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 10m\n";
    std::fs::write(dir.path().join("mr_spray.yml"), correlation).unwrap();
    let out = common::run(
        &["convert", "-t", "splunk", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("[ search source=\"WinEventLog:Security\" EventCode=4624 | eval event_type=\"successful_logon\" ]"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(
        dir.path().join("mr_spray.yml"),
        correlation.replace("successful_logon", "success"),
    )
    .unwrap();
    let out = common::run(
        &["convert", "-t", "splunk", dir.path().to_str().unwrap()],
        None,
    );
    let stderr = text(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(
        errors,
        [format!(
            "{}: error[unknown_reference]: no document of this run has the id or name `success`",
            dir.path().join("mr_spray.yml:4:25").display()
        )],
        "{stderr}"
    );
}
