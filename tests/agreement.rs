//! Backend agreement: for random rules and events, the evaluator and each backend's query, parsed
//! back by a small interpreter of the language subset sigc emits (`agreement/spl.rs`,
//! `logpoint.rs`, `car.rs`), must agree on whether the event matches. This is what shows that
//! escaping and precedence are right. The interpreters share their boolean parser and its
//! evaluation (`boolean.rs`, precedence given per language), glob values (`glob.rs`), value
//! reading (`value.rs`) and field lookup (`fields.rs`).
//!
//! Rules are generated as IR: AND/OR/NOT trees over string patterns (quotes, backslashes, `*`,
//! `?`, `|`, brackets, non-ASCII), expansions, numbers, booleans, null, exists and numeric
//! comparisons, keywords, and one-field ORs (IN lists). Events are flat JSON objects whose values
//! are drawn mostly from instances of the rule's own patterns, so that both outcomes occur.
//! Each backend declares what it cannot express ([`Profile`]) and the generator leaves that out.
//!
//! Each interpreter also reads a query back as its stages, names and literals ([`read`]), for the
//! hostile-input property tests.
//!
//! Correlations agree too: the Splunk aggregation stages (`agreement/spl_stats.rs`) and the
//! evaluator's correlator fire for the same groups and windows (`agreement/correlation.rs`).
//!
//! Cases per backend: `SIGC_AGREEMENT_CASES` (default 10,000).

mod boolean;
pub mod car;
mod correlation;
mod fields;
pub mod glob;
pub mod logpoint;
pub mod read;
pub mod spl;
mod spl_stats;
mod value;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};
use sigc_compiler::Source;
use sigc_compiler::ir::{
    CmpOp, Expr, FieldRefKind, LogSource, Match, Meta, Number, Origin, Part, Pattern, RegexFlags,
    Rule, Value as V,
};
use sigc_compiler::span::Span;
use sigc_eval::Matcher;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Field names: plain, dotted, ones that need quoting, and ones whose regex group names (`d` for
/// `c.d` in Splunk, `g_h` for `g-h` in LogPoint) are those of another.
pub const ALL_FIELDS: &[&str] = &["a", "Bb", "c.d", "e f", "g-h", "d", "g_h"];

/// What a backend cannot express, so the generator leaves it out.
#[derive(Clone, Copy, Debug)]
pub struct Profile {
    /// Sigma `?` (Splunk widens it to `*` by design).
    pub any_char: bool,
    /// Keywords (values without a field).
    pub keywords: bool,
    /// `null` and `|exists`.
    pub existence: bool,
    /// Numeric comparisons.
    pub compare: bool,
    /// Booleans.
    pub booleans: bool,
    /// Regular expressions (on fields, and as keywords where keywords are allowed).
    pub regex: bool,
    /// IPv6 networks (IPv4 CIDR values are always generated).
    pub cidr_v6: bool,
    /// Field references (`|fieldref`).
    pub fieldref: bool,
    /// Characters literal text may hold.
    pub chars: &'static [char],
    /// Field names rules and events use.
    pub fields: &'static [&'static str],
    /// Gives a generated rule what the backend needs besides its condition.
    pub prepare: fn(&mut Rule),
    /// Whether the backend means the same as the evaluator for this condition: `false` for
    /// conditions it writes with a documented, deliberately different meaning.
    pub admits: fn(&Expr) -> bool,
}

/// Characters of literal text: quotes, backslash, wildcards (literal here), pipes, brackets,
/// separators, and non-ASCII letters with simple case mappings.
pub const ALL_CHARS: &[char] = &[
    'a', 'b', 'A', 'B', 'é', 'É', 'ж', 'Ж', '中', '"', '\'', '\\', '*', '?', '|', ' ', '=', '(',
    ')', ',', '[', ']', '-', ':',
];

fn random_text(
    chars: &'static [char],
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(select(chars), len).prop_map(String::from_iter)
}

fn pattern(p: Profile) -> impl Strategy<Value = Pattern> {
    let part = prop_oneof![
        4 => random_text(p.chars, 1..4).prop_map(Part::Lit),
        2 => Just(Part::AnyRun),
        if p.any_char { 1 } else { 0 } => Just(Part::AnyChar),
    ];
    prop::collection::vec(part, 0..4).prop_map(|parts| {
        let mut pattern = Pattern::default();
        for part in parts {
            pattern.push(part);
        }
        pattern
    })
}

fn small_int() -> impl Strategy<Value = i64> {
    -2i64..6
}

/// Pieces of regexes that Rust's `regex`, PCRE and Python's `re` all read alike: literals
/// (quotes, an escaped backslash and escaped metacharacters among them), `.`, classes, `\\d`.
const REGEX_ATOMS: &[&str] = &[
    "a", "b", "A", "é", "Ж", "中", " ", "=", "-", ":", ",", "'", "\"", "\\\\", "\\.", "\\*", "\\|",
    "\\(", "\\[", "\\\"", ".", "[ab]", "[^a]", "\\d",
];

/// A regex: anchors, atoms with quantifiers, and a group of alternatives.
fn regex_value() -> impl Strategy<Value = V> {
    let quantifier = prop_oneof![6 => Just(""), 1 => Just("*"), 1 => Just("+"), 1 => Just("?")];
    let atom = (select(REGEX_ATOMS), quantifier).prop_map(|(a, q)| format!("{a}{q}"));
    let run = prop::collection::vec(atom, 1..4).prop_map(|atoms| atoms.concat());
    let item = prop_oneof![
        4 => run.clone(),
        1 => prop::collection::vec(run, 2..4).prop_map(|alts| format!("({})", alts.join("|"))),
    ];
    let flags = (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(i, m, s)| RegexFlags {
        ignore_case: i,
        multi_line: m,
        dot_all: s,
    });
    (
        any::<bool>(),
        prop::collection::vec(item, 1..3),
        any::<bool>(),
        flags,
    )
        .prop_map(|(start, items, end, flags)| {
            let anchor = |on: bool, a: &str| if on { a.to_string() } else { String::new() };
            V::Regex {
                pattern: format!(
                    "{}{}{}",
                    anchor(start, "^"),
                    items.concat(),
                    anchor(end, "$")
                ),
                flags,
            }
        })
}

/// A text that the regexes of [`regex_value`] match: the first alternative, each atom once.
fn regex_sample(re: &str) -> String {
    let mut out = String::new();
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') => out.push('7'),
                Some(n) => out.push(n),
                None => {}
            },
            '.' => out.push('x'),
            '[' => {
                let class: String = chars.by_ref().take_while(|&c| c != ']').collect();
                out.push(if class.starts_with('^') { 'c' } else { 'b' });
            }
            // Only the first alternative of a group.
            '|' => chars.by_ref().take_while(|&c| c != ')').for_each(drop),
            '(' | ')' | '^' | '$' | '*' | '+' | '?' => {}
            c => out.push(c),
        }
    }
    out
}

/// Networks, and addresses inside and outside them (see [`instances`]).
const NETWORKS: &[&str] = &[
    "10.0.0.0/8",
    "192.168.1.0/24",
    "172.16.0.0/12",
    "1.2.3.4/32",
    "1.2.3.0/31",
    "fe80::/10",
    "::1/128",
    "fc00::/7",
    "2620:83:8000::/48",
];

const ADDRESSES: &[&str] = &[
    "10.1.2.3",
    "11.0.0.1",
    "192.168.1.77",
    "192.168.2.1",
    "172.31.255.255",
    "172.32.0.1",
    "1.2.3.4",
    "1.2.3.1",
    "1.2.3.5",
    "fe80::1",
    "FEBF::A",
    "fec0::1",
    "::1",
    "::2",
    "fd12:3456::1",
    "fe8::1",
    "fd::1",
    "2620:83:8000:1::1",
    "2620:83:8001::1",
];

fn cidr_value(p: Profile) -> impl Strategy<Value = V> {
    let networks: Vec<&str> = NETWORKS
        .iter()
        .copied()
        .filter(|n| p.cidr_v6 || !n.contains(':'))
        .collect();
    select(networks).prop_map(|n| V::Cidr(n.parse().expect("network")))
}

fn field_value(p: Profile) -> impl Strategy<Value = V> {
    let op = select(vec![CmpOp::Lt, CmpOp::Lte, CmpOp::Gt, CmpOp::Gte]);
    let other = select(p.fields).prop_map(|f| V::FieldRef {
        field: f.to_string(),
        kind: FieldRefKind::Equals,
    });
    prop_oneof![
        8 => pattern(p).prop_map(V::Str),
        1 => prop::collection::vec(pattern(p), 1..3).prop_map(V::Expansion),
        1 => small_int().prop_map(|n| V::Num(Number::Int(n))),
        if p.booleans { 1 } else { 0 } => any::<bool>().prop_map(V::Bool),
        if p.existence { 1 } else { 0 } => Just(V::Null),
        if p.existence { 1 } else { 0 } => any::<bool>().prop_map(V::Exists),
        if p.compare { 1 } else { 0 } => (op, small_int())
            .prop_map(|(op, n)| V::Compare { op, value: Number::Int(n) }),
        if p.regex { 2 } else { 0 } => regex_value(),
        1 => cidr_value(p),
        if p.fieldref { 1 } else { 0 } => other,
    ]
}

fn leaf(field: Option<&str>, value: V) -> Expr {
    Expr::Match(Match {
        field: field.map(str::to_string),
        value,
        origin: Origin::Source(Span::default()),
    })
}

fn expr(p: Profile) -> impl Strategy<Value = Expr> {
    let field_leaf = (select(p.fields), field_value(p)).prop_map(|(f, v)| leaf(Some(f), v));
    let keyword = prop_oneof![
        3 => pattern(p).prop_map(V::Str),
        if p.regex { 1 } else { 0 } => regex_value(),
    ]
    .prop_map(|v| leaf(None, v));
    // A one-field OR of strings and numbers: written as an IN list where the language has one.
    let list_value = prop_oneof![
        3 => pattern(p).prop_map(V::Str),
        1 => small_int().prop_map(|n| V::Num(Number::Int(n))),
    ];
    let list = (select(p.fields), prop::collection::vec(list_value, 2..4))
        .prop_map(|(f, vs)| Expr::Or(vs.into_iter().map(|v| leaf(Some(f), v)).collect()));
    let base = prop_oneof![
        8 => field_leaf,
        if p.keywords { 2 } else { 0 } => keyword,
        2 => list,
    ];
    base.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

/// Texts that match the rule's patterns, more or less: wildcards filled, case changed.
fn instances(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    for m in expr.leaves() {
        let patterns: Vec<&Pattern> = match &m.value {
            V::Str(p) => vec![p],
            V::Expansion(ps) => ps.iter().collect(),
            V::Regex { pattern, .. } => {
                let s = regex_sample(pattern);
                out.push(s.to_uppercase());
                out.push(format!("q{s}z"));
                out.push(s);
                continue;
            }
            V::Cidr(net) => {
                let v6 = net.addr().is_ipv6();
                let same = ADDRESSES.iter().filter(|a| a.contains(':') == v6);
                out.extend(same.map(|a| a.to_string()));
                continue;
            }
            // Two fields holding the same text, in any case, now and then.
            V::FieldRef { .. } => {
                out.extend(["Same", "sAME", "Same"].map(String::from));
                continue;
            }
            _ => continue,
        };
        for p in patterns {
            for fill in ["", "xé"] {
                let mut s = String::new();
                for part in &p.parts {
                    match part {
                        Part::Lit(t) => s.push_str(t),
                        Part::AnyRun => s.push_str(fill),
                        Part::AnyChar => s.push('Ж'),
                        Part::Placeholder(_) => {}
                    }
                }
                out.push(s.to_uppercase());
                out.push(format!("q{s}"));
                out.push(s);
            }
        }
    }
    if out.is_empty() {
        out.push("a".into());
    }
    out
}

fn event_value(p: Profile, instances: Vec<String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => select(instances).prop_map(Value::String),
        2 => random_text(p.chars, 0..4).prop_map(Value::String),
        1 => small_int().prop_map(Value::from),
        1 => small_int().prop_map(|n| Value::String(n.to_string())),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => select(vec!["TRUE", "False"]).prop_map(|s| Value::String(s.into())),
    ]
}

/// A rule condition and an event for it.
fn case(p: Profile) -> impl Strategy<Value = (Expr, Value)> {
    expr(p).prop_flat_map(move |e| {
        let fields = prop::collection::vec((select(p.fields), event_value(p, instances(&e))), 0..6);
        (
            Just(e),
            fields.prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        )
    })
}

fn rule(condition: Expr, p: Profile) -> Rule {
    let mut rule = Rule {
        meta: Meta {
            title: "generated".into(),
            ..Meta::default()
        },
        logsource: LogSource::default(),
        conditions: vec![condition],
        tests: None,
        source: Source::new("generated.yml", "generated\n"),
        // Unlike every leaf's: a leaf with the rule's span is one a pipeline added.
        span: Span::new(0, 9),
    };
    (p.prepare)(&mut rule);
    rule
}

/// The number of cases per backend.
fn cases() -> u32 {
    std::env::var("SIGC_AGREEMENT_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

/// Runs the agreement property for one backend; `interpret` evaluates its query on an event.
/// Rules the backend refuses (with a diagnostic) or that its profile does not admit are drawn
/// again, so that `cases()` rules are compared; at most `max_refused` of the rules drawn may be
/// refused.
fn agree(
    target: &str,
    profile: Profile,
    max_refused: f64,
    interpret: fn(&str, &Map<String, Value>) -> Result<bool, String>,
) {
    let backend = sigc_backends::target(target).expect("target is registered");
    let refused = AtomicUsize::new(0);
    let skipped = AtomicUsize::new(0);
    let matched = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        max_global_rejects: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(profile), |(condition, event)| {
        if !(profile.admits)(&condition) {
            skipped.fetch_add(1, Ordering::Relaxed);
            return Err(TestCaseError::reject("not admitted"));
        }
        let rule = rule(condition, profile);
        let matcher = Matcher::new(&rule).map_err(|d| TestCaseError::fail(d.message))?;
        let queries = match backend.convert(&rule) {
            Ok(q) => q,
            Err(_) => {
                refused.fetch_add(1, Ordering::Relaxed);
                return Err(TestCaseError::reject("refused"));
            }
        };
        let object = event.as_object().expect("object");
        let by_backend = interpret(&queries[0], object)
            .map_err(|e| TestCaseError::fail(format!("{e}\nquery: {}", queries[0])))?;
        let by_evaluator = matcher.matches(&event);
        if by_evaluator {
            matched.fetch_add(1, Ordering::Relaxed);
        }
        prop_assert_eq!(
            by_evaluator,
            by_backend,
            "evaluator vs {}\nquery: {}\nevent: {}\nrule: {:?}",
            target,
            queries[0],
            event,
            rule.conditions[0]
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{target}: {e}");
    }
    let (refused, skipped) = (refused.into_inner(), skipped.into_inner());
    let matched = matched.into_inner();
    let total = cases() as usize;
    eprintln!(
        "{target}: {total} cases compared, {matched} matching; {refused} refused and {skipped} not admitted drawn again"
    );
    // Both outcomes must be common, or the comparison proves little.
    assert!(
        matched * 5 >= total && matched * 5 <= total * 4,
        "{target}: {matched} of {total} events match"
    );
    assert!(
        (refused as f64) <= max_refused * (total + refused + skipped) as f64,
        "{target} refused {refused} of {} generated rules",
        total + refused + skipped
    );
}

#[test]
fn splunk_agrees_with_the_evaluator() {
    agree("splunk", spl::PROFILE, 0.15, spl::matches);
}

#[test]
fn car_agrees_with_the_evaluator() {
    agree("car", car::PROFILE, 0.0, car::matches);
}

#[test]
fn logpoint_agrees_with_the_evaluator() {
    agree("logpoint", logpoint::PROFILE, 0.3, logpoint::matches);
}
