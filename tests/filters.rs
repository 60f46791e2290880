//! Sigma filters (tests/fixtures/filters/): ANDed into the rules they apply to, as pySigma does,
//! whether they come among the inputs or through `--filter` on `convert`, `check` and `test`.

use crate::common::{self, stderr, stdout};

const RULES: &str = "tests/fixtures/filters/rules.yml";

fn filter(name: &str) -> String {
    format!("tests/fixtures/filters/{name}.yml")
}

/// `sigc convert -t splunk` of the three rules with `--filter` for each filter given.
fn convert(filters: &[&str]) -> String {
    let files: Vec<String> = filters.iter().map(|f| filter(f)).collect();
    let mut args = vec!["convert", "-t", "splunk", RULES];
    for f in &files {
        args.extend(["--filter", f.as_str()]);
    }
    let out = common::sigc(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

const WHOAMI: &str = r#"index="__your_sysmon_index__" EventCode=1 Image="*\\whoami.exe""#;
const NET_USER: &str =
    r#"index="__your_sysmon_index__" EventCode=1 Image="*\\net.exe" CommandLine="* user *""#;
const FAILED_LOGON: &str = r#"source="WinEventLog:Security" EventCode=4625"#;

#[test]
fn without_a_filter_the_rules_convert_as_written() {
    assert_eq!(
        convert(&[]),
        format!("{WHOAMI}\n\n{NET_USER}\n\n{FAILED_LOGON}\n")
    );
}

/// Listed by name and by id; `failed_logon` is listed too, but its log source (windows/security)
/// is not contained in the filter's (process_creation/windows), so the filter does not apply.
#[test]
fn a_listed_filter_applies_where_its_log_source_contains_the_rules() {
    let not_admin = r#" NOT ComputerName="ADMIN-JUMP01""#;
    assert_eq!(
        convert(&["admin_workstation"]),
        format!("{WHOAMI}{not_admin}\n\n{NET_USER}{not_admin}\n\n{FAILED_LOGON}\n")
    );
}

/// `rules: any` with `logsource: {product: windows}` contains all three rules.
#[test]
fn an_any_filter_applies_to_every_rule_of_its_log_source() {
    let not_build = r#" NOT ComputerName="BUILD-*""#;
    assert_eq!(
        convert(&["any_rule"]),
        format!("{WHOAMI}{not_build}\n\n{NET_USER}{not_build}\n\n{FAILED_LOGON}{not_build}\n")
    );
}

/// `rules: net_user_execution`: a single name, not a list.
#[test]
fn a_single_reference_applies_to_that_rule_only() {
    assert_eq!(
        convert(&["by_name"]),
        format!("{WHOAMI}\n\n{NET_USER} NOT User=\"svc_backup\"\n\n{FAILED_LOGON}\n")
    );
}

/// Filters apply in the order given, each ANDed to what the previous ones left.
#[test]
fn several_filters_apply_in_turn() {
    assert_eq!(
        convert(&["by_name", "any_rule"]),
        format!(
            "{WHOAMI} NOT ComputerName=\"BUILD-*\"\n\n{NET_USER} NOT User=\"svc_backup\" NOT ComputerName=\"BUILD-*\"\n\n{FAILED_LOGON} NOT ComputerName=\"BUILD-*\"\n"
        )
    );
}

/// A filter among the inputs applies like one given with `--filter`, and converts to nothing by
/// itself (no "not supported" error); one naming a rule that no input defines applies to
/// nothing, as in pySigma.
#[test]
fn a_filter_among_the_inputs_applies_and_converts_to_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |name: &str, to: &str| {
        std::fs::copy(common::root().join(name), dir.path().join(to)).unwrap();
    };
    copy(RULES, "rules.yml");
    copy(&filter("by_name"), "by_name_filter.yml");
    let elsewhere = "title: Elsewhere\nlogsource: {product: windows}\nfilter:\n  rules: [a_rule_of_another_run]\n  sel: {User: x}\n  condition: not sel\n";
    std::fs::write(dir.path().join("elsewhere_filter.yml"), elsewhere).unwrap();
    let out = common::sigc(&[
        "convert",
        "-t",
        "splunk",
        "-q",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        format!("{WHOAMI}\n\n{NET_USER} NOT User=\"svc_backup\"\n\n{FAILED_LOGON}\n")
    );
}

/// A filter's value that the target cannot express is an error located in the filter's file,
/// once per rule it applies to (`convert`), once for `check --target`.
#[test]
fn an_error_about_a_filter_leaf_points_into_the_filter() {
    let cased = filter("cased");
    let at = "tests/fixtures/filters/cased.yml:7:29: error[unsupported_feature]";
    let out = common::sigc(&["convert", "-t", "splunk", RULES, "--filter", &cased]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).matches(at).count(), 3, "{}", stderr(&out));
    let out = common::sigc(&[
        "check",
        "--select",
        "invalid_regex",
        "-t",
        "splunk",
        RULES,
        "--filter",
        &cased,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error[unsupported_feature]: case-sensitive matching")
            && text.contains("--> tests/fixtures/filters/cased.yml:7:29"),
        "{text}"
    );
    assert!(text.contains("(1 error)"), "{text}");
}

/// `sigc test --filter`: the filtered rule no longer fires on the excluded host.
#[test]
fn test_evaluates_the_filtered_rules() {
    let events = "tests/fixtures/filters/events.json";
    let run = |filters: &[&str]| {
        let mut args = vec!["test", "-q", "--events", events, RULES];
        args.extend(filters);
        let out = common::sigc(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let hit = |n: u8| {
        format!("{events} #{n}: 8a5c2f2b-6c1e-4d57-9a43-1f0e3e6b1a01 [low] Whoami Execution\n")
    };
    assert_eq!(run(&[]), format!("{}{}", hit(1), hit(2)));
    let admin = filter("admin_workstation");
    assert_eq!(run(&["--filter", &admin]), hit(2));
}

/// `sigc check` warns, at the condition, when a filter's condition is not negated.
#[test]
fn check_warns_about_a_filter_that_narrows() {
    let out = common::sigc(&[
        "check",
        "--select",
        "filter_condition_without_not",
        &filter("narrowing"),
        &filter("admin_workstation"),
    ]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not fail the run"
    );
    assert!(
        text.contains("medium[filter_condition_without_not]")
            && text.contains("--> tests/fixtures/filters/narrowing.yml:9:16"),
        "{text}"
    );
    assert!(text.contains("1 finding(s)"), "{text}");
}

/// In export mode a filter file has nothing of its own to write and claims no output path, even
/// one a rule file has.
#[test]
fn export_writes_the_filtered_rules_and_nothing_for_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    let rules = dir.path().join("a/rules.yml");
    let filter_file = dir.path().join("b/rules.yml");
    std::fs::copy(common::root().join(RULES), &rules).unwrap();
    std::fs::copy(common::root().join(filter("by_name")), &filter_file).unwrap();
    let out_dir = dir.path().join("out");
    let out = common::sigc(&[
        "convert",
        "-t",
        "splunk",
        "-o",
        &format!("{}/", out_dir.display()),
        rules.to_str().unwrap(),
        "--filter",
        filter_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(out_dir.join("splunk/rules.spl")).unwrap();
    assert_eq!(
        written.trim_end(),
        format!("{WHOAMI}\n\n{NET_USER} NOT User=\"svc_backup\"\n\n{FAILED_LOGON}")
    );
}
