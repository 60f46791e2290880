//! The JSON output of every command against the schemas that docs/json.md documents: each
//! ```json block there is a JSON Schema titled by the command it describes.

use crate::common::{self, root, stderr, stdout};
use serde_json::Value;

/// The schema of docs/json.md titled `title`.
fn schema(title: &str) -> Value {
    let doc = std::fs::read_to_string(root().join("docs/json.md")).expect("docs/json.md");
    doc.split("```json\n")
        .skip(1)
        .filter_map(|block| block.split_once("\n```").map(|(json, _)| json))
        .map(|json| {
            serde_json::from_str::<Value>(json).expect("each block of docs/json.md is JSON")
        })
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("docs/json.md documents `{title}`"))
}

/// Checks `value` against the schema titled `title`.
fn conforms(title: &str, value: &Value) {
    let schema = schema(title);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{title}: {errors:#?}\n{value:#}");
}

/// Runs `sigc ARGS` and parses its standard output as one JSON document.
fn json(args: &[&str]) -> Value {
    let out = common::sigc(args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}\n{}", stdout(&out), stderr(&out)))
}

#[test]
fn every_block_of_the_page_is_a_titled_schema() {
    for title in [
        "sigc convert -f json",
        "sigc check --format json",
        "sigc test --format json",
        "sigc test --regression --format json",
        "sigc list -f json",
        "sigc explain --format json",
        "sigc analyze attack",
        "sigc analyze logsource --format json",
        "sigc analyze fields --format json",
    ] {
        let schema = schema(title);
        jsonschema::validator_for(&schema).expect("the schema compiles");
        // A shape with a wrong key does not conform: the schemas are closed.
        let wrong = serde_json::json!([{"no_such_key": 1}]);
        assert!(!jsonschema::is_valid(&schema, &wrong), "{title}");
    }
}

#[test]
fn convert_json_matches_its_schema() {
    let out = json(&[
        "convert",
        "-t",
        "splunk",
        "-f",
        "json",
        "-q",
        "rules/",
        "tests/fixtures/correlations",
    ]);
    assert!(out.as_array().is_some_and(|a| a.len() > 3), "{out:#}");
    conforms("sigc convert -f json", &out);
}

#[test]
fn check_json_matches_its_schema() {
    let out = json(&["check", "--format", "json", "tests/fixtures/check"]);
    assert!(out.as_array().is_some_and(|a| a.len() > 10));
    conforms("sigc check --format json", &out);
}

#[test]
fn test_matches_and_firings_match_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.json");
    let failed = |minute: u32| {
        serde_json::json!({
            "Channel": "Security", "EventID": 4625, "User": "alice",
            "@timestamp": format!("2024-01-01T00:{minute:02}:00Z"),
        })
        .to_string()
    };
    let lines: Vec<String> = (0..12).map(failed).collect();
    std::fs::write(&events, lines.join("\n")).unwrap();
    let fixtures = root().join("tests/fixtures/correlation_eval");
    let out = common::sigc(&[
        "test",
        "--format",
        "json",
        "--events",
        events.to_str().unwrap(),
        fixtures.join("base_rules.yml").to_str().unwrap(),
        fixtures.join("event_count.yml").to_str().unwrap(),
    ]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.get("rule_file").is_some() && l.get("event").is_some())
    );
    assert!(
        lines.iter().any(|l| l.get("correlation_id").is_some()),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    for line in &lines {
        conforms("sigc test --format json", line);
    }
}

#[test]
fn test_regression_json_matches_its_schema() {
    let Some(shared) = common::shared() else {
        return;
    };
    let case = "windows/process_creation/proc_creation_win_curl_custom_user_agent";
    let dir = shared
        .join("corpus/sigmahq/regression_data/rules")
        .join(case);
    let rule = shared
        .join("corpus/sigmahq/rules")
        .join(format!("{case}.yml"));
    let out = json(&[
        "test",
        "--quiet",
        "--format",
        "json",
        "--regression",
        dir.to_str().unwrap(),
        rule.to_str().unwrap(),
    ]);
    assert_eq!(out.as_array().map(Vec::len), Some(1), "{out:#}");
    conforms("sigc test --regression --format json", &out);
}

#[test]
fn every_listing_matches_the_list_schema() {
    let listings = json(&["list", "-f", "json"]);
    let names: Vec<&str> = listings
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert!(names.contains(&"options"), "{names:?}");
    conforms("sigc list -f json", &listings);
    for name in names {
        let out = json(&["list", name, "splunk", "-f", "json"]);
        assert!(out.as_array().is_some_and(|a| !a.is_empty()), "{name}");
        conforms("sigc list -f json", &out);
    }
}

#[test]
fn explain_json_matches_its_schema() {
    let rule =
        "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml";
    for args in [
        &["explain", "-t", "splunk", "--format", "json", rule][..],
        &[
            "explain",
            "-t",
            "logpoint",
            "-p",
            "logpoint_windows",
            "--format",
            "json",
            rule,
        ],
        &["explain", "-t", "car", "--format", "json", rule],
    ] {
        let value = json(args);
        assert!(
            !value[0]["steps"].as_array().unwrap().is_empty(),
            "{args:?}"
        );
        conforms("sigc explain --format json", &value);
    }
}

#[test]
fn analyze_json_matches_its_schemas() {
    for function in ["count", "max", "level"] {
        let layer = json(&["analyze", "attack", function, "-", "rules"]);
        assert!(!layer["techniques"].as_array().unwrap().is_empty());
        conforms("sigc analyze attack", &layer);
    }
    let table = json(&["analyze", "logsource", "--format", "json", "-", "rules"]);
    conforms("sigc analyze logsource --format json", &table);
    for group in [&[][..], &["--group"]] {
        let mut args = vec!["analyze", "fields", "-t", "splunk", "--format", "json"];
        args.extend(group);
        args.push("rules");
        conforms("sigc analyze fields --format json", &json(&args));
    }
}
