//! Correlation rules evaluated over timestamped events (`sigc test`): each type fires exactly
//! where its events say it should, in Splunk's tumbling windows (docs/compat.md, "Correlation
//! evaluation"), and not one event short, one second past the window or out of order.

use crate::common;
use serde_json::{Value, json};
use sigc_compiler::ir::Document;
use sigc_compiler::{DocId, RuleSet};
use sigc_eval::{
    Correlator, JsonEvent, Matcher, TimestampFields, format_instant, number_text,
    run_sequence_cases,
};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    common::root()
        .join("tests/fixtures/correlation_eval")
        .join(name)
}

/// The run's documents: the base rules and the named fixtures, resolved together.
fn resolve(files: &[&str]) -> RuleSet {
    let compiled = ["base_rules.yml"]
        .iter()
        .chain(files)
        .map(|f| {
            let file = sigc_compiler::compile(&common::source(&fixture(f)));
            for doc in &file {
                assert!(doc.is_ok(), "{f}: {doc:?}");
            }
            file
        })
        .collect();
    let (set, _) = RuleSet::from_files(compiled);
    assert_eq!(
        set.diagnostics().count(),
        0,
        "{:?}",
        set.diagnostics().collect::<Vec<_>>()
    );
    set
}

/// Each firing of the correlations of `files` over `events` (in that order), as
/// `title: group window = value`.
fn fire(files: &[&str], events: &[Value]) -> Vec<String> {
    let set = resolve(files);
    let rules = matchers(&set);
    let mut correlator = correlator(&set, &rules);
    for event in events {
        let records = correlator
            .observe(event, &matched(&rules, event))
            .expect("a timestamp");
        correlator.add(records);
    }
    correlator
        .finish()
        .iter()
        .map(|f| {
            let group: Vec<String> = f.group.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!(
                "{}: {} {}–{} = {}",
                correlator.correlation(f.correlation).meta.title,
                group.join(" "),
                format_instant(f.window.start),
                format_instant(f.window.end),
                number_text(f.value)
            )
        })
        .collect()
}

/// A matcher for each rule of `set`, by document.
fn matchers(set: &RuleSet) -> Vec<(DocId, Matcher)> {
    set.documents()
        .filter_map(|(id, doc)| match doc {
            Document::Rule(rule) => Some((id, Matcher::new(rule).expect("matcher"))),
            Document::Correlation(_) | Document::Filter(_) => None,
        })
        .collect()
}

/// A correlator of every correlation of `set`, over `rules` (numbered in that order).
fn correlator(set: &RuleSet, rules: &[(DocId, Matcher)]) -> Correlator {
    let number = |id: DocId| rules.iter().position(|(d, _)| *d == id);
    let (correlator, refused) = Correlator::new(set, number, TimestampFields::default());
    assert!(refused.is_empty(), "{refused:?}");
    correlator
}

/// The numbers of the `rules` that match `event`.
fn matched(rules: &[(DocId, Matcher)], event: &Value) -> Vec<usize> {
    (0..rules.len())
        .filter(|&i| rules[i].1.matches(&JsonEvent::new(event)))
        .collect()
}

/// A Security event `id` of `user` at `2024-01-02T<time>Z`.
fn logon(id: u32, user: &str, time: &str) -> Value {
    json!({
        "@timestamp": format!("2024-01-02T{time}Z"),
        "Channel": "Security",
        "EventID": id,
        "User": user,
        "IpAddress": "10.0.0.1",
    })
}

fn failed(user: &str, time: &str) -> Value {
    logon(4625, user, time)
}

fn upload(src: &str, bytes: u64, time: &str) -> Value {
    json!({"@timestamp": format!("2024-01-02T{time}Z"), "cs-method": "POST", "src_ip": src, "bytes": bytes})
}

#[test]
fn event_count_fires_at_the_threshold_within_one_window() {
    let three = [
        failed("alice", "03:00:00"),
        failed("bob", "03:01:00"),
        failed("alice", "03:02:00"),
        failed("alice", "03:04:59"),
    ];
    assert_eq!(
        fire(&["event_count.yml"], &three),
        [
            "Many Failed Logons For One User: User=alice 2024-01-02T03:00:00Z–2024-01-02T03:05:00Z = 3"
        ]
    );
    // one event short
    assert!(fire(&["event_count.yml"], &three[..3]).is_empty());
    // the third one second past the window: it starts the next window
    let late = [
        failed("alice", "03:00:00"),
        failed("alice", "03:02:00"),
        failed("alice", "03:05:00"),
    ];
    assert!(fire(&["event_count.yml"], &late).is_empty());
}

#[test]
fn windows_are_tumbling_not_sliding() {
    // Two events two seconds apart, on both sides of a 5-second boundary: a sliding window would
    // fire, Splunk's `bin _time span=5s` does not.
    let across = [failed("alice", "03:00:04"), failed("bob", "03:00:06")];
    assert!(fire(&["window_5s.yml"], &across).is_empty());
    let within = [failed("alice", "03:00:05"), failed("bob", "03:00:09.999")];
    assert_eq!(
        fire(&["window_5s.yml"], &within),
        ["Two Failed Logons In Five Seconds:  2024-01-02T03:00:05Z–2024-01-02T03:00:10Z = 2"]
    );
}

#[test]
fn value_count_counts_distinct_values_per_group() {
    let mut events = vec![
        failed("alice", "03:00:00"),
        failed("alice", "03:10:00"),
        failed("bob", "03:20:00"),
    ];
    assert!(
        fire(&["value_count.yml"], &events).is_empty(),
        "two distinct users"
    );
    events.push(failed("carol", "03:59:59"));
    assert_eq!(
        fire(&["value_count.yml"], &events),
        [
            "Password Spray From One Address: IpAddress=10.0.0.1 2024-01-02T03:00:00Z–2024-01-02T04:00:00Z = 3"
        ]
    );
    events.pop();
    events.push(failed("carol", "04:00:00"));
    assert!(
        fire(&["value_count.yml"], &events).is_empty(),
        "past the hour"
    );
}

#[test]
fn temporal_needs_every_rule_in_one_window_in_any_order() {
    let both = [
        logon(4624, "alice", "03:01:00"),
        failed("alice", "03:09:59"),
    ];
    assert_eq!(
        fire(&["temporal.yml"], &both),
        ["Failed And Successful Logon: User=alice 2024-01-02T03:00:00Z–2024-01-02T03:10:00Z = 2"]
    );
    let one_rule = [failed("alice", "03:01:00"), failed("alice", "03:02:00")];
    assert!(fire(&["temporal.yml"], &one_rule).is_empty());
    let other_user = [failed("alice", "03:01:00"), logon(4624, "bob", "03:02:00")];
    assert!(fire(&["temporal.yml"], &other_user).is_empty());
    let late = [
        failed("alice", "03:01:00"),
        logon(4624, "alice", "03:10:00"),
    ];
    assert!(fire(&["temporal.yml"], &late).is_empty());
}

#[test]
fn temporal_ordered_needs_the_listed_order() {
    let in_order = [
        logon(4672, "alice", "03:00:30"),
        failed("alice", "03:01:00"),
        logon(4624, "alice", "03:02:00"),
        logon(4672, "alice", "03:03:00"),
    ];
    assert_eq!(
        fire(&["temporal_ordered.yml"], &in_order),
        [
            "Failed Then Successful Logon Then Privileges: User=alice 2024-01-02T03:00:00Z–2024-01-02T03:10:00Z = 3"
        ]
    );
    let wrong_order = [
        failed("alice", "03:01:00"),
        logon(4672, "alice", "03:02:00"),
        logon(4624, "alice", "03:03:00"),
    ];
    assert!(fire(&["temporal_ordered.yml"], &wrong_order).is_empty());
    // Time decides the order, not the order of the input.
    let shuffled = [
        in_order[3].clone(),
        in_order[2].clone(),
        in_order[1].clone(),
    ];
    assert_eq!(fire(&["temporal_ordered.yml"], &shuffled).len(), 1);
    let late = [
        failed("alice", "03:01:00"),
        logon(4624, "alice", "03:02:00"),
        logon(4672, "alice", "03:10:01"),
    ];
    assert!(fire(&["temporal_ordered.yml"], &late).is_empty());
}

#[test]
fn value_sum_avg_and_percentile_aggregate_the_field() {
    let events = [
        upload("10.0.0.5", 100, "03:00:01"),
        upload("10.0.0.5", 400, "03:00:20"),
        upload("10.0.0.5", 501, "03:00:59"),
        upload("10.0.0.6", 2000, "03:01:00"),
        json!({"@timestamp": "2024-01-02T03:00:30Z", "cs-method": "POST", "src_ip": "10.0.0.5", "bytes": "n/a"}),
    ];
    assert_eq!(
        fire(&["value_sum.yml"], &events),
        [
            "Large Upload Volume: src_ip=10.0.0.5 2024-01-02T03:00:00Z–2024-01-02T03:01:00Z = 1001",
            "Large Upload Volume: src_ip=10.0.0.6 2024-01-02T03:01:00Z–2024-01-02T03:02:00Z = 2000"
        ]
    );
    assert_eq!(
        fire(&["value_sum.yml"], &events[..2]),
        Vec::<String>::new(),
        "one event short"
    );
    assert_eq!(
        fire(&["value_avg.yml"], &events),
        ["Large Average Upload: src_ip=10.0.0.6 2024-01-02T03:01:00Z–2024-01-02T03:02:00Z = 2000"]
    );
    let mut even = events.to_vec();
    even.push(upload("10.0.0.5", 999, "03:00:40"));
    assert_eq!(
        fire(&["value_avg.yml"], &even),
        [
            "Large Average Upload: src_ip=10.0.0.5 2024-01-02T03:00:00Z–2024-01-02T03:01:00Z = 500",
            "Large Average Upload: src_ip=10.0.0.6 2024-01-02T03:01:00Z–2024-01-02T03:02:00Z = 2000"
        ]
    );
    // nearest rank: the 90th percentile of 4 values is the 4th
    assert_eq!(
        fire(&["value_percentile.yml"], &even),
        [
            "Large Uploads At The 90th Percentile: src_ip=10.0.0.5 2024-01-02T03:00:00Z–2024-01-02T03:01:00Z = 999",
            "Large Uploads At The 90th Percentile: src_ip=10.0.0.6 2024-01-02T03:01:00Z–2024-01-02T03:02:00Z = 2000"
        ]
    );
}

#[test]
fn a_missing_group_field_puts_the_event_in_no_group() {
    let mut events = vec![failed("alice", "03:00:00"), failed("alice", "03:01:00")];
    let mut anonymous = failed("alice", "03:02:00");
    anonymous.as_object_mut().unwrap().remove("User");
    events.push(anonymous);
    assert!(fire(&["event_count.yml"], &events).is_empty());
    // a multi-valued group field counts the event in each of its groups
    let mut both = failed("alice", "03:02:00");
    both["User"] = json!(["alice", "bob"]);
    events[2] = both;
    assert_eq!(
        fire(&["event_count.yml"], &events),
        [
            "Many Failed Logons For One User: User=alice 2024-01-02T03:00:00Z–2024-01-02T03:05:00Z = 3"
        ]
    );
}

/// A group-by field with more values than one match may join: the first groups are kept and
/// the others are counted, never dropped unsaid.
#[test]
fn groups_beyond_the_budget_are_counted() {
    let set = resolve(&["event_count.yml"]);
    let rules = matchers(&set);
    let correlator = correlator(&set, &rules);
    let mut many = failed("alice", "03:00:00");
    let users: Vec<String> = (0..100).map(|i| format!("user{i}")).collect();
    many["User"] = json!(users);
    let records = correlator
        .observe(&many, &matched(&rules, &many))
        .expect("a timestamp");
    assert_eq!(records.len(), sigc_eval::MAX_GROUPS_PER_MATCH);
    assert_eq!(
        correlator.groups_dropped(),
        100 - sigc_eval::MAX_GROUPS_PER_MATCH as u64
    );
}

#[test]
fn aliases_name_a_different_field_per_rule() {
    let events = [
        failed("alice", "03:00:00"),
        upload("10.0.0.1", 10, "03:04:00"),
    ];
    assert_eq!(
        fire(&["aliases.yml"], &events),
        [
            "Failed Logon And Upload From One Address: ip=10.0.0.1 2024-01-02T03:00:00Z–2024-01-02T03:05:00Z = 2"
        ]
    );
    let other_address = [
        failed("alice", "03:00:00"),
        upload("10.0.0.2", 10, "03:04:00"),
    ];
    assert!(fire(&["aliases.yml"], &other_address).is_empty());
}

#[test]
fn a_correlation_of_a_correlation_sees_its_firings() {
    let mut events = vec![
        failed("alice", "03:00:10"),
        failed("alice", "03:01:00"),
        failed("alice", "03:02:00"),
        logon(4624, "alice", "03:06:00"),
    ];
    let fired = fire(&["chained.yml"], &events);
    assert_eq!(
        fired,
        [
            "Repeated Failed Logons: User=alice 2024-01-02T03:00:00Z–2024-01-02T03:05:00Z = 3",
            "Logon After Repeated Failures: User=alice 2024-01-02T03:00:00Z–2024-01-02T03:10:00Z = 2"
        ]
    );
    events.remove(0);
    assert!(
        fire(&["chained.yml"], &events).is_empty(),
        "the inner one short"
    );
}

/// `sigc test` reports each firing with its group and window, in both formats, and warns (with
/// the input and event) about a correlated event without a timestamp.
#[test]
fn sigc_test_reports_firings_and_events_without_time() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.json");
    let mut lines: Vec<String> = ["03:00:00", "03:01:00", "03:02:00"]
        .iter()
        .map(|t| failed("alice", t).to_string())
        .collect();
    lines.push(json!({"Channel": "Security", "EventID": 4625, "User": "alice"}).to_string());
    std::fs::write(&events, lines.join("\n")).unwrap();
    let base = fixture("base_rules.yml");
    let correlation = fixture("event_count.yml");
    let args = |format: &'static str| {
        vec![
            "test".to_string(),
            "--format".into(),
            format.into(),
            "--events".into(),
            events.display().to_string(),
            base.display().to_string(),
            correlation.display().to_string(),
        ]
    };
    let run = |format| {
        let args = args(format);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run(&args, None)
    };
    let out = run("human");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.ends_with("correlation 5d7b3f2e-6a41-4c1e-9b0e-2f8d1c3a4b10 [high] Many Failed Logons For One User: User=alice 2024-01-02T03:00:00Z – 2024-01-02T03:05:00Z, event_count 3\n"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().count(),
        5,
        "four matches and one firing: {stdout}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: {} #4: no readable timestamp in `@timestamp`, `Event.System.TimeCreated.SystemTime`, `TimeCreated`, `UtcTime`; the event is left out of correlations",
            events.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 correlations: 1 fired, 1 times; 1 matched events without a timestamp"),
        "{stderr}"
    );
    let out = run("json");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let firing: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        firing,
        json!({
            "correlation_id": "5d7b3f2e-6a41-4c1e-9b0e-2f8d1c3a4b10",
            "title": "Many Failed Logons For One User",
            "level": "high",
            "type": "event_count",
            "group": {"User": "alice"},
            "window": {"start": "2024-01-02T03:00:00Z", "end": "2024-01-02T03:05:00Z"},
            "value": 3,
            "rule_file": correlation.display().to_string(),
        })
    );
}

/// `--timestamp-field` replaces the default fields.
#[test]
fn the_timestamp_field_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.json");
    let lines: Vec<String> = ["03:00:00", "03:01:00", "03:02:00"]
        .iter()
        .map(|t| {
            json!({"Channel": "Security", "EventID": 4625, "User": "alice", "when": format!("2024-01-02 {t}.000")})
                .to_string()
        })
        .collect();
    std::fs::write(&events, lines.join("\n")).unwrap();
    let out = common::run(
        &[
            "test",
            "-q",
            "--timestamp-field",
            "when",
            "--events",
            events.to_str().unwrap(),
            fixture("base_rules.yml").to_str().unwrap(),
            fixture("event_count.yml").to_str().unwrap(),
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("User=alice 2024-01-02T03:00:00Z – 2024-01-02T03:05:00Z"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// A correlation that references a rule `sigc test` cannot evaluate is refused at the reference,
/// and the run fails as for a refused rule.
#[test]
fn a_correlation_over_a_rule_left_out_is_refused_at_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.yml");
    std::fs::write(
        &file,
        "title: Placeholder\nname: p\nlogsource: {product: windows}\ndetection:\n  sel: {User|expand: '%admins%'}\n  condition: sel\n---\ntitle: Count\ncorrelation:\n  type: event_count\n  rules: [p]\n  timespan: 1m\n  condition: {gte: 2}\n",
    )
    .unwrap();
    let out = common::run(&["test", file.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:11:11: error[unsupported_correlation]: `p` cannot be evaluated, so neither can this correlation",
            file.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 correlations cannot be evaluated and were left out"),
        "{stderr}"
    );
}

/// What the evaluator cannot compute is refused where the correlation writes it.
#[test]
fn correlations_the_evaluator_cannot_compute_are_refused_where_written() {
    let text = "title: Upload\nname: upload\nlogsource: {category: proxy}\ndetection:\n  sel: {cs-method: POST}\n  condition: sel\n---\ntitle: P\nname: p\ncorrelation:\n  type: value_percentile\n  rules: [upload]\n  timespan: 1m\n  condition: {field: bytes, gte: 9}\n---\ntitle: Two Fields\ncorrelation:\n  type: value_count\n  rules: [upload]\n  timespan: 1m\n  condition: {field: [a, b], gte: 9}\n---\ntitle: Above\ncorrelation:\n  type: event_count\n  rules: [p]\n  timespan: 1h\n  condition: {gte: 1}\n";
    let source = sigc_compiler::Source::new("c.yml", text);
    let (set, _) = RuleSet::from_files(vec![sigc_compiler::compile(&source)]);
    let (correlator, refused) = Correlator::new(
        &set,
        |id| (id == DocId(0)).then_some(0),
        TimestampFields::default(),
    );
    assert!(correlator.is_empty());
    // (message, line:col)
    let refused: Vec<(&str, String)> = refused
        .iter()
        .map(|d| {
            let at = source.line_col(d.span.expect("located").start);
            (d.message.as_str(), format!("{}:{}", at.line, at.col))
        })
        .collect();
    let want = [
        (
            "a `value_percentile` correlation needs `percentile` in its `condition` for `sigc test` to compute it",
            "14:14",
        ),
        (
            "`sigc test` aggregates one `field`; this correlation names several",
            "21:26",
        ),
        (
            "`p` cannot be evaluated, so neither can this correlation",
            "26:11",
        ),
    ];
    let want: Vec<(&str, String)> = want.iter().map(|&(m, at)| (m, at.to_string())).collect();
    assert_eq!(refused, want);
}

/// The correlation test cases of `file` (beside the base rules): how many ran, and each failure
/// as `code: message` with the text it points at.
fn case_failures(file: &str) -> (usize, Vec<(String, String)>) {
    let set = resolve(&[file]);
    let rules = matchers(&set);
    let mut correlator = correlator(&set, &rules);
    let text = std::fs::read_to_string(fixture(file)).unwrap();
    let (mut run, mut failures) = (0, Vec::new());
    for (id, doc) in set.documents() {
        if let Document::Correlation(c) = doc {
            let report = run_sequence_cases(c, id, &mut correlator, |event| matched(&rules, event));
            run += report.run;
            for d in report.failures {
                let span = d.span.expect("located");
                let at = text[span.start..span.end].to_string();
                failures.push((format!("{}: {}", d.code, d.message), at));
            }
        }
    }
    (run, failures)
}

/// Each type's fixture has passing cases and one failing case, reported at the sequence.
#[test]
fn correlation_test_cases_pass_and_fail_per_type() {
    let expected = [
        (
            "event_count",
            "test_failed: the correlation does not fire on test sequence match[1]",
            "03:05:00Z",
        ),
        (
            "value_count",
            "test_failed: the correlation fires on test sequence no_match[1], which it must not",
            "User: dave",
        ),
        (
            "temporal",
            "test_failed: the correlation does not fire on test sequence match[1]",
            "User: bob",
        ),
        (
            "temporal_ordered",
            "test_failed: the correlation does not fire on test sequence match[1]",
            "EventID: 4672, User: alice, '@timestamp': '2024-01-02T03:01:00Z'",
        ),
    ];
    for (kind, message, inside) in expected {
        let (run, failures) = case_failures(&format!("cases/{kind}.yml"));
        assert_eq!(run, 3, "{kind}");
        assert_eq!(failures.len(), 1, "{kind}: {failures:?}");
        let (got, at) = &failures[0];
        assert_eq!(got, message, "{kind}");
        assert!(
            at.starts_with("- {EventID") && at.ends_with('}'),
            "{kind}: {at}"
        );
        assert!(
            at.contains(inside),
            "{kind}: the failing sequence, not {at}"
        );
    }
}

/// Malformed sequences are `invalid_tests` errors at the offending node (a flow node's span
/// starts at its opening bracket), in document order; an event without a timestamp is reported
/// at the event when its case runs.
#[test]
fn malformed_correlation_test_cases_are_located() {
    let (run, failures) = case_failures("cases/malformed.yml");
    assert_eq!(run, 2, "match[3] and match[4] run");
    let found: Vec<(&str, &str)> = failures
        .iter()
        .map(|(m, at)| (m.as_str(), at.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "invalid_tests: test sequence match[0] must be a list of events, not a map",
                "{EventID: 4625, '@timestamp': '2024-01-02T03:00:00Z'"
            ),
            (
                "invalid_tests: test sequence match[1] is empty; list its events",
                "["
            ),
            (
                "invalid_tests: test event match[2][1] must be a map of fields, not a number",
                "4625"
            ),
            (
                "invalid_tests: test event match[3][0] matches a correlated rule but has no readable timestamp",
                "{EventID: 4625"
            ),
            (
                "invalid_tests: unknown key `no_matches`: expected `match` or `no_match`",
                "no_matches"
            ),
        ]
    );
}

/// `sigc test` runs a correlation's cases with the rules' cases: a failure is reported at the
/// sequence and makes the status 1; passing cases leave it 0.
#[test]
fn sigc_test_runs_correlation_test_cases() {
    let base = fixture("base_rules.yml");
    let run = |correlation: &Path| {
        let args = [
            "test",
            base.to_str().unwrap(),
            correlation.to_str().unwrap(),
        ];
        let out = common::run(&args, None);
        (out.status.code(), common::text(&out.stderr))
    };
    let (status, stderr) = run(&fixture("cases/temporal.yml"));
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("the correlation does not fire on test sequence match[1]"),
        "{stderr}"
    );
    assert!(stderr.contains("temporal.yml:18:"), "located: {stderr}");
    assert!(
        stderr.contains("correlation test cases: 2 passed, 1 failed"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let passing = dir.path().join("temporal.yml");
    let text = std::fs::read_to_string(fixture("cases/temporal.yml")).unwrap();
    let failing = text.find("        # fails").unwrap();
    let rest = text.find("    no_match:").unwrap();
    std::fs::write(&passing, format!("{}{}", &text[..failing], &text[rest..])).unwrap();
    let (status, stderr) = run(&passing);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stderr.contains("correlation test cases: 2 passed, 0 failed"),
        "{stderr}"
    );
}
