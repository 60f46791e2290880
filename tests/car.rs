//! The CAR target: the CAR-2020-11-007 seed equivalence, the `car` pipeline's mappings and
//! errors, and the `car-analytic` / `car-page` formats through the `sigc` binary.

use crate::common::{self, sigc, stderr, stdout};
use sigc_backends::Target;

const T1070_005: &str =
    "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml";

/// The queries of the car target for the rules of a YAML text (default pipeline applied by
/// the backend itself), or the rendered errors.
fn car(name: &str, yaml: &str) -> String {
    let source = sigc_compiler::Source::new(name, yaml);
    let backend = sigc_backends::target("car").expect("car is a target");
    sigc_compiler::compile_rules(&source, "this test")
        .into_iter()
        .map(
            |c| match c.and_then(|rule| backend.convert(&rule).map_err(|e| vec![e])) {
                Ok(queries) => queries.join("\n"),
                Err(errors) => common::render(&errors),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

/// A process_creation rule with this detection (indented by four spaces).
fn process_rule(detection: &str) -> String {
    format!(
        "title: t\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n{detection}"
    )
}

/// The seed's pseudocode as words: its typo `comman_line` corrected, its `exe` with a full path
/// read as `image_path` (CAR's `exe` is a basename), whitespace ignored.
fn words(code: &str) -> Vec<String> {
    code.replace("comman_line", "command_line")
        .replace("exe=\"C:", "image_path=\"C:")
        .replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn t1070_005_pseudocode_is_the_seeds() {
    let path = common::root().join(T1070_005);
    let source = common::source(&path);
    let rule = sigc_compiler::compile_rules(&source, "this test")
        .pop()
        .expect("one rule")
        .expect("compiles");
    let queries = sigc_backends::car::Car.convert(&rule).expect("converts");
    assert_eq!(
        queries,
        [r#"processes = search Process:Create
target_processes = filter processes where (
  (image_path="C:\\Windows\\System32\\net.exe" AND command_line="*delete*") OR
  command_line="*Remove-SmbShare*" OR
  command_line="*Remove-FileShare*"
)
output target_processes"#]
    );
    // And, word for word, the code published for CAR-2020-11-007 (when ../shared is there).
    let Some(shared) = common::shared() else {
        return;
    };
    let page =
        std::fs::read_to_string(shared.join("seeds/003_e50d5c2d6aa38f35.txt")).expect("seed page");
    let start = page.find("processes = search").expect("seed pseudocode");
    let end = start + page[start..].find("output target_processes").expect("end") + 23;
    assert_eq!(words(&queries[0]), words(&page[start..end]));
}

#[test]
fn endswith_a_file_name_is_the_basename_field() {
    let out = car(
        "r.yml",
        &process_rule(
            "    sel:\n        Image|endswith: '\\net.exe'\n        ParentImage|endswith:\n            - '\\cmd.exe'\n            - '.bat'\n        CurrentDirectory|startswith: 'C:\\Temp\\'\n    condition: sel\n",
        ),
    );
    insta::assert_snapshot!(out, @r#"
    processes = search Process:Create
    target_processes = filter processes where (
      exe="net.exe" AND
      (parent_exe="cmd.exe" OR parent_image_path="*.bat") AND
      current_working_directory="C:\\Temp\\*"
    )
    output target_processes
    "#);
}

#[test]
fn log_sources_become_objects_and_actions() {
    let cases = [
        (
            "registry_set",
            "TargetObject|contains: '\\Run\\'",
            "registry_keys = search Registry:Value_Edit",
            r#"key="*\\Run\\*""#,
        ),
        (
            "registry_event",
            "Details: 'x'",
            "registry_keys = search Registry:Add OR Registry:Remove OR Registry:Value_Edit OR Registry:Key_Edit",
            r#"data="x""#,
        ),
        (
            "network_connection",
            "DestinationPort: 4444",
            "flows = search Flow:Start",
            "dest_port=4444",
        ),
        (
            "image_load",
            "ImageLoaded|endswith: '\\x.dll'",
            "modules = search Module:Load",
            r#"module_name="x.dll""#,
        ),
        (
            "file_event",
            "TargetFilename|endswith: '\\a.lnk'",
            "files = search File:Create",
            r#"file_name="a.lnk""#,
        ),
        (
            "create_remote_thread",
            "StartFunction: 'LoadLibraryA'",
            "threads = search Thread:Remote_Create",
            r#"start_function="LoadLibraryA""#,
        ),
        (
            "process_access",
            "TargetImage|endswith: '\\lsass.exe'",
            "processes = search Process:Access",
            r#"target_name="*\\lsass.exe""#,
        ),
    ];
    for (category, item, search, predicate) in cases {
        let yaml = format!(
            "title: t\nlogsource:\n    category: {category}\n    product: windows\ndetection:\n    sel:\n        {item}\n    condition: sel\n"
        );
        let out = car("r.yml", &yaml);
        assert!(out.starts_with(search), "{category}: {out}");
        assert!(
            out.contains(&format!("\n  {predicate}\n")),
            "{category}: {out}"
        );
    }
}

#[test]
fn windows_events_with_car_objects() {
    let logon = "title: t\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 4624\n        LogonType: 10\n    condition: sel\n";
    insta::assert_snapshot!(car("r.yml", logon), @r"
    user_sessions = search User_Session:Login
    target_user_sessions = filter user_sessions where (
      login_type=10
    )
    output target_user_sessions
    ");
}

#[test]
fn unmapped_fields_and_log_sources_are_named_errors() {
    let field = car(
        "field.yml",
        &process_rule("    sel:\n        OriginalFileName: 'net.exe'\n    condition: sel\n"),
    );
    assert!(
        field.starts_with("field.yml:7:27: error[unsupported_feature]: field `OriginalFileName` has no equivalent in the CAR data model object `process`"),
        "{field}"
    );
    let source = car(
        "dns.yml",
        "title: t\nlogsource:\n    category: dns_query\n    product: windows\ndetection:\n    sel:\n        QueryName: x\n    condition: sel\n",
    );
    assert!(
        source.starts_with("dns.yml:3:5: error[unsupported_feature]: log source `category: dns_query, product: windows` has no equivalent in the CAR data model"),
        "{source}"
    );
    let keyword = car(
        "kw.yml",
        &process_rule("    keywords:\n        - mimikatz\n    condition: keywords\n"),
    );
    assert!(keyword.contains("a keyword"), "{keyword}");
}

#[test]
fn the_cli_applies_the_car_pipeline_and_lists_it() {
    let o = sigc(&["convert", "-t", "car", T1070_005]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("processes = search Process:Create\n"));
    let o = sigc(&["list", "formats", "car"]);
    assert!(stdout(&o).contains("car-analytic"), "{}", stdout(&o));
    assert!(stdout(&o).contains("car-page"), "{}", stdout(&o));
}

#[test]
fn car_page_for_t1070_005_reads_like_the_seed() {
    let o = sigc(&["convert", "-t", "car", "-f", "car-page", T1070_005]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    for heading in [
        "title: \"CAR-2020-11-007: Network Share Connection Removal\"",
        "### ATT&CK Detections",
        "|[Indicator Removal](https://attack.mitre.org/techniques/T1070/)|[Network Share Connection Removal](https://attack.mitre.org/techniques/T1070/005/)|[Defense Evasion](https://attack.mitre.org/tactics/TA0005/)|",
        "### Data Model References",
        "|[process](/data_model/process) | [create](/data_model/process#create) | [command_line](/data_model/process#command_line) |",
        "### Implementations",
        "(Pseudocode, CAR native)",
        "(Splunk, Sysmon native)",
    ] {
        assert!(page.contains(heading), "missing {heading:?} in\n{page}");
    }
    insta::assert_snapshot!(page);
}

#[test]
fn car_analytic_is_yaml_in_the_car_schema() {
    let o = sigc(&["convert", "-t", "car", "-f", "car-analytic", T1070_005]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let source = sigc_compiler::Source::new("analytic.yml", text.clone());
    let docs = sigc_compiler::yaml::load(&source).expect("valid YAML");
    let root = docs[0].root();
    // analytic_schema.yaml: the required keys, and nothing outside the schema.
    let keys: Vec<String> = root
        .entries()
        .expect("a map")
        .into_iter()
        .map(|(k, _, _)| k.into_owned())
        .collect();
    for required in [
        "title",
        "submission_date",
        "information_domain",
        "subtypes",
        "analytic_types",
        "id",
        "description",
    ] {
        assert!(keys.iter().any(|k| k == required), "{required} missing");
    }
    const SCHEMA: &[&str] = &[
        "title",
        "submission_date",
        "update_date",
        "information_domain",
        "platforms",
        "subtypes",
        "analytic_types",
        "contributors",
        "id",
        "description",
        "coverage",
        "implementations",
        "unit_tests",
        "true_positives",
        "data_model_references",
        "references",
        "d3fend_mappings",
    ];
    assert!(
        keys.iter().all(|k| SCHEMA.contains(&k.as_str())),
        "{keys:?}"
    );
    let implementations = root
        .get("implementations")
        .and_then(|n| n.items())
        .expect("list");
    let pseudocode = implementations[0].get("code").and_then(|n| n.as_str());
    let converted = stdout(&sigc(&["convert", "-t", "car", T1070_005]));
    assert_eq!(pseudocode, Some(converted.as_str()));
    assert_eq!(
        implementations[1].get("type").and_then(|n| n.as_str()),
        Some("Splunk")
    );
    insta::assert_snapshot!(text);
}

#[test]
fn car_analytic_quotes_what_a_block_cannot_hold() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rule = dir.path().join("r.yml");
    std::fs::write(
        &rule,
        "title: \"a: b # c\"\ndescription: \"  lead\\rcr\"\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine: \"x\\r\\\"y\"\n    condition: sel\n",
    )
    .expect("write rule");
    let o = sigc(&[
        "convert",
        "-t",
        "car",
        "-f",
        "car-analytic",
        rule.to_str().expect("UTF-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let source = sigc_compiler::Source::new("analytic.yml", text.clone());
    let docs = sigc_compiler::yaml::load(&source).expect("valid YAML");
    let root = docs[0].root();
    assert_eq!(root.get("title").and_then(|n| n.as_str()), Some("a: b # c"));
    assert_eq!(
        root.get("description").and_then(|n| n.as_str()),
        Some("lead\rcr")
    );
    let code = root
        .get("implementations")
        .and_then(|n| n.items())
        .and_then(|items| {
            items[0]
                .get("code")
                .and_then(|n| n.as_str())
                .map(str::to_string)
        });
    assert!(
        code.as_deref()
            .is_some_and(|c| c.contains("command_line=\"x\r\\\"y\"")),
        "{text}"
    );
}
