//! Hostile rule text against the query channels (Splunk, LogPoint, CAR): a field name, value,
//! regex or field reference never changes a query's structure. Read back by the interpreters of
//! `tests/agreement` ([`spl::read`], [`logpoint::read`], [`car::read`]), a query has the stages
//! it has for plain text, and each piece of rule text comes back as one literal equal to it;
//! otherwise the conversion is a located error.

use crate::agreement::glob::Piece;
use crate::agreement::read::Item;
use crate::agreement::{car, logpoint, spl};
use crate::common;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;
use serde_json::Value as Json;
use sigc_backends::Target;
use sigc_backends::text::literal::visible_regex;
use sigc_compiler::ir::{
    Expr, FieldRefKind, LogSource, Match, Meta, Origin, Part, Pattern, RegexFlags, Rule, Value,
};
use sigc_compiler::span::Span;
use sigc_compiler::{Diagnostic, Source};
/// `sigc ARGS` on `stdin`: its exit status, standard output and standard error. Fails on a
/// hang, a panic, or a status other than 0, 1 or 2.
fn sigc(args: &[&str], stdin: &str) -> (i32, String, String) {
    let cmd = common::sigc_command(&common::root(), args);
    let out = common::run_command(cmd, Some(stdin.as_bytes()), common::HANG_GUARD);
    let (stdout, stderr) = (common::stdout(&out), common::stderr(&out));
    let status = out.status.code().expect("exited");
    assert!((0..=2).contains(&status), "status {status}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (status, stdout, stderr)
}

/// `sigc convert -t TARGET -f json -` on `rules`: the queries of each rule converted, the
/// status and standard error.
fn convert_json(target: &str, rules: &str) -> (i32, Vec<Vec<String>>, String) {
    let (status, stdout, stderr) = sigc(&["convert", "-t", target, "-f", "json", "-"], rules);
    let json: Json = serde_json::from_str(&stdout).expect("JSON output");
    let queries = json
        .as_array()
        .expect("array")
        .iter()
        .map(|r| serde_json::from_value(r["queries"].clone()).expect("queries"))
        .collect();
    (status, queries, stderr)
}

/// `<stdin>:line:col` of the first `needle` in `text` (1-based; the text is ASCII).
fn at(text: &str, needle: &str) -> String {
    let offset = text.find(needle).expect("needle in text");
    let line = text[..offset].matches('\n').count() + 1;
    let col = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("<stdin>:{line}:{col}")
}

/// A process-creation rule with `detection` lines and any extra top-level lines.
fn rule_text(title: &str, detection: &str, extra: &str) -> String {
    format!(
        "title: {title}\nlogsource: {{category: process_creation, product: windows}}\ndetection:\n  sel:\n{detection}\n  condition: sel\n{extra}"
    )
}

const CALC: &str = "    Image|endswith: '\\calc.exe'";

/// The stages of a query as read back.
fn stages(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Stage(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

fn find_regex(items: &[Item]) -> &str {
    items
        .iter()
        .find_map(|i| match i {
            Item::Regex(r) => Some(r.as_str()),
            _ => None,
        })
        .expect("a regex")
}

#[test]
fn table_fields_are_one_name_each_or_a_located_error() {
    let quotable = rule_text(
        "a",
        "    CommandLine: a",
        "fields: ['x | delete', CommandLine]\n",
    );
    let broken = rule_text("b", "    CommandLine: b", "fields: [Image, \"a\\nb\"]\n");
    let batch = format!(
        "{quotable}---\n{broken}---\n{}",
        rule_text("c", CALC, "fields: [Image]\n")
    );
    let (status, queries, stderr) = convert_json("splunk", &batch);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(queries.len(), 2, "the other rules are converted");
    let items = spl::read(&queries[0][0]).expect("reads back");
    assert_eq!(stages(&items), ["search", "table"], "{}", queries[0][0]);
    assert!(items.ends_with(&[
        Item::Name("x | delete".into()),
        Item::Name("CommandLine".into())
    ]));
    assert!(
        queries[1][0].ends_with(" | table Image"),
        "{:?}",
        queries[1]
    );
    let location = at(&batch, "\"a\\nb\"");
    assert!(
        stderr.contains(&format!("{location}: error[unsupported_feature]: field name `a\\nb` holds the control character U+000A")),
        "{stderr}"
    );
}

#[test]
fn regex_and_fieldref_values_stay_inside_their_stage() {
    let regex = rule_text("r", "    CommandLine|re: \"x\\n| delete\"", "");
    let fieldref = rule_text("f", "    Image|fieldref: \"y\\n| delete\"", "");
    let batch = format!("{regex}---\n{fieldref}---\n{}", rule_text("c", CALC, ""));
    let location = at(&batch, "\"y\\n| delete\"");
    for (target, expected) in [
        ("splunk", &["search", "regex"][..]),
        (
            "logpoint",
            &["search", "process regex", "process eval", "search"][..],
        ),
    ] {
        let (status, queries, stderr) = convert_json(target, &batch);
        assert_eq!(status, 1, "{stderr}");
        assert_eq!(queries.len(), 2, "{target}: the other rules are converted");
        let items = match target {
            "splunk" => spl::read(&queries[0][0]),
            _ => logpoint::read(&queries[0][0]),
        }
        .expect("reads back");
        assert_eq!(stages(&items), expected, "{target}: {}", queries[0][0]);
        let re = regex::Regex::new(find_regex(&items)).expect("a regex");
        // `x\n` or ` delete`: the `|` is the regex's own alternation.
        assert!(re.is_match("x\n") && !re.is_match("x") && re.is_match(" delete"));
        assert!(
            stderr.contains(&format!("{location}: error[unsupported_feature]")),
            "{stderr}"
        );
    }
}

#[test]
fn data_model_keeps_a_value_with_a_pipe_whole() {
    let rule = rule_text("d", "    CommandLine: \"a\\n| b\"", "");
    let (status, stdout, stderr) = sigc(
        &[
            "convert",
            "-t",
            "splunk",
            "-p",
            "splunk_cim",
            "-f",
            "data_model",
            "-",
        ],
        &rule,
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("where Processes.process=\"a\n| b\" by Processes.process "),
        "{stdout}"
    );
    assert_eq!(stdout.matches(" by ").count(), 1, "{stdout}");
}

#[test]
fn logpoint_refuses_ipv6_networks_at_the_value() {
    let v6 = rule_text("v6", "    DestinationIp|cidr: '2000::/3'", "");
    let v4 = rule_text("v4", "    DestinationIp|cidr: '10.0.0.0/8'", "");
    let batch = format!("{v6}---\n{v4}");
    let (status, queries, stderr) = convert_json("logpoint", &batch);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(queries.len(), 1);
    assert!(queries[0][0].ends_with("IN [\"10.*\"]"), "{:?}", queries[0]);
    let location = at(&batch, "'2000::/3'");
    assert!(
        stderr.contains(&format!(
            "{location}: error[unsupported_feature]: an IPv6 network"
        )),
        "{stderr}"
    );
    let (status, queries, _) = convert_json("splunk", &batch);
    assert_eq!(
        (status, queries.len()),
        (0, 2),
        "Splunk has a CIDR operator"
    );
}

/// Characters that matter to quoting, pipelines and lines, and any other.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(vec![
            '"', '\'', '\\', '\r', '\n', '|', '`', '[', ']', '*', '?', '\u{0}', '\u{1b}',
            '\u{85}', '\u{2028}', ' ', '=', '(', ')', ',', '-', '!', '<',
        ]),
        2 => select(vec!['a', 'B', 'é', '中', '.', '_', '1']),
        1 => any::<char>(),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 1..10).prop_map(String::from_iter)
}

/// A field name: plain now and then, hostile mostly.
fn name(plain: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        1 => select(plain).prop_map(String::from),
        3 => hostile_text(),
    ]
}

/// A regex: hostile text as is (often not a regex), or escaped into one that matches it.
fn hostile_regex() -> impl Strategy<Value = String> {
    prop_oneof![
        hostile_text(),
        hostile_text().prop_map(|t| regex::escape(&t))
    ]
}

fn flags() -> impl Strategy<Value = RegexFlags> {
    (any::<bool>(), any::<bool>()).prop_map(|(i, s)| RegexFlags {
        ignore_case: i,
        multi_line: false,
        dot_all: s,
    })
}

/// Leaf spans differ from the rule's, so that an error shows where it points.
const LEAF: Span = Span { start: 10, end: 20 };
const RULE: Span = Span { start: 0, end: 9 };

fn leaf(field: &str, value: Value) -> Expr {
    Expr::Match(Match {
        field: Some(field.to_string()),
        value,
        origin: Origin::Source(LEAF),
    })
}

/// `*v`: a wildcard, then the hostile text.
fn glob_value(v: &str) -> (Value, Vec<Piece>) {
    let pattern = Pattern {
        parts: vec![Part::AnyRun, Part::Lit(v.to_string())],
        cased: false,
    };
    let pieces = std::iter::once(Piece::Star)
        .chain(v.chars().map(Piece::Char))
        .collect();
    (Value::Str(pattern), pieces)
}

fn fieldref(other: &str) -> Value {
    Value::FieldRef {
        field: other.to_string(),
        kind: FieldRefKind::Equals,
    }
}

fn rule(condition: Vec<Expr>, fields: Vec<String>) -> Rule {
    Rule {
        meta: Meta {
            title: "hostile".into(),
            fields,
            ..Meta::default()
        },
        logsource: LogSource::default(),
        conditions: vec![Expr::And(condition)],
        tests: None,
        source: Source::new("hostile.yml", "hostile text, no YAML\n"),
        span: RULE,
    }
}

/// No target can write this character in a name.
fn control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The conversion failed where the rule says it should, with a located error.
fn located(e: &Diagnostic, justified: bool) -> Result<(), TestCaseError> {
    prop_assert!(justified, "refused without cause: {}", e.message);
    prop_assert!(
        e.span == Some(LEAF) || e.span == Some(RULE),
        "unlocated: {e:?}"
    );
    Ok(())
}

/// The regex read back means what the rule's regex means: same matches on `probes`.
fn same_regex(
    read: &str,
    rule: &str,
    flags: RegexFlags,
    probes: &[&str],
) -> Result<(), TestCaseError> {
    prop_assert!(!read.contains(control), "control character in {read:?}");
    let prefix = if flags.is_empty() {
        String::new()
    } else {
        format!("(?{})", flags.letters())
    };
    let Ok(original) = regex::Regex::new(&format!("{prefix}{rule}")) else {
        return Ok(());
    };
    let read = regex::Regex::new(read).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for p in probes {
        prop_assert_eq!(original.is_match(p), read.is_match(p), "on {:?}", p);
    }
    Ok(())
}

/// A regex [`visible_regex`] refuses: a control character with extended mode.
fn refused_regex(re: &str) -> bool {
    visible_regex(re).is_none()
}

/// Items with each regex left out (they are checked for meaning instead).
fn without_regexes(items: &[Item]) -> Vec<Item> {
    items
        .iter()
        .filter(|i| !matches!(i, Item::Regex(_)))
        .cloned()
        .collect()
}

/// Plain names, and ones spelled like an operator or a command of SPL or LogPoint.
const PLAIN: &[&str] = &[
    "CommandLine",
    "a.b",
    "c_d",
    "cs-uri",
    "OR",
    "in",
    "NOT",
    "process",
    "search",
];
const CAR_FIELDS: &[&str] = &["command_line", "exe", "image_path", "user"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn splunk_queries_keep_their_stages(
        names in prop::collection::vec(name(PLAIN), 6),
        v in hostile_text(),
        re in hostile_regex(),
        flags in flags(),
        probe in hostile_text(),
    ) {
        let [f0, f1, f2, f3, f4, t0] = <[String; 6]>::try_from(names).expect("six names");
        let (value, pieces) = glob_value(&v);
        let network = "10.0.0.0/8";
        let rule = rule(
            vec![
                leaf(&f0, value),
                leaf(&f4, Value::Cidr(network.parse().expect("network"))),
                leaf(&f1, Value::Regex { pattern: re.clone(), flags }),
                leaf(&f2, fieldref(&f3)),
            ],
            vec![t0.clone(), "Plain".into()],
        );
        let unwritable = [&f0, &f1, &f2, &f3, &f4, &t0].iter().any(|n| n.contains(control))
            || [&f2, &f3].iter().any(|n| n.contains(['\'', '\\', '"', '|']))
            || t0.contains('*')
            || refused_regex(&re);
        match sigc_backends::splunk::Splunk.convert(&rule) {
            Err(e) => located(&e, unwritable)?,
            Ok(q) => {
                prop_assert!(!unwritable, "wrote {:?}", q[0]);
                let items = spl::read(&q[0]).map_err(|e| TestCaseError::fail(format!("{e}: {:?}", q[0])))?;
                let expected = vec![
                    Item::Stage("search".into()), Item::Name(f0), Item::Value(pieces),
                    Item::Name(f4), Item::Value(network.chars().map(Piece::Char).collect()),
                    Item::Stage("regex".into()), Item::Name(f1),
                    Item::Stage("where".into()), Item::Name(f2), Item::Name(f3),
                    Item::Stage("table".into()), Item::Name(t0), Item::Name("Plain".into()),
                ];
                prop_assert_eq!(without_regexes(&items), expected, "{:?}", q[0]);
                same_regex(find_regex(&items), &re, flags, &[&re, &v, &probe, "x\n| delete"])?;
            }
        }
    }

    #[test]
    fn logpoint_queries_keep_their_stages(
        f0 in name(PLAIN),
        f1 in name(PLAIN),
        // A literal `*` or `?` turns a value into a regex stage (by design; the backend's own
        // property tests read those back).
        v in hostile_text().prop_filter("no literal wildcard", |v| !v.contains(['*', '?'])),
        re in hostile_regex(),
        flags in flags(),
        probe in hostile_text(),
    ) {
        let (value, pieces) = glob_value(&v);
        let rule = rule(
            vec![leaf(&f0, value), leaf(&f1, Value::Regex { pattern: re.clone(), flags })],
            Vec::new(),
        );
        let unwritable = [&f0, &f1].iter().any(|n| n.contains(control) || n.contains('"'))
            || (v.contains('"') && v.contains('\''))
            || refused_regex(&re);
        match sigc_backends::logpoint::LogPoint.convert(&rule) {
            Err(e) => located(&e, unwritable)?,
            Ok(q) => {
                prop_assert!(!unwritable, "wrote {:?}", q[0]);
                let items = logpoint::read(&q[0]).map_err(|e| TestCaseError::fail(format!("{e}: {:?}", q[0])))?;
                let condition = match items.get(5) {
                    Some(Item::Name(c)) => c.clone(),
                    other => return Err(TestCaseError::fail(format!("no condition: {other:?}"))),
                };
                let expected = vec![
                    Item::Stage("search".into()),
                    Item::Stage("process regex".into()), Item::Name(f1),
                    Item::Stage("process eval".into()), Item::Name(condition.clone()),
                    Item::Stage("search".into()), Item::Name(f0), Item::Value(pieces),
                    Item::Name(condition), Item::Value("true".chars().map(Piece::Char).collect()),
                ];
                prop_assert_eq!(without_regexes(&items), expected, "{:?}", q[0]);
                same_regex(find_regex(&items), &re, flags, &[&re, &v, &probe, "x\n| delete"])?;
            }
        }
    }

    #[test]
    fn car_programs_keep_their_shape(
        names in prop::collection::vec(name(CAR_FIELDS), 4),
        v in hostile_text(),
        re in hostile_regex(),
        flags in flags(),
        probe in hostile_text(),
    ) {
        let [f0, f1, f2, f3] = <[String; 4]>::try_from(names).expect("four names");
        let (value, pieces) = glob_value(&v);
        let mut rule = rule(
            vec![
                leaf(&f0, value),
                leaf(&f1, Value::Regex { pattern: re.clone(), flags }),
                leaf(&f2, fieldref(&f3)),
            ],
            Vec::new(),
        );
        rule.meta.custom.insert("car_object".into(), "process".into());
        rule.meta.custom.insert("car_action".into(), "create".into());
        let unwritable = [&f0, &f1, &f2, &f3].iter().any(|n| !CAR_FIELDS.contains(&n.as_str()))
            || refused_regex(&re);
        match sigc_backends::car::Car.convert(&rule) {
            Err(e) => located(&e, unwritable)?,
            Ok(q) => {
                prop_assert!(!unwritable, "wrote {:?}", q[0]);
                let items = car::read(&q[0]).map_err(|e| TestCaseError::fail(format!("{e}: {:?}", q[0])))?;
                let expected = vec![
                    Item::Stage("filter".into()), Item::Name(f0), Item::Value(pieces),
                    Item::Name(f1), Item::Name(f2), Item::Word(f3),
                ];
                prop_assert_eq!(without_regexes(&items), expected, "{:?}", q[0]);
                same_regex(find_regex(&items), &re, flags, &[&re, &v, &probe, "x\n| delete"])?;
            }
        }
    }

    #[test]
    fn visible_regexes_mean_the_same(re in hostile_regex(), probe in hostile_text()) {
        if let Some(visible) = visible_regex(&re) {
            same_regex(&visible, &re, RegexFlags::default(), &[&re, &probe])?;
        }
    }
}
