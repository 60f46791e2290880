//! Processing pipelines: one fixture per transformation and condition type, the seed's Splunk
//! search from the default pipeline and the built-in pipelines. (Conformance with pySigma's
//! pipelines on the SigmaHQ corpus is in `conformance_splunk` and `conformance_logpoint`.)

use crate::common;
use crate::conformance::{builtins, check_file};
use sigc_pipeline::{Pipeline, Vars};

/// The rules every pipeline fixture is applied to.
fn fixture_rules() -> Vec<std::path::PathBuf> {
    common::yaml_files(&common::root().join("tests/fixtures/pipelines/rules"))
}

/// Each rule of `rules` after `pipes`: its Splunk queries and state, or its located errors.
fn apply_to(pipes: &[Pipeline], vars: &Vars, rules: &[std::path::PathBuf]) -> String {
    let backend = sigc_backends::target("splunk").expect("splunk target");
    let mut out = String::new();
    for path in rules {
        let source = common::source(path);
        out.push_str(&format!("--- {}\n", source.name));
        for compiled in sigc_compiler::compile_rules(&source, "this test") {
            let mut rule = compiled.expect("fixture rules compile");
            match sigc_pipeline::apply(pipes, vars, &mut rule) {
                Ok(state) => {
                    match backend.convert(&rule) {
                        Ok(queries) => queries.iter().for_each(|q| out.push_str(&format!("{q}\n"))),
                        Err(e) => out.push_str(&common::render(&[e])),
                    }
                    if !state.is_empty() {
                        out.push_str(&format!(
                            "state: {}\n",
                            serde_json::to_string(&state).unwrap()
                        ));
                    }
                    let ls = &rule.logsource;
                    out.push_str(&format!(
                        "logsource: {:?} {:?} {:?}\n",
                        ls.category, ls.product, ls.service
                    ));
                }
                Err(errors) => out.push_str(&common::render(&errors)),
            }
        }
    }
    out
}

#[test]
fn each_transformation_and_condition_type() {
    let rules = fixture_rules();
    insta::glob!("fixtures/pipelines/good/*.yml", |path| {
        let pipe = sigc_pipeline::parse(&common::source(path)).expect("fixture pipeline parses");
        let vars = sigc_pipeline::merged_vars(std::slice::from_ref(&pipe), &Vars::new());
        insta::assert_snapshot!(apply_to(std::slice::from_ref(&pipe), &vars, &rules));
    });
}

/// `hashes_fields`: `Hashes`/`Hash` values split into one field per algorithm (grouped by field,
/// `|all` kept, values of other algorithms and non-string items left alone), and the located
/// error for an item whose values name no valid algorithm.
#[test]
fn hashes_fields_split_per_algorithm() {
    let dir = common::root().join("tests/fixtures/pipelines/hashes");
    let pipe = sigc_pipeline::parse(&common::source(&dir.join("pipeline.yml")))
        .unwrap_or_else(|e| panic!("{}", common::render(&e)));
    let vars = sigc_pipeline::merged_vars(std::slice::from_ref(&pipe), &Vars::new());
    let rules = common::yaml_files(&dir.join("rules"));
    insta::assert_snapshot!(apply_to(std::slice::from_ref(&pipe), &vars, &rules));
}

#[test]
fn bad_pipelines_give_located_errors() {
    let rules = fixture_rules();
    insta::glob!("fixtures/pipelines/bad/*.yml", |path| {
        let errors = match sigc_pipeline::parse(&common::source(path)) {
            Err(errors) => errors,
            Ok(pipe) => {
                let vars = sigc_pipeline::merged_vars(std::slice::from_ref(&pipe), &Vars::new());
                let mut errors = Vec::new();
                for rule_path in &rules {
                    for compiled in
                        sigc_compiler::compile_rules(&common::source(rule_path), "this test")
                    {
                        let mut rule = compiled.expect("fixture rules compile");
                        if let Err(e) =
                            sigc_pipeline::apply(std::slice::from_ref(&pipe), &vars, &mut rule)
                        {
                            errors.extend(e);
                        }
                    }
                }
                errors
            }
        };
        assert!(!errors.is_empty(), "a bad pipeline must fail");
        assert!(
            errors
                .iter()
                .all(|e| e.span.is_some() && e.source.is_some()),
            "every error is located"
        );
        insta::assert_snapshot!(common::render(&errors));
    });
}

#[test]
fn every_builtin_pipeline_parses() {
    for b in sigc_pipeline::builtins::BUILTIN {
        let p = b
            .load()
            .unwrap_or_else(|e| panic!("{}: {}", b.name, common::render(&e)));
        assert!(!p.items.is_empty(), "{} has items", b.name);
    }
}

/// The seed (MITRE CAR-2020-11-007) searches `(index=__your_sysmon_index__ EventCode=1)
/// ((Image="C:\\Windows\\System32\\net.exe" AND CommandLine="*delete*") OR
/// CommandLine="*Remove-SmbShare*" OR CommandLine="*Remove-FileShare*")`. The default pipeline
/// gives the same terms; SPL's implicit AND binds weaker than OR, so no outer parentheses are needed.
#[test]
fn t1070_005_with_the_default_pipeline_gives_the_seed_search() {
    let path = common::root().join(
        "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml",
    );
    let pipes = builtins(
        sigc_backends::target("splunk")
            .expect("splunk target")
            .default_pipelines(),
    );
    let backend = sigc_backends::target("splunk").expect("splunk target");
    let convert = |vars: &Vars| {
        let mut rule = sigc_compiler::compile_rules(&common::source(&path), "this test")
            .pop()
            .expect("one rule")
            .expect("rule compiles");
        sigc_pipeline::apply(&pipes, vars, &mut rule).expect("pipeline applies");
        backend.convert(&rule).expect("converts")
    };
    let vars = sigc_pipeline::merged_vars(&pipes, &Vars::new());
    assert_eq!(
        convert(&vars),
        [
            r#"index="__your_sysmon_index__" EventCode=1 (Image="C:\\Windows\\System32\\net.exe" CommandLine="*delete*") OR CommandLine="*Remove-SmbShare*" OR CommandLine="*Remove-FileShare*""#
        ]
    );
    let overrides = Vars::from([("sysmon_index".to_string(), vec!["main".to_string()])]);
    let vars = sigc_pipeline::merged_vars(&pipes, &overrides);
    assert!(convert(&vars)[0].starts_with(r#"index="main" EventCode=1 "#));
}

#[test]
fn pipelines_apply_by_priority_then_name() {
    let mut pipes = builtins(&["splunk_sysmon_acceleration", "splunk_windows", "sysmon"]);
    sigc_pipeline::order(&mut pipes);
    let names: Vec<&str> = pipes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["sysmon", "splunk_windows", "splunk_sysmon_acceleration"]
    );
}

/// The pySigma-style example pipeline shipped under `examples/` works unchanged.
#[test]
fn example_pipeline_file() {
    let path = common::root().join("examples/pipelines/ecs_windows.yml");
    let pipe = sigc_pipeline::parse(&common::source(&path))
        .unwrap_or_else(|e| panic!("{}", common::render(&e)));
    let vars = sigc_pipeline::merged_vars(std::slice::from_ref(&pipe), &Vars::new());
    insta::assert_snapshot!(apply_to(
        std::slice::from_ref(&pipe),
        &vars,
        &fixture_rules()
    ));
}

/// An oracle of `tests/fixtures/pipelines/pysigma/` (pySigma's output on the corpus rules a
/// pipeline applies to; its README says how it was made).
fn pysigma(oracle: &str) -> std::path::PathBuf {
    common::root()
        .join("tests/fixtures/pipelines/pysigma")
        .join(oracle)
}

#[test]
fn logpoint_o365_matches_pysigma() {
    check_file(
        &pysigma("logpoint_o365.jsonl"),
        "logpoint",
        &["logpoint_o365"],
        19,
    );
}

#[test]
fn logpoint_azure_matches_pysigma() {
    check_file(
        &pysigma("logpoint_azure.jsonl"),
        "logpoint",
        &["logpoint_azure"],
        123,
    );
}

#[test]
fn logpoint_linux_matches_pysigma() {
    check_file(
        &pysigma("logpoint_linux.jsonl"),
        "logpoint",
        &["logpoint_linux"],
        208,
    );
}

#[test]
fn windows_audit_matches_pysigma() {
    check_file(
        &pysigma("windows-audit.jsonl"),
        "splunk",
        &["windows-audit"],
        1548,
    );
}

/// `rule` (a rule's YAML) after the built-in `pipelines` for `target`: its queries, or its
/// rendered errors.
fn convert_text(target: &str, pipelines: &[&str], rule: &str) -> Result<Vec<String>, String> {
    let source = sigc_compiler::Source::new("rule.yml", rule);
    let rule = sigc_compiler::compile_rules(&source, "this test")
        .pop()
        .expect("one rule")
        .map_err(|e| common::render(&e))?;
    let plan = crate::conformance::plan(target, pipelines);
    match plan.convert(&std::sync::Arc::new(rule)) {
        Ok(c) => Ok(c.queries.iter().map(ToString::to_string).collect()),
        Err(e) => Err(common::render(&e)),
    }
}

/// The test expectations of pySigma-backend-logpoint 1.0.2 (tests/test_pipelines_o365.py,
/// test_pipelines_azure.py, test_pipelines_linux.py) and of pySigma-pipeline-windows 2.0.1
/// (tests/test_processing_pipelines_windows.py, its audit cases in Splunk text as sigma-cli 3.1
/// prints them with `-t splunk -p windows-audit -p windows-logsources`).
#[test]
fn package_pipelines_give_their_packages_expectations() {
    let rule = |logsource: &str, detection: &str| {
        format!(
            "title: Test\nstatus: test\nlogsource:\n{logsource}detection:\n{detection}  condition: sel\n"
        )
    };
    let cases: &[(&[&str], &str, String, &str)] = &[
        (
            &["logpoint_o365"],
            "logpoint",
            rule(
                "  product: m365\n  service: threat_management\n",
                "  sel:\n    eventName: 'Activity performed by terminated user'\n    eventSource: SecurityComplianceCenter\n    status: success\n",
            ),
            r#"norm_id="Office365" category="ThreatManagement" alert_name="Activity performed by terminated user" event_source="SecurityComplianceCenter" status="success""#,
        ),
        (
            &["logpoint_o365"],
            "logpoint",
            rule(
                "  product: m365\n  service: threat_management\n",
                "  sel:\n    ModifiedProperties.object.newValue: test\n    ModifiedProperties.object.item.displayName|startswith: test2\n",
            ),
            r#"norm_id="Office365" category="ThreatManagement" modified_property='*"object"*"newvalue": "test"*' modified_property='*"object"*"item"*"displayname": "test2*"*'"#,
        ),
        (
            &["logpoint_azure"],
            "logpoint",
            rule(
                "  product: azure\n  service: signinlogs\n",
                "  sel:\n    Status: Success\n    Location|contains: Nepal\n",
            ),
            r#"norm_id="AzureLogAnalytics" event_type="SigninLogs" status="Success" region="*Nepal*""#,
        ),
        (
            &["logpoint_azure"],
            "logpoint",
            rule(
                "  product: azure\n  service: activitylogs\n",
                "  sel:\n    CategoryValue: Administrative\n    ResourceProviderValue: rtest\n    ResourceId|contains: idtest\n    OperationNameValue: optest\n",
            ),
            r#"norm_id="MicrosoftAzure" event_category="Administrative" resource="rtest" resource_id="*idtest*" operation="optest""#,
        ),
        (
            &["logpoint_azure"],
            "logpoint",
            rule(
                "  product: azure\n  service: signinlogs\n",
                "  sel:\n    TargetResources.ModifiedProperties.DisplayName: StrongAuthenticationRequirement\n    TargetResources.ModifiedProperties.NewValue|startswith: State\n    TargetResources.ModifiedProperties|contains: test\n",
            ),
            r#"norm_id="AzureLogAnalytics" event_type="SigninLogs" target_modified_property='*"displayname": "StrongAuthenticationRequirement"*' target_modified_property='*"newvalue": "State*"*' target_modified_property="*test*""#,
        ),
        (
            &["logpoint_linux"],
            "logpoint",
            rule(
                "  product: linux\n  service: auditd\n",
                "  sel:\n    type: EXECVE\n    proctitle: /usr/bin/test\n    auid: 1000\n",
            ),
            r#"event_type="EXECVE" command="/usr/bin/test" audit_user_id=1000"#,
        ),
        (
            &["logpoint_linux"],
            "logpoint",
            rule(
                "  product: linux\n  category: process_creation\n",
                "  sel:\n    Image: /usr/bin/test\n    CommandLine: test arg\n",
            ),
            r#""process"="/usr/bin/test" command="test arg""#,
        ),
        (
            &["logpoint_linux"],
            "logpoint",
            rule("  product: linux\n", "  sel:\n    SomeField: test\n"),
            r#"some_field="test""#,
        ),
        (
            &["windows-audit", "windows-logsources"],
            "splunk",
            rule(
                "  product: windows\n  category: process_creation\n",
                "  sel:\n    Image: cmd.exe\n    ParentImage: w3p.exe\n",
            ),
            r#"Channel="Security" EventID=4688 NewProcessName="cmd.exe" ParentProcessName="w3p.exe""#,
        ),
        (
            &["windows-audit", "windows-logsources"],
            "splunk",
            rule(
                "  product: windows\n  category: registry_event\n",
                "  sel:\n    ObjectName: test\n",
            ),
            r#"Channel="Security" EventID=4657 OperationType IN ("New registry value created", "Existing registry value modified") ObjectName="test""#,
        ),
        (
            &["windows-audit", "windows-logsources"],
            "splunk",
            rule(
                "  product: windows\n  category: registry_set\n",
                "  sel:\n    Image|endswith: powershell.exe\n    TargetObject|contains: CurrentVersion\n    Details: evil.exe\n",
            ),
            r#"Channel="Security" EventID=4657 OperationType="Existing registry value modified" ProcessName="*powershell.exe" ObjectName="*CurrentVersion*" NewValue="evil.exe""#,
        ),
    ];
    for (pipelines, target, rule, expected) in cases {
        assert_eq!(
            convert_text(target, pipelines, rule),
            Ok(vec![expected.to_string()]),
            "{pipelines:?}\n{rule}"
        );
    }
    // event 4657 has no EventType: a located error, as pySigma's SigmaTransformationError
    let err = convert_text(
        "splunk",
        &["windows-audit", "windows-logsources"],
        &rule(
            "  product: windows\n  category: registry_add\n",
            "  sel:\n    EventType: CreateKey\n    TargetObject|contains: Run\n",
        ),
    )
    .expect_err("EventType is refused");
    assert!(
        err.starts_with("rule.yml:8:16: error[pipeline_failure]")
            && err.contains("no equivalent in Windows Security event 4657"),
        "{err}"
    );
}

/// `sigc list pipelines TARGET` lists the package pipelines for the targets they allow.
#[test]
fn package_pipelines_are_listed_for_their_targets() {
    let listed = |target: &str| {
        let out = common::run(&["list", "pipelines", target], None);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        text.lines()
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect::<Vec<_>>()
    };
    let (logpoint, splunk) = (listed("logpoint"), listed("splunk"));
    for name in ["logpoint_o365", "logpoint_azure", "logpoint_linux"] {
        assert!(logpoint.iter().any(|l| l == name), "{name} for logpoint");
        assert!(!splunk.iter().any(|l| l == name), "{name} not for splunk");
    }
    assert!(logpoint.iter().any(|l| l == "windows-audit"));
    assert!(splunk.iter().any(|l| l == "windows-audit"));
}

/// pySigma's `logpoint_defer_contains` changes the LogPoint backend's output, which sigc does not
/// implement: naming it is an error that says so, never a run without it.
#[test]
fn logpoint_defer_contains_is_refused_with_its_reason() {
    let rule = "tests/fixtures/pipelines/rules/process.yml";
    let out = common::run(
        &[
            "convert",
            "-t",
            "logpoint",
            "-p",
            "logpoint_defer_contains",
            rule,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("pySigma's pipeline `logpoint_defer_contains` is not built into sigc"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
