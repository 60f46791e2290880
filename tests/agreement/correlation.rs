//! Correlation agreement: for generated correlations over two base rules (`EventID: 1`,
//! `EventID: 2`) and generated streams of timestamped events, the Splunk query sigc writes
//! (interpreted by [`super::spl_stats`]) and the evaluator's correlator (`sigc test`) fire for the
//! same groups in the same windows. Types: `event_count`, `value_count`, `temporal`,
//! `value_sum`, `value_avg`, `value_percentile`, `temporal_ordered`.
//!
//! Cases: `SIGC_CORRELATION_AGREEMENT_CASES` (default 200).

use super::spl_stats::{self, Firing};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};
use sigc_backends::format::Layout;
use sigc_backends::{Plan, Subject, convert};
use sigc_compiler::ir::Document;
use sigc_compiler::{DocId, RuleSet, Source};
use sigc_eval::{Correlator, JsonEvent, Matcher, TimestampFields};
use sigc_pipeline::Vars;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// 2024-01-02T00:00:00Z, the generated events' first second.
const BASE: i64 = 1_704_153_600;

/// The two base rules, named `first` and `second`.
const BASE_RULES: &str = "\
title: First
name: first
logsource: {product: windows}
detection: {selection: {EventID: 1}, condition: selection}
---
title: Second
name: second
logsource: {product: windows}
detection: {selection: {EventID: 2}, condition: selection}
";

const TYPES: &[&str] = &[
    "event_count",
    "value_count",
    "temporal",
    "value_sum",
    "value_avg",
    "value_percentile",
    "temporal_ordered",
];
const OPERATORS: &[&str] = &["gt", "gte", "lt", "lte", "eq", "neq"];
const TIMESPANS: &[&str] = &["10s", "30s", "1m"];

/// A generated correlation.
#[derive(Debug, Clone)]
struct Correlation {
    kind: &'static str,
    rules: Vec<&'static str>,
    group_by: Vec<&'static str>,
    timespan: &'static str,
    operator: &'static str,
    count: u32,
    /// For `value_percentile`.
    percentile: u32,
}

impl Correlation {
    fn yaml(&self) -> String {
        let field = match self.kind {
            "event_count" | "temporal" | "temporal_ordered" => String::new(),
            "value_percentile" => format!(
                "\n        field: Port\n        percentile: {}",
                self.percentile
            ),
            _ => "\n        field: Port".to_string(),
        };
        let group_by = if self.group_by.is_empty() {
            String::new()
        } else {
            format!("\n    group-by: [{}]", self.group_by.join(", "))
        };
        format!(
            "{BASE_RULES}---\ntitle: Correlated\ncorrelation:\n    type: {}\n    rules: [{}]{group_by}\n    timespan: {}\n    condition:\n        {}: {}{field}\n",
            self.kind,
            self.rules.join(", "),
            self.timespan,
            self.operator,
            self.count
        )
    }
}

fn correlation() -> impl Strategy<Value = Correlation> {
    let rules = prop_oneof![
        Just(vec!["first"]),
        Just(vec!["second", "first"]),
        Just(vec!["first", "second"]),
    ];
    let group_by = prop_oneof![Just(vec![]), Just(vec!["User"]), Just(vec!["User", "Host"]),];
    (
        select(TYPES),
        rules,
        group_by,
        select(TIMESPANS),
        select(OPERATORS),
        0u32..5,
        select(&[1u32, 25, 50, 51, 75, 99][..]),
    )
        .prop_map(
            |(kind, rules, group_by, timespan, operator, count, percentile)| Correlation {
                kind,
                rules,
                group_by,
                timespan,
                operator,
                // Sums grow faster than counts.
                count: if kind == "value_sum" {
                    count * 3
                } else {
                    count
                },
                percentile,
            },
        )
}

/// An event within the first three minutes: its offset from [`BASE`] and its fields, some of
/// which it may lack.
fn event() -> impl Strategy<Value = (i64, Map<String, Value>)> {
    (
        0i64..180,
        1u32..4,
        prop::option::weighted(0.9, select(&["alice", "bob"][..])),
        prop::option::weighted(0.9, select(&["h1", "h2"][..])),
        prop::option::weighted(0.8, 0u32..4),
    )
        .prop_map(|(offset, id, user, host, port)| {
            let mut fields = Map::new();
            fields.insert(
                "@timestamp".into(),
                json!(format!(
                    "2024-01-02T00:{:02}:{:02}Z",
                    offset / 60,
                    offset % 60
                )),
            );
            fields.insert("EventID".into(), json!(id));
            for (name, value) in [
                ("User", user.map(|u| json!(u))),
                ("Host", host.map(|h| json!(h))),
                ("Port", port.map(|p| json!(p))),
            ] {
                if let Some(value) = value {
                    fields.insert(name.into(), value);
                }
            }
            (BASE + offset, fields)
        })
}

/// The documents of `yaml`, references resolved.
fn rule_set(yaml: &str) -> RuleSet {
    let compiled =
        sigc_compiler::compile(&Source::new("generated.yml".to_string(), yaml.to_string()));
    for doc in &compiled {
        assert!(doc.is_ok(), "{yaml}\n{doc:?}");
    }
    let (set, _) = RuleSet::from_files(vec![compiled]);
    assert_eq!(set.diagnostics().count(), 0, "{yaml}");
    set
}

/// The Splunk query of the correlation of `set`, written without pipelines.
fn splunk_query(set: &RuleSet) -> String {
    let target = sigc_backends::target("splunk").expect("splunk");
    let plan = Plan::new(
        target,
        Vec::new(),
        &Vars::new(),
        Layout::Builtin(target.format("default").expect("a format")),
    );
    convert(set, &plan)
        .into_iter()
        .map(|o| o.unwrap_or_else(|e| panic!("converts: {e:?}")))
        .find(|c| matches!(c.subject, Subject::Correlation(_)))
        .expect("a correlation")
        .queries[0]
        .to_string()
}

/// The evaluator's firings of the correlation of `set` over `events`, window starts in seconds.
fn evaluated(set: &RuleSet, events: &[(i64, Map<String, Value>)]) -> BTreeSet<Firing> {
    let rules: Vec<(DocId, Matcher)> = set
        .documents()
        .filter_map(|(id, doc)| match doc {
            Document::Rule(rule) => Some((id, Matcher::new(rule).expect("matcher"))),
            Document::Correlation(_) | Document::Filter(_) => None,
        })
        .collect();
    let number = |id: DocId| rules.iter().position(|(d, _)| *d == id);
    let (mut correlator, refused) = Correlator::new(set, number, TimestampFields::default());
    assert!(refused.is_empty(), "{refused:?}");
    for (_, fields) in events {
        let event = Value::Object(fields.clone());
        let matched: Vec<usize> = (0..rules.len())
            .filter(|&i| rules[i].1.matches(&JsonEvent::new(&event)))
            .collect();
        let records = correlator.observe(&event, &matched).expect("a timestamp");
        correlator.add(records);
    }
    correlator
        .finish()
        .into_iter()
        .map(|f| (f.group, f.window.start.div_euclid(1_000_000)))
        .collect()
}

fn cases() -> u32 {
    std::env::var("SIGC_CORRELATION_AGREEMENT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

#[test]
fn splunk_stats_and_the_evaluator_fire_alike() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (correlation(), prop::collection::vec(event(), 0..14));
    let fired = AtomicUsize::new(0);
    runner
        .run(&strategy, |(correlation, events)| {
            let yaml = correlation.yaml();
            let set = rule_set(&yaml);
            let query = splunk_query(&set);
            let splunk = spl_stats::firings(&query, &events).map_err(TestCaseError::fail)?;
            let evaluator = evaluated(&set, &events);
            prop_assert_eq!(&splunk, &evaluator, "\n{}\n{}", yaml, query);
            if !splunk.is_empty() {
                fired.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    // Both outcomes occur, so the agreement says something.
    let fired = fired.into_inner();
    assert!(fired > 0 && fired < cases() as usize, "{fired} cases fired");
}
