//! `sigc explain`: the parsed detection, the IR, what each pipeline item did and why a field
//! did or did not map, and the very query `sigc convert` writes.

use crate::common::{self, stderr, stdout};
use serde_json::Value;
use std::path::Path;

const RULE: &str = "title: Test rule
id: 11111111-2222-3333-4444-555555555555
logsource:
    category: process_creation
    product: windows
detection:
    sel:
        Image|endswith: '\\cmd.exe'
        CommandLine|contains: 'whoami'
        MyCustomField: x
    condition: sel
level: high
";

/// Renames Image only (CommandLine is in its mapping but excluded by a field-name condition),
/// and prefixes fields of Linux rules only.
const PIPELINE: &str = "name: test_map
priority: 10
transformations:
  - id: map_image
    type: field_name_mapping
    mapping:
      Image: process_path
      CommandLine: process_cmdline
    field_name_conditions:
      - type: include_fields
        fields: [Image]
  - id: linux_only
    type: field_name_prefix
    prefix: lin.
    rule_conditions:
      - type: logsource
        product: linux
  - id: fail_on_x
    type: rule_failure
    message: no x here
    rule_conditions:
      - type: contains_detection_item
        field: MyCustomField
        value: 'y'
";

fn explain_json(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let out = common::run_command(common::sigc_command(dir, &all), None, common::HANG_GUARD);
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", stdout(&out), stderr(&out));
    });
    (out.status.code(), json)
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.yml"), RULE).unwrap();
    std::fs::write(dir.path().join("p.yml"), PIPELINE).unwrap();
    dir
}

#[test]
fn says_why_a_field_did_or_did_not_map() {
    let dir = setup();
    let (code, json) = explain_json(dir.path(), &["-t", "splunk", "-p", "p.yml", "r.yml"]);
    assert_eq!(code, Some(0), "{json:#}");
    let rule = &json[0];
    let fate = |field: &str| {
        rule["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("no fate for {field}: {rule:#}"))
            .clone()
    };
    let image = fate("Image");
    assert_eq!(image["becomes"], serde_json::json!(["process_path"]));
    assert_eq!(
        image["changed_by"],
        serde_json::json!(["pipeline `test_map` item `map_image`"])
    );
    let cli = fate("CommandLine");
    assert_eq!(cli["becomes"], serde_json::json!(["CommandLine"]));
    assert_eq!(
        cli["left_alone"][0]["why"],
        "the item's detection-item or field-name conditions did not hold"
    );
    assert_eq!(
        fate("MyCustomField")["left_alone"][0]["why"],
        "not in the item's mapping"
    );

    let steps = rule["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3, "{steps:#?}");
    assert_eq!(steps[0]["outcome"], "applied");
    assert_eq!(steps[0]["transformation"], "field_name_mapping");
    assert_eq!(steps[0]["at"], "p.yml:4:5");
    assert_eq!(
        steps[0]["changes"],
        serde_json::json!([{
            "what": "field", "before": "Image", "after": "process_path", "at": "r.yml:8:25"
        }])
    );
    assert_eq!(steps[1]["outcome"], "skipped");
    assert_eq!(
        steps[1]["conditions"],
        serde_json::json!([{"condition": "logsource product=linux", "holds": false}])
    );
    assert_eq!(steps[2]["outcome"], "skipped");
    assert_eq!(
        rule["query"],
        "process_path=\"*\\\\cmd.exe\" CommandLine=\"*whoami*\" MyCustomField=\"x\"\n"
    );
}

#[test]
fn shows_the_detection_and_the_ir_located() {
    let dir = setup();
    let (_, json) = explain_json(dir.path(), &["-t", "splunk", "--without-pipeline", "r.yml"]);
    let rule = &json[0];
    assert_eq!(rule["at"], "r.yml:1:1");
    assert_eq!(rule["steps"], serde_json::json!([]));
    let item = &rule["detection"][0]["items"][0];
    assert_eq!(rule["detection"][0]["name"], "sel");
    assert_eq!(item["field"], "Image");
    assert_eq!(item["modifiers"], serde_json::json!(["endswith"]));
    assert_eq!(item["at"], "r.yml:8:9");
    assert_eq!(
        item["values"],
        serde_json::json!([{"value": "'\\cmd.exe'", "at": "r.yml:8:25"}])
    );
    let ir = &rule["ir"][0];
    assert_eq!(ir["node"], "and");
    assert_eq!(
        ir["children"][1],
        serde_json::json!({
            "node": "match", "field": "CommandLine", "value": "= '*whoami*'", "at": "r.yml:9:31"
        })
    );
    assert_eq!(rule["processed"], rule["ir"]);
}

#[test]
fn its_query_is_the_one_convert_writes() {
    let rule =
        "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml";
    let (code, json) = explain_json(&common::root(), &["-t", "splunk", rule]);
    assert_eq!(code, Some(0));
    let converted = common::sigc(&["convert", "-t", "splunk", rule]);
    assert_eq!(json[0]["query"], stdout(&converted));
    // the default pipeline's added conditions are located at their item
    let added = json[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "applied")
        .flat_map(|s| s["changes"].as_array().unwrap())
        .filter(|c| c["what"] == "detection")
        .count();
    assert!(added >= 1, "{json:#}");
}

#[test]
fn a_failing_item_is_reported_and_the_run_fails() {
    let dir = setup();
    std::fs::write(
        dir.path().join("r.yml"),
        RULE.replace("MyCustomField: x", "MyCustomField: 'y'"),
    )
    .unwrap();
    let (code, json) = explain_json(dir.path(), &["-t", "splunk", "-p", "p.yml", "r.yml"]);
    assert_eq!(code, Some(1));
    let rule = &json[0];
    assert_eq!(rule["query"], Value::Null);
    let last = rule["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["outcome"], "failed");
    assert!(
        last["errors"][0].as_str().unwrap().contains("no x here"),
        "{last:#}"
    );
    assert!(
        rule["errors"][0].as_str().unwrap().contains("no x here"),
        "{rule:#}"
    );
}

#[test]
fn text_output_is_escaped_and_locations_are_short() {
    let dir = setup();
    std::fs::write(
        dir.path().join("r.yml"),
        RULE.replace("MyCustomField: x", "MyCustomField: \"a\\e[31mb\\nc\""),
    )
    .unwrap();
    let out = common::run_command(
        common::sigc_command(
            dir.path(),
            &["explain", "-t", "splunk", "-p", "p.yml", "r.yml"],
        ),
        None,
        common::HANG_GUARD,
    );
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("a\\u{1b}[31mb\\nc"), "{text}");
    assert!(
        text.contains("      field: Image -> process_path  8:25\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  Image -> process_path\n    changed by pipeline `test_map` item `map_image`\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "`linux_only` (field_name_prefix)  p.yml:12:5: skipped (logsource product=linux: false)"
        ),
        "{text}"
    );
}

#[test]
fn a_correlation_is_a_located_error_and_the_rules_beside_it_are_explained() {
    let dir = setup();
    let file = format!(
        "{RULE}name: base\n---\ntitle: C\ncorrelation:\n  type: event_count\n  rules: [base]\n  group-by: [User]\n  timespan: 1h\n  condition: {{gte: 2}}\n"
    );
    std::fs::write(dir.path().join("c.yml"), file).unwrap();
    let out = common::run_command(
        common::sigc_command(dir.path(), &["explain", "-t", "splunk", "c.yml"]),
        None,
        common::HANG_GUARD,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("c.yml:16:1: error[unsupported_document]"),
        "{err}"
    );
    assert!(err.contains("`sigc explain`"), "{err}");
    assert!(
        stdout(&out).starts_with("rule Test rule"),
        "{}",
        stdout(&out)
    );
}
