//! The registry: each target's declared facts, and that they hold.

use crate::format::{DEFAULT, Layout};
use crate::text::UNSUPPORTED;
use crate::{Plan, Target, convert, target, targets};
use sigc_compiler::{RuleSet, Source};
use sigc_pipeline::{Vars, builtins};
use std::sync::Arc;

/// The seed rule (MITRE CAR-2020-11-007), which every target converts with its defaults.
const SEED: &str = include_str!(
    "../../rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml"
);

fn names(t: &dyn Target) -> Vec<&'static str> {
    t.formats().iter().map(|f| f.name).collect()
}

#[test]
fn each_target_declares_its_facts() {
    let facts: Vec<_> = targets()
        .iter()
        .map(|t| (t.name(), t.extension(), t.default_pipelines(), names(*t)))
        .collect();
    assert_eq!(
        facts,
        [
            (
                "splunk",
                "spl",
                &["splunk_sysmon_native"][..],
                vec!["default", "savedsearches", "data_model", "json"]
            ),
            (
                "logpoint",
                "lp",
                &["logpoint_native"][..],
                vec!["default", "json"]
            ),
            (
                "car",
                "car",
                &["car"][..],
                vec!["default", "json", "car-analytic", "car-page"]
            ),
        ]
    );
}

#[test]
fn a_target_is_found_by_its_name_only() {
    for t in targets() {
        assert_eq!(target(t.name()).map(|found| found.name()), Some(t.name()));
        assert!(!t.description().is_empty());
    }
    assert!(target("Splunk").is_none());
    assert!(target("").is_none());
}

#[test]
fn default_pipelines_are_built_in_and_meant_for_their_target() {
    for t in targets() {
        for name in t.default_pipelines() {
            let p = builtins::builtin(name)
                .unwrap_or_else(|| panic!("{}: `{name}` is built in", t.name()))
                .load()
                .expect("it parses");
            assert!(
                p.allowed_backends.is_empty() || p.allowed_backends.iter().any(|b| b == t.name()),
                "{}: `{name}` is meant for {:?}",
                t.name(),
                p.allowed_backends
            );
        }
        assert!(Plan::defaults(t).is_ok(), "{}", t.name());
    }
}

/// Each example (the last document of its text, a rule or a correlation) is refused, located,
/// converted without any pipeline.
#[test]
fn every_declared_limitation_is_a_located_refusal() {
    for t in targets() {
        assert!(!t.limitations().is_empty(), "{}", t.name());
        let plan = Plan::new(t, Vec::new(), &Vars::new(), Layout::Builtin(&DEFAULT));
        for l in t.limitations() {
            let text = format!("title: limitation\n{}\n", l.example);
            let source = Source::new("limitation.yml", text);
            let documents = sigc_compiler::compile(&source)
                .into_iter()
                .map(|d| {
                    d.unwrap_or_else(|e| panic!("{}: `{}` compiles: {}", t.name(), l.what, e[0]))
                })
                .collect();
            let set = RuleSet::resolve(documents);
            let errors = convert(&set, &plan)
                .pop()
                .expect("one document or more")
                .err()
                .unwrap_or_else(|| panic!("{} refuses {}", t.name(), l.what));
            let e = &errors[0];
            assert_eq!(e.code, UNSUPPORTED, "{}: {}: {e}", t.name(), l.what);
            let at = e.location().unwrap_or_default();
            assert!(
                at.starts_with("limitation.yml:"),
                "{}: {}: {e}",
                t.name(),
                l.what
            );
        }
    }
}

#[test]
fn every_declared_format_renders_the_seed() {
    let rule = Arc::new(
        sigc_compiler::compile_rules(&Source::new("seed.yml", SEED), "this test")
            .pop()
            .expect("one rule")
            .expect("it compiles"),
    );
    for t in targets() {
        for f in t.formats() {
            // The data model format needs the pipeline that chooses one (`-p splunk_cim`).
            let pipelines = if f.name == "data_model" {
                vec![builtins::builtin("splunk_cim").unwrap().load().unwrap()]
            } else {
                crate::plan::default_pipelines(t).expect("defaults load")
            };
            let plan = Plan::new(t, pipelines, &Vars::new(), Layout::Builtin(f));
            let converted = plan
                .convert(&rule)
                .unwrap_or_else(|e| panic!("{} {}: {}", t.name(), f.name, e[0]));
            let text = plan
                .render(&[converted])
                .unwrap_or_else(|e| panic!("{} {}: {e}", t.name(), f.name));
            assert!(
                text.contains("Remove-SmbShare"),
                "{} {}: {text}",
                t.name(),
                f.name
            );
            assert_eq!(t.format(f.name).map(|g| g.name), Some(f.name));
        }
        assert!(t.format("xml").is_none());
    }
}
