//! Correlation rules converted by every target: pySigma's Splunk text where pySigma writes the
//! type (recorded in tests/fixtures/correlations/pysigma/), snapshots of every target and type,
//! located refusals, the command line's `-c`, formats and export, and escaping of the names a
//! correlation writes.

use crate::common;
use proptest::prelude::*;
use sigc_backends::format::Layout;
use sigc_backends::{Outcome, Plan, convert};
use sigc_compiler::{RuleSet, Source};
use sigc_pipeline::{Vars, builtins};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures").join(name)
}

/// The documents of `sources`, their references resolved across them.
fn rule_set(sources: &[Arc<Source>]) -> RuleSet {
    let documents = sources
        .iter()
        .flat_map(sigc_compiler::compile)
        .map(|d| d.unwrap_or_else(|e| panic!("the fixture compiles: {}", e[0])))
        .collect();
    RuleSet::resolve(documents)
}

/// A plan for `target` with `pipelines` (built-in names; none at all when empty) and `format`.
fn plan(target: &str, pipelines: &[&str], format: &str) -> Plan {
    let t = sigc_backends::target(target).expect("a target");
    let pipelines = pipelines
        .iter()
        .map(|p| {
            builtins::builtin(p)
                .expect("built in")
                .load()
                .expect("loads")
        })
        .collect();
    Plan::new(
        t,
        pipelines,
        &Vars::new(),
        Layout::Builtin(t.format(format).expect("a format")),
    )
}

/// What each document of `path` became through `plan`.
fn outcomes(path: &Path, plan: &Plan) -> Vec<Outcome> {
    convert(&rule_set(&[common::source(path)]), plan)
}

/// The queries written on their own, as sigma-cli prints them (a blank line between two).
fn written(outcomes: &[Outcome]) -> String {
    let queries: Vec<String> = outcomes
        .iter()
        .map(|o| {
            o.as_ref()
                .unwrap_or_else(|e| panic!("{}", common::render(e)))
        })
        .filter(|c| c.output)
        .flat_map(|c| c.queries.iter().map(ToString::to_string))
        .collect();
    format!("{}\n", queries.join("\n\n"))
}

fn pysigma(name: &str) -> String {
    std::fs::read_to_string(fixture("correlations/pysigma").join(name)).expect("recorded")
}

/// pySigma's text for `event_count`, `value_count` and `temporal`, with one rule or several,
/// aliases, `generate`, a correlation of a correlation, every operator, a month timespan,
/// deferred regexes and a condition list.
#[test]
fn splunk_writes_pysigmas_text() {
    let cases = [
        (
            "documents/correlation_failed_logons.yml",
            "failed_logons.spl",
        ),
        ("correlations/aliases.yml", "aliases.spl"),
        ("correlations/chained.yml", "chained.spl"),
        ("correlations/operators.yml", "operators.spl"),
        ("correlations/deferred.yml", "deferred.spl"),
    ];
    let plan = plan("splunk", &[], "default");
    for (input, expected) in cases {
        assert_eq!(
            written(&outcomes(&fixture(input), &plan)),
            pysigma(expected),
            "{input}"
        );
    }
    let windows = plan_with_windows();
    assert_eq!(
        written(&outcomes(
            &fixture("documents/correlation_failed_logons.yml"),
            &windows
        )),
        pysigma("failed_logons_splunk_windows.spl")
    );
}

fn plan_with_windows() -> Plan {
    plan("splunk", &["splunk_windows"], "default")
}

#[test]
fn splunk_savedsearches_are_pysigmas() {
    let plan = plan("splunk", &[], "savedsearches");
    let outcomes = outcomes(&fixture("documents/correlation_failed_logons.yml"), &plan);
    let converted: Vec<_> = outcomes.into_iter().map(|o| o.expect("converts")).collect();
    let text = plan.render(&converted).expect("renders");
    assert_eq!(text, pysigma("failed_logons.conf"));
}

/// Every fixture for every target with its default pipelines: the queries written, `(used by a
/// correlation)` for a rule written only as part of one, or the located errors.
#[test]
fn every_target_and_type() {
    insta::glob!("fixtures/correlations/*.yml", |path| {
        let mut out = String::new();
        for t in sigc_backends::targets() {
            out.push_str(&format!("--- {}\n", t.name()));
            let plan = Plan::defaults(t).expect("defaults load");
            for outcome in outcomes(path, &plan) {
                match outcome {
                    Ok(c) if !c.output => out.push_str(&format!(
                        "({} used by a correlation only)\n",
                        c.meta().title
                    )),
                    Ok(c) => {
                        for q in c.queries.iter() {
                            out.push_str(&format!("{q}\n\n"));
                        }
                    }
                    Err(errors) => out.push_str(&common::render(&errors)),
                }
            }
        }
        insta::assert_snapshot!(out);
    });
}

/// The located errors of `text` (named `name`) for `target` without pipelines, per document.
fn errors(name: &str, text: &str, target: &str, format: &str) -> Vec<String> {
    let source = Source::new(name, text.to_string());
    convert(&rule_set(&[source]), &plan(target, &[], format))
        .into_iter()
        .filter_map(Result::err)
        .flatten()
        .map(|d| {
            assert!(d.span.is_some() && d.source.is_some(), "located: {d}");
            d.to_string()
        })
        .collect()
}

const BASE: &str = "title: base\nname: base\nlogsource: {product: windows}\ndetection: {sel: {A: x}, condition: sel}\n";

#[test]
fn logpoint_refuses_each_correlation_at_its_type() {
    let text = format!(
        "{BASE}---\ntitle: c\ncorrelation:\n  type: event_count\n  rules: [base]\n  timespan: 1h\n  condition: {{gte: 2}}\n"
    );
    let e = errors("lp.yml", &text, "logpoint", "default");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("lp.yml:8:9: error[unsupported_feature]: `event_count` correlations cannot be written for LogPoint"),
        "{}",
        e[0]
    );
}

#[test]
fn a_correlation_inside_multisearch_is_refused_at_its_reference() {
    let text = format!(
        "{BASE}---\ntitle: inner\nname: inner\ncorrelation: {{type: event_count, rules: [base], timespan: 1h, condition: {{gte: 2}}}}\n---\ntitle: outer\ncorrelation:\n  type: temporal\n  rules:\n    - base\n    - inner\n  timespan: 1d\n"
    );
    let e = errors("nested.yml", &text, "splunk", "default");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("nested.yml:15:7: error[unsupported_feature]: `inner` is a correlation"),
        "{}",
        e[0]
    );
}

#[test]
fn a_correlation_over_a_failed_rule_says_which() {
    let text = "title: base\nname: base\nlogsource: {product: windows}\ndetection: {sel: {A|cased: x}, condition: sel}\n---\ntitle: c\ncorrelation:\n  type: event_count\n  rules: [base]\n  timespan: 1h\n  condition: {gte: 2}\n";
    let e = errors("failed.yml", text, "splunk", "default");
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].contains("error[unsupported_feature]"), "{}", e[0]);
    assert!(
        e[1].starts_with("failed.yml:9:11: error[reference_failed]: `base` did not convert"),
        "{}",
        e[1]
    );
}

#[test]
fn formats_of_rules_only_refuse_correlations_at_their_key() {
    let text = format!(
        "{BASE}---\ntitle: c\ncorrelation: {{type: event_count, rules: [base], timespan: 1h, condition: {{gte: 2}}}}\n"
    );
    for (target, format) in [
        ("splunk", "data_model"),
        ("car", "car-analytic"),
        ("car", "car-page"),
    ] {
        let e = errors("formats.yml", &text, target, format);
        let refusal = e.last().expect("refused");
        assert!(
            refusal.starts_with("formats.yml:7:1: error[unsupported_format]")
                && refusal.contains("not correlations"),
            "{target} {format}: {refusal}"
        );
    }
}

#[test]
fn value_types_need_one_field() {
    let text = format!(
        "{BASE}---\ntitle: c\ncorrelation:\n  type: value_sum\n  rules: [base]\n  timespan: 1h\n  condition: {{field: [a, b], gt: 2}}\n"
    );
    let e = errors("fields.yml", &text, "splunk", "default");
    assert!(
        e[0].starts_with(
            "fields.yml:11:26: error[unsupported_feature]: `value_sum` over several fields"
        ),
        "{e:?}"
    );
}

/// The Splunk plan of sigma-cli's `-p <file>`: the pipeline `source` alone.
fn plan_with_pipeline(source: &Arc<Source>) -> Plan {
    let pipeline =
        sigc_pipeline::parse(source).unwrap_or_else(|e| panic!("{}", common::render(&e)));
    let t = sigc_backends::target("splunk").expect("a target");
    Plan::new(
        t,
        vec![pipeline],
        &Vars::new(),
        Layout::Builtin(t.format("default").expect("a format")),
    )
}

/// A pipeline's field names reach the correlations as pySigma's: `group-by` mapped (one name to
/// two gives two), an alias kept while its fields are mapped, the condition's `field` mapped, an
/// item gated by a log source that no referenced rule has left out, and one gated by
/// `is_sigma_correlation_rule` and `include_fields` applied to the correlations only.
#[test]
fn pipeline_field_names_reach_correlations_as_pysigmas() {
    let plan = plan_with_pipeline(&common::source(&fixture(
        "correlations/pipelines/mapped.yml",
    )));
    assert_eq!(
        written(&outcomes(&fixture("correlations/mapped.yml"), &plan)),
        pysigma("mapped.spl")
    );
}

/// A mapping of an alias's field to several names is a located error at that field (pySigma
/// refuses it too), and so is one of the condition's `field`.
#[test]
fn a_one_to_many_mapping_of_an_alias_or_condition_field_is_located() {
    let pipeline = Source::new(
        "many_pipeline.yml",
        "name: many\ntransformations:\n  - id: many\n    type: field_name_mapping\n    mapping: {B: [b1, b2], V: [v1, v2]}\n".to_string(),
    );
    let plan = plan_with_pipeline(&pipeline);
    let text = format!(
        "{BASE}---\ntitle: c\ncorrelation:\n  type: temporal\n  rules: [base]\n  aliases: {{h: {{base: B}}}}\n  group-by: [h]\n  timespan: 1h\n---\ntitle: d\ncorrelation:\n  type: value_count\n  rules: [base]\n  group-by: [A]\n  timespan: 1h\n  condition: {{field: V, gt: 2}}\n"
    );
    let errors: Vec<String> = convert(&rule_set(&[Source::new("many.yml", text)]), &plan)
        .into_iter()
        .filter_map(Result::err)
        .flatten()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "many.yml:10:23: error[pipeline_error]: pipeline `many` item `many` maps `B` to several fields (b1 or b2), but an alias names one field per rule in a correlation",
            "many.yml:20:22: error[pipeline_error]: pipeline `many` item `many` maps `V` to several fields (v1 or v2), but a condition's `field` is one field in a correlation",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Command line

fn run(args: &[&str]) -> std::process::Output {
    let cmd = common::sigc_command(&common::root(), args);
    common::run_command(cmd, None, common::HANG_GUARD)
}

const FAILED_LOGONS: &str = "tests/fixtures/documents/correlation_failed_logons.yml";

#[test]
fn correlation_method_selects_and_unknown_is_a_usage_error() {
    let out = run(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        "-c",
        "stats",
        FAILED_LOGONS,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("| stats count as event_count"));
    let out = run(&[
        "convert",
        "-t",
        "splunk",
        "-c",
        "transaction",
        FAILED_LOGONS,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: unknown correlation method `transaction` for target `splunk`; methods: stats\n"
    );
    let out = run(&["convert", "-t", "logpoint", "-c", "stats", FAILED_LOGONS]);
    assert_eq!(out.status.code(), Some(2));
    // One command for several targets: a target without the method keeps its own.
    let dir = tempfile::tempdir().expect("temporary directory");
    let dir_arg = dir.path().to_str().expect("UTF-8 path");
    let out = run(&[
        "convert",
        "-t",
        "splunk",
        "-t",
        "car",
        "-c",
        "stats",
        "-o",
        dir_arg,
        FAILED_LOGONS,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_carries_correlations() {
    let out = run(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        "-f",
        "json",
        FAILED_LOGONS,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let titles: Vec<&str> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["title"].as_str().expect("a title"))
        .collect();
    assert_eq!(
        titles,
        [
            "Many Failed Logons For One User",
            "Password Spray From One Source",
            "Successful Logon After Failed Logons"
        ]
    );
    assert!(
        json[2]["queries"][0]
            .as_str()
            .expect("a query")
            .starts_with(
                "| multisearch\n[ search EventID=4625 | eval event_type=\"failed_logon\" ]"
            )
    );
}

#[test]
fn export_writes_correlations_and_says_which_rules_they_use() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let dir_arg = format!("{}/", dir.path().display());
    let out = run(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        "-o",
        &dir_arg,
        FAILED_LOGONS,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.path().join("splunk/correlation_failed_logons.spl"))
        .expect("exported");
    // The default format sets each correlation apart with a blank line, as sigma-cli does.
    assert_eq!(written, pysigma("failed_logons.spl"));
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    let statuses: Vec<(&str, &str)> = manifest["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["title"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Failed Logon", "referenced"),
            ("Successful Logon", "referenced"),
            ("Many Failed Logons For One User", "converted"),
            ("Password Spray From One Source", "converted"),
            ("Successful Logon After Failed Logons", "converted"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Escaping

/// The stages of an SPL query: its `|` outside double-quoted strings (where `\` escapes).
fn stages(spl: &str) -> usize {
    let (mut quoted, mut escaped, mut pipes) = (false, false, 0);
    for c in spl.chars() {
        match (quoted, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => quoted = !quoted,
            (false, _, '|') => pipes += 1,
            _ => {}
        }
    }
    assert!(!quoted, "a string left open: {spl}");
    pipes
}

/// A `temporal_ordered` correlation of rules `rule` and `b`, grouped by `group` and by alias
/// `alias` of `field`.
fn named(rule: &str, group: &str, alias: &str, field: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a JSON string is a YAML scalar");
    format!(
        "title: a\nname: {}\nlogsource: {{product: windows}}\ndetection: {{sel: {{A: x}}, condition: sel}}\n---\n\
         title: b\nname: b\nlogsource: {{product: windows}}\ndetection: {{sel: {{B: y}}, condition: sel}}\n---\n\
         title: c\ncorrelation:\n  type: temporal_ordered\n  rules: [{}, b]\n  group-by: [{}, {}]\n  timespan: 1h\n  aliases:\n    {}:\n      {}: {}\n      b: {}\n",
        q(rule),
        q(rule),
        q(group),
        q(alias),
        q(alias),
        q(rule),
        q(field),
        q(field)
    )
}

/// The correlation's query, if the names compile and convert.
fn splunk_correlation(text: &str) -> Option<String> {
    let documents = sigc_compiler::compile(&Source::new("names.yml", text.to_string()))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let set = RuleSet::resolve(documents);
    let c = convert(&set, &plan("splunk", &[], "default")).pop()?;
    c.ok().map(|c| c.queries[0].to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the rule, group-by, alias and field names, the query has the stages of one with
    /// plain names: a name is written quoted or refused, never as SPL.
    #[test]
    fn names_cannot_add_a_stage(
        rule in "[ -~]{1,12}",
        group in "[ -~]{1,12}",
        alias in "[ -~|\"\\\\\\[\\]]{1,12}",
        field in "[a-z|\" \\\\]{1,8}",
    ) {
        let plain = splunk_correlation(&named("a", "g", "h", "f")).expect("plain names convert");
        if let Some(spl) = splunk_correlation(&named(&rule, &group, &alias, &field)) {
            prop_assert_eq!(stages(&spl), stages(&plain), "{}", spl);
        }
    }
}

#[test]
fn the_stage_count_sees_a_name_written_bare() {
    let plain = splunk_correlation(&named("a", "g", "h", "f")).unwrap();
    assert_eq!(stages(&plain), stages(&format!("{plain} | delete")) - 1);
    assert_eq!(stages("a=\"x | y\" | b"), 1);
}

/// A chain of correlations deeper than the limit is refused at the reference that crosses it;
/// the chain below it converts.
#[test]
fn a_correlation_chain_is_bounded() {
    let depth = sigc_compiler::limits::MAX_CORRELATION_DEPTH;
    let mut text = BASE.to_string();
    let mut below = "base".to_string();
    for i in 1..=depth + 1 {
        text.push_str(&format!(
            "---\ntitle: c{i}\nname: c{i}\ncorrelation: {{type: event_count, rules: [{below}], timespan: 1h, condition: {{gte: 1}}}}\n"
        ));
        below = format!("c{i}");
    }
    let set = rule_set(&[Source::new("chain.yml", text)]);
    let outcomes = convert(&set, &plan("splunk", &[], "default"));
    assert!(outcomes[..=depth].iter().all(Result::is_ok));
    let e = outcomes[depth + 1].as_ref().err().expect("refused");
    assert!(
        e[0].to_string().starts_with(&format!(
            "chain.yml:{}:42: error[limit_exceeded]",
            4 + 4 * (depth + 1)
        )),
        "{}",
        e[0]
    );
}
