//! Legacy Sigma 1 collections (`action: global`, `reset`, `repeat`; tests/fixtures/collections/)
//! read as pySigma reads them, in every command, each document reported on its own.

use crate::common::{self, stderr, stdout};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/collections/{name}.yml")
}

/// The template (title, detection, level) merges into each document; a document's own keys
/// merge into the template's maps (`detection.selection` gains `EventID`).
#[test]
fn a_global_template_merges_into_each_following_rule() {
    let out = common::sigc(&[
        "convert",
        "-t",
        "splunk",
        &fixture("global_two_log_sources"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "index=\"__your_sysmon_index__\" EventCode=1 CommandLine=\"*certutil*\" CommandLine=\"*urlcache*\"\n\n\
         source=\"WinEventLog:Security\" EventCode=4688 CommandLine=\"*certutil*\" CommandLine=\"*urlcache*\"\n"
    );
}

/// `repeat` re-uses the previous rule with its changes; `reset` drops the template.
#[test]
fn repeat_and_reset() {
    let out = common::sigc(&["convert", "-t", "splunk", &fixture("reset_repeat")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "index=\"__your_sysmon_index__\" EventCode=1 Image=\"*\\\\whoami.exe\" ParentImage=\"*\\\\cmd.exe\"\n\n\
         index=\"__your_sysmon_index__\" EventCode=1 Image=\"*\\\\whoami.exe\" ParentImage=\"*\\\\powershell.exe\"\n\n\
         index=\"__your_sysmon_index__\" EventCode=1 Image=\"*\\\\net.exe\"\n"
    );
}

/// An unknown action and a bad value are each one error of their own document, located in
/// it; the other document converts.
#[test]
fn a_failing_document_is_reported_alone() {
    let file = fixture("bad_action");
    let out = common::sigc(&["convert", "-t", "splunk", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "source=\"WinEventLog:Security\" EventCode=4625\n"
    );
    let errors: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.contains("error["))
        .map(str::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            format!(
                "{file}:13:9: error[invalid_collection]: unknown collection action `include`; the actions are `global`, `reset` and `repeat`"
            ),
            format!(
                "{file}:19:22: error[invalid_regex]: invalid regular expression: unclosed group"
            ),
        ]
    );
    let out = common::sigc(&["check", "--select", "invalid_regex", &file]);
    let text = stdout(&out);
    assert!(text.contains("(2 error)"), "{text}");
    assert!(text.contains(&format!("--> {file}:13:9")), "{text}");
}

/// `sigc check` and `sigc test` read the merged rules: no finding about a document that only
/// makes sense merged, and the merged rules evaluate.
#[test]
fn check_and_test_read_the_merged_rules() {
    let file = fixture("global_two_log_sources");
    let out = common::sigc(&[
        "check",
        "--select",
        "dangling_condition,identifier_existence",
        &file,
    ]);
    assert_eq!(stdout(&out), "1 file(s) checked: no findings\n");
    let out = common::sigc(&["test", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
