//! Processing pipelines: one fixture per transformation and condition type, the seed's Splunk
//! search from the default pipeline and the built-in pipelines. (Conformance with pySigma's
//! pipelines on the SigmaHQ corpus is in `conformance_splunk` and `conformance_logpoint`.)

use crate::common;
use crate::conformance::builtins;
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
