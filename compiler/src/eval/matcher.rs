//! A rule compiled for evaluation: patterns, regexes and networks prepared once, then matched
//! against any number of events.

use super::event::{Event, FieldValue};
use super::pattern::Wildcard;
use super::set::PatternSet;
use super::text::{Num, Scratch, fold_into, scalar_num, scalar_text};
use super::time;
use crate::diagnostic::{Diagnostic, Source};
use crate::ir::{CmpOp, Expr, FieldRefKind, Match, Number, Part, Pattern, Rule, TimePart, Value};
use std::cell::RefCell;
use std::net::IpAddr;
use std::sync::Arc;

/// The diagnostic code for what the evaluator cannot run.
const UNSUPPORTED: &str = "unsupported-feature";

/// A compiled rule that tests events.
#[derive(Clone, Debug)]
pub struct Matcher {
    conditions: Vec<Node>,
}

/// A compiled expression.
#[derive(Clone, Debug)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(Leaf),
}

/// A compiled [`Match`].
#[derive(Clone, Debug)]
struct Leaf {
    /// `None` for a keyword.
    field: Option<Box<str>>,
    test: Test,
}

/// What a leaf tests a value against.
#[derive(Clone, Debug)]
enum Test {
    /// String patterns (one, or an expansion's, or those of merged leaves).
    Patterns(PatternSet),
    Num(Number),
    Bool(bool),
    Null,
    Regex(regex::Regex),
    Cidr(ipnet::IpNet),
    Compare {
        op: CmpOp,
        value: Number,
    },
    Exists(bool),
    FieldRef {
        field: Box<str>,
        kind: FieldRefKind,
    },
    TimePart {
        part: TimePart,
        value: Number,
    },
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Matcher {
    /// Compiles every condition of `rule`; refuses, with a located diagnostic, a leaf that cannot
    /// be evaluated (an unresolved placeholder, a regex the `regex` crate rejects, a keyword that
    /// needs a field).
    pub fn new(rule: &Rule) -> Result<Self, Diagnostic> {
        let conditions = rule
            .conditions
            .iter()
            .map(|e| compile(e, &rule.source))
            .collect::<Result<Vec<_>, _>>()?;
        let mut matcher = Matcher { conditions };
        matcher.conditions.iter_mut().for_each(prepare);
        Ok(matcher)
    }

    /// Whether any of the rule's conditions holds for `event`.
    pub fn matches<E: Event + ?Sized>(&self, event: &E) -> bool {
        self.matching_condition(event).is_some()
    }

    /// The index of the first condition that holds for `event`, if any.
    pub fn matching_condition<E: Event + ?Sized>(&self, event: &E) -> Option<usize> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.first_match(event, &mut scratch),
            // Only reachable if an `Event` implementation evaluates rules itself.
            Err(_) => self.first_match(event, &mut Scratch::default()),
        })
    }

    fn first_match<E: Event + ?Sized>(&self, event: &E, sc: &mut Scratch) -> Option<usize> {
        self.conditions.iter().position(|n| eval(n, event, sc))
    }
}

/// Readies every pattern set once merging is done.
fn prepare(node: &mut Node) {
    match node {
        Node::And(xs) | Node::Or(xs) => xs.iter_mut().for_each(prepare),
        Node::Not(x) => prepare(x),
        Node::Leaf(Leaf {
            test: Test::Patterns(set),
            ..
        }) => set.prepare(),
        Node::Leaf(_) => {}
    }
}

fn compile(expr: &Expr, source: &Arc<Source>) -> Result<Node, Diagnostic> {
    let all = |xs: &[Expr]| {
        xs.iter()
            .map(|x| compile(x, source))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match expr {
        Expr::And(xs) => Node::And(merge(all(xs)?, true)),
        Expr::Or(xs) => Node::Or(merge(all(xs)?, false)),
        Expr::Not(x) => Node::Not(Box::new(compile(x, source)?)),
        Expr::Match(m) => Node::Leaf(compile_leaf(m, source)?),
    })
}

fn compile_leaf(m: &Match, source: &Arc<Source>) -> Result<Leaf, Diagnostic> {
    let refuse = |message: String| Diagnostic::error(UNSUPPORTED, message, source, m.span);
    let keyword = m.field.is_none();
    let patterns = |ps: &[&Pattern]| {
        ps.iter()
            .map(|p| {
                let p = if keyword {
                    as_substring(p)
                } else {
                    (*p).clone()
                };
                Wildcard::new(&p).map_err(|name| {
                    refuse(format!(
                        "unresolved placeholder %{name}% cannot be evaluated"
                    ))
                    .with_help("resolve placeholders with a pipeline before testing the rule")
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let test = match &m.value {
        Value::Str(p) => Test::Patterns(PatternSet::any(patterns(&[p])?)),
        Value::Expansion(ps) => {
            Test::Patterns(PatternSet::any(patterns(&ps.iter().collect::<Vec<_>>())?))
        }
        Value::Num(n) => Test::Num(*n),
        Value::Bool(b) => Test::Bool(*b),
        Value::Null if keyword => {
            return Err(refuse("a null value must be bound to a field".into()));
        }
        Value::Null => Test::Null,
        Value::Regex { pattern, flags } => {
            let built = regex::RegexBuilder::new(pattern)
                .case_insensitive(flags.ignore_case)
                .multi_line(flags.multi_line)
                .dot_matches_new_line(flags.dot_all)
                .build();
            match built {
                Ok(re) => Test::Regex(re),
                Err(e) => return Err(regex_refusal(refuse, pattern, &e)),
            }
        }
        Value::Cidr(net) => Test::Cidr(net.trunc()),
        Value::Compare { op, value } => Test::Compare {
            op: *op,
            value: *value,
        },
        Value::Exists(_) | Value::FieldRef { .. } if keyword => {
            return Err(refuse("`exists` and `fieldref` need a field".into()));
        }
        Value::Exists(b) => Test::Exists(*b),
        Value::FieldRef { field, kind } => Test::FieldRef {
            field: field.as_str().into(),
            kind: *kind,
        },
        Value::TimePart { part, value } => Test::TimePart {
            part: *part,
            value: *value,
        },
    };
    Ok(Leaf {
        field: m.field.as_deref().map(Into::into),
        test,
    })
}

/// Merges the string leaves of one `And` (`all`) or `Or` that test the same field into one leaf,
/// so that the field is looked up and case-folded once for all their patterns (a list of values
/// under one key becomes such an `Or`; `contains|all` such an `And`). Keywords merge only under
/// `Or`: under `And` each may match a different value of the event.
fn merge(nodes: Vec<Node>, all: bool) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Node::Leaf(leaf) = node else {
            out.push(node);
            continue;
        };
        if !leaf.mergeable(all) {
            out.push(Node::Leaf(leaf));
            continue;
        }
        let target = out.iter_mut().find_map(|n| match n {
            Node::Leaf(prev) if prev.field == leaf.field && prev.mergeable(all) => Some(prev),
            _ => None,
        });
        match (target, leaf.test) {
            (
                Some(Leaf {
                    test: Test::Patterns(set),
                    ..
                }),
                Test::Patterns(more),
            ) => set.absorb(more, all),
            (_, test) => out.push(Node::Leaf(Leaf {
                field: leaf.field,
                test,
            })),
        }
    }
    out
}

impl Leaf {
    /// Whether this leaf can be merged with others of an `And` (`all`) or `Or`.
    fn mergeable(&self, all: bool) -> bool {
        (self.field.is_some() || !all)
            && matches!(&self.test, Test::Patterns(set) if set.mergeable(all))
    }
}

/// Explains why a regex cannot be run; the `regex` crate has no look-around or backreferences.
fn regex_refusal(
    refuse: impl Fn(String) -> Diagnostic,
    pattern: &str,
    err: &regex::Error,
) -> Diagnostic {
    let text = err.to_string();
    let lower = text.to_ascii_lowercase();
    let what = if lower.contains("look-around") || lower.contains("lookaround") {
        "it uses look-around (look-ahead or look-behind)"
    } else if lower.contains("backreference") {
        "it uses a backreference"
    } else {
        "it does not compile"
    };
    let first_line = text.lines().last().unwrap_or("").trim();
    refuse(format!("regex `{pattern}` cannot be evaluated: {what}"))
        .with_help(format!(
            "the evaluator uses the Rust `regex` crate, which supports neither look-around nor backreferences ({first_line})"
        ))
}

/// A keyword pattern as a substring pattern: `*…*` unless already there.
fn as_substring(p: &Pattern) -> Pattern {
    let mut parts = Vec::with_capacity(p.parts.len() + 2);
    if !p.starts_with_any() {
        parts.push(Part::AnyRun);
    }
    parts.extend(p.parts.iter().cloned());
    if !p.ends_with_any() {
        parts.push(Part::AnyRun);
    }
    Pattern {
        parts,
        cased: p.cased,
    }
}

fn eval<E: Event + ?Sized>(node: &Node, event: &E, sc: &mut Scratch) -> bool {
    match node {
        Node::And(xs) => xs.iter().all(|x| eval(x, event, sc)),
        Node::Or(xs) => xs.iter().any(|x| eval(x, event, sc)),
        Node::Not(x) => !eval(x, event, sc),
        Node::Leaf(leaf) => eval_leaf(leaf, event, sc),
    }
}

fn eval_leaf<E: Event + ?Sized>(leaf: &Leaf, event: &E, sc: &mut Scratch) -> bool {
    let Some(field) = &leaf.field else {
        return event.any_scalar(&mut |v| leaf.test.scalar(v, sc));
    };
    let value = event.field(field);
    match &leaf.test {
        Test::Null => matches!(value, None | Some(FieldValue::Null)),
        Test::Exists(want) => matches!(value, Some(ref v) if *v != FieldValue::Null) == *want,
        Test::FieldRef { field: other, kind } => match (value, event.field(other)) {
            (Some(a), Some(b)) => field_ref(&a, &b, *kind, sc),
            _ => false,
        },
        test => value.is_some_and(|v| test.value(&v, sc)),
    }
}

impl Test {
    /// A field's value: a list matches when any element does.
    fn value(&self, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
        match (self, v) {
            (Test::Patterns(set), _) => set.matches_value(v, sc),
            (_, FieldValue::List(xs)) => xs.iter().any(|x| self.value(x, sc)),
            _ => self.scalar(v, sc),
        }
    }

    /// One scalar (for keywords, any of the event's scalars).
    fn scalar(&self, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
        match self {
            Test::Patterns(set) => set.matches_scalar(v, sc),
            Test::Num(n) => scalar_num(v).is_some_and(|x| x.equals(Num::from(*n))),
            Test::Bool(b) => match *v {
                FieldValue::Bool(x) => x == *b,
                FieldValue::Str(s) => s.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
                _ => false,
            },
            Test::Null => *v == FieldValue::Null,
            Test::Regex(re) => scalar_text(v, &mut sc.num).is_some_and(|t| re.is_match(t)),
            Test::Cidr(net) => match *v {
                FieldValue::Str(s) => parse_ip(s).is_some_and(|ip| in_net(net, ip)),
                _ => false,
            },
            Test::Compare { op, value } => scalar_num(v)
                .and_then(|x| x.cmp(Num::from(*value)))
                .is_some_and(|ord| match op {
                    CmpOp::Lt => ord.is_lt(),
                    CmpOp::Lte => ord.is_le(),
                    CmpOp::Gt => ord.is_gt(),
                    CmpOp::Gte => ord.is_ge(),
                }),
            Test::TimePart { part, value } => match *v {
                FieldValue::Str(s) => time::parse(s).is_some_and(|ts| {
                    Num::Int(time::part(ts, *part).into()).equals(Num::from(*value))
                }),
                _ => false,
            },
            // Only meaningful with a field; refused for keywords when compiling.
            Test::Exists(_) | Test::FieldRef { .. } => false,
        }
    }
}

/// Compares two fields' text forms, case-insensitively; lists compare element by element.
fn field_ref(a: &FieldValue<'_>, b: &FieldValue<'_>, kind: FieldRefKind, sc: &mut Scratch) -> bool {
    if let FieldValue::List(xs) = a {
        return xs.iter().any(|x| field_ref(x, b, kind, sc));
    }
    if let FieldValue::List(ys) = b {
        return ys.iter().any(|y| field_ref(a, y, kind, sc));
    }
    let Scratch {
        num,
        num2,
        fold,
        fold2,
    } = sc;
    let (Some(ta), Some(tb)) = (scalar_text(a, num), scalar_text(b, num2)) else {
        return false;
    };
    fold_into(ta, fold);
    fold_into(tb, fold2);
    let (a, b) = (fold.as_str(), fold2.as_str());
    match kind {
        FieldRefKind::Equals => a == b,
        FieldRefKind::StartsWith => a.starts_with(b),
        FieldRefKind::EndsWith => a.ends_with(b),
        FieldRefKind::Contains => a.contains(b),
    }
}

/// An IP address as logs write it: plain, with an IPv6 zone (`fe80::1%12`) or in brackets.
fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    let s = s.split_once('%').map_or(s, |(addr, _zone)| addr);
    s.parse().ok()
}

/// Network membership; an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) counts as IPv4.
fn in_net(net: &ipnet::IpNet, ip: IpAddr) -> bool {
    net.contains(&ip)
        || match (net, ip) {
            (ipnet::IpNet::V4(v4), IpAddr::V6(v6)) => {
                v6.to_ipv4_mapped().is_some_and(|m| v4.contains(&m))
            }
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::JsonEvent;
    use crate::eval::event::tests::sysmon_event;
    use crate::ir::{LogSource, Meta, RegexFlags};
    use crate::span::Span;
    use serde_json::{Value as Json, json};

    /// `*` and `?` are wildcards, everything else literal (tests only).
    fn pat(text: &str) -> Pattern {
        let mut p = Pattern::default();
        for c in text.chars() {
            p.push(match c {
                '*' => Part::AnyRun,
                '?' => Part::AnyChar,
                c => Part::Lit(c.to_string()),
            });
        }
        p
    }

    fn s(text: &str) -> Value {
        Value::Str(pat(text))
    }

    fn cased(text: &str) -> Value {
        let mut p = pat(text);
        p.cased = true;
        Value::Str(p)
    }

    fn leaf(field: Option<&str>, value: Value) -> Expr {
        Expr::Match(Match {
            field: field.map(Into::into),
            value,
            span: Span::new(3, 7),
        })
    }

    fn rule(conditions: Vec<Expr>) -> Rule {
        Rule {
            meta: Meta::default(),
            logsource: LogSource::default(),
            conditions,
            source: Source::new("rule.yml", "title: t\n"),
            span: Span::default(),
        }
    }

    fn matcher(expr: Expr) -> Matcher {
        Matcher::new(&rule(vec![expr])).expect("compiles")
    }

    /// Runs a table of (field, value, event, expected) rows.
    fn table(rows: &[(&str, Value, Json, bool)]) {
        for (field, value, event, want) in rows {
            let m = matcher(leaf(Some(field), value.clone()));
            assert_eq!(
                m.matches(&JsonEvent::new(event)),
                *want,
                "{field}: {value:?} on {event}"
            );
        }
    }

    #[test]
    fn strings() {
        table(&[
            ("f", s("abc"), json!({"f": "abc"}), true),
            ("f", s("abc"), json!({"f": "ABC"}), true),
            ("f", s("ABC"), json!({"f": "abc"}), true),
            ("f", s("abc"), json!({"f": "abcd"}), false),
            (
                "f",
                s("*\\cmd.exe"),
                json!({"f": "C:\\Windows\\CMD.EXE"}),
                true,
            ),
            ("f", s("c:\\*"), json!({"f": "C:\\Windows"}), true),
            ("f", s("*WIN*"), json!({"f": "C:\\Windows"}), true),
            ("f", s("a?c"), json!({"f": "aXc"}), true),
            ("f", s(""), json!({"f": ""}), true),
            ("f", s(""), json!({"f": "x"}), false),
            ("f", s(""), json!({"f": null}), false),
            ("f", s(""), json!({}), false),
            ("f", s("*"), json!({"f": ""}), true),
            ("f", s("*"), json!({"f": null}), false),
            ("f", s("*"), json!({}), false),
            ("f", s("*"), json!({"f": {"k": "v"}}), false),
            // Non-ASCII folding.
            ("f", s("ÄRGER"), json!({"f": "ärger"}), true),
            (
                "f",
                s("*straße*"),
                json!({"f": "HAUPTSTRASSE STRASSE Straße"}),
                true,
            ),
            ("f", s("ΣΟΦΊΑ"), json!({"f": "σοφία"}), true),
            ("f", s("?rger"), json!({"f": "Ärger"}), true),
            ("f", s("*®*"), json!({"f": "Microsoft® Windows®"}), true),
            // Cased.
            ("f", cased("abc"), json!({"f": "abc"}), true),
            ("f", cased("abc"), json!({"f": "ABC"}), false),
            ("f", cased("*Ä*"), json!({"f": "xÄx"}), true),
            ("f", cased("*Ä*"), json!({"f": "xäx"}), false),
            // Numbers and booleans in the event compare as text.
            ("f", s("1"), json!({"f": 1}), true),
            ("f", s("1*"), json!({"f": 14144}), true),
            ("f", s("1.5"), json!({"f": 1.5}), true),
            ("f", s("TRUE"), json!({"f": true}), true),
            ("f", s("false"), json!({"f": true}), false),
            // Lists: any element.
            ("f", s("b"), json!({"f": ["a", "B"]}), true),
            ("f", s("c"), json!({"f": ["a", "b"]}), false),
            ("f", s("a"), json!({"f": []}), false),
        ]);
    }

    #[test]
    fn expansions() {
        let alternatives = Value::Expansion(vec![pat("*-enc*"), pat("*/enc*"), pat("*–enc*")]);
        table(&[
            ("f", alternatives.clone(), json!({"f": "ps -Enc x"}), true),
            ("f", alternatives.clone(), json!({"f": "ps /ENC x"}), true),
            ("f", alternatives.clone(), json!({"f": "ps –enc x"}), true),
            ("f", alternatives.clone(), json!({"f": "ps enc x"}), false),
            ("f", Value::Expansion(vec![]), json!({"f": "x"}), false),
        ]);
        // A cased alternative next to a folded one.
        let mut upper = pat("X");
        upper.cased = true;
        let mixed = Value::Expansion(vec![upper, pat("y")]);
        table(&[
            ("f", mixed.clone(), json!({"f": "X"}), true),
            ("f", mixed.clone(), json!({"f": "x"}), false),
            ("f", mixed.clone(), json!({"f": "Y"}), true),
        ]);
    }

    #[test]
    fn numbers_booleans_nulls() {
        let one = Value::Num(Number::Int(1));
        table(&[
            ("f", one.clone(), json!({"f": 1}), true),
            ("f", one.clone(), json!({"f": "1"}), true),
            ("f", one.clone(), json!({"f": 1.0}), true),
            ("f", one.clone(), json!({"f": "1.0"}), true),
            ("f", one.clone(), json!({"f": "0x1"}), true),
            ("f", one.clone(), json!({"f": 2}), false),
            ("f", one.clone(), json!({"f": "1 "}), false),
            ("f", one.clone(), json!({"f": "one"}), false),
            ("f", one.clone(), json!({"f": true}), false),
            ("f", one.clone(), json!({"f": null}), false),
            ("f", one.clone(), json!({}), false),
            ("f", one.clone(), json!({"f": [3, "1"]}), true),
            (
                "f",
                Value::Num(Number::Float(0.5)),
                json!({"f": "0.5"}),
                true,
            ),
            ("f", Value::Num(Number::Float(0.5)), json!({"f": 0.5}), true),
            ("f", Value::Num(Number::Int(-3)), json!({"f": -3}), true),
            ("f", Value::Bool(true), json!({"f": true}), true),
            ("f", Value::Bool(true), json!({"f": "True"}), true),
            ("f", Value::Bool(true), json!({"f": "TRUE"}), true),
            ("f", Value::Bool(true), json!({"f": false}), false),
            ("f", Value::Bool(true), json!({"f": 1}), false),
            ("f", Value::Bool(false), json!({"f": "false"}), true),
            ("f", Value::Bool(false), json!({}), false),
            ("f", Value::Null, json!({}), true),
            ("f", Value::Null, json!({"f": null}), true),
            ("f", Value::Null, json!({"f": ""}), false),
            ("f", Value::Null, json!({"f": []}), false),
            ("f", Value::Null, json!({"g": 1}), true),
        ]);
    }

    #[test]
    fn exists() {
        table(&[
            ("f", Value::Exists(true), json!({"f": "x"}), true),
            ("f", Value::Exists(true), json!({"f": ""}), true),
            ("f", Value::Exists(true), json!({"f": 0}), true),
            ("f", Value::Exists(true), json!({"f": {"a": 1}}), true),
            ("f", Value::Exists(true), json!({"f": null}), false),
            ("f", Value::Exists(true), json!({}), false),
            ("f", Value::Exists(false), json!({}), true),
            ("f", Value::Exists(false), json!({"f": null}), true),
            ("f", Value::Exists(false), json!({"f": "x"}), false),
        ]);
    }

    fn re(pattern: &str, flags: RegexFlags) -> Value {
        Value::Regex {
            pattern: pattern.into(),
            flags,
        }
    }

    #[test]
    fn regexes() {
        let none = RegexFlags::default();
        let i = RegexFlags {
            ignore_case: true,
            ..none
        };
        let m = RegexFlags {
            multi_line: true,
            ..none
        };
        let dot = RegexFlags {
            dot_all: true,
            ..none
        };
        table(&[
            ("f", re("cmd", none), json!({"f": "x cmd y"}), true),
            ("f", re("cmd", none), json!({"f": "x CMD y"}), false),
            ("f", re("cmd", i), json!({"f": "x CMD y"}), true),
            ("f", re("^cmd$", none), json!({"f": "cmd"}), true),
            ("f", re("^cmd$", none), json!({"f": "a\ncmd"}), false),
            ("f", re("^cmd$", m), json!({"f": "a\ncmd"}), true),
            ("f", re("a.b", none), json!({"f": "a\nb"}), false),
            ("f", re("a.b", dot), json!({"f": "a\nb"}), true),
            ("f", re("^\\d{4}$", none), json!({"f": 4688}), true),
            ("f", re("^true$", none), json!({"f": true}), true),
            ("f", re(".*", none), json!({"f": null}), false),
            ("f", re(".*", none), json!({}), false),
            ("f", re("b", none), json!({"f": ["a", "b"]}), true),
        ]);
    }

    fn cidr(net: &str) -> Value {
        Value::Cidr(net.parse().unwrap())
    }

    #[test]
    fn cidrs() {
        table(&[
            ("ip", cidr("10.0.0.0/8"), json!({"ip": "10.1.2.3"}), true),
            ("ip", cidr("10.0.0.0/8"), json!({"ip": "11.1.2.3"}), false),
            ("ip", cidr("10.1.2.3/32"), json!({"ip": "10.1.2.3"}), true),
            (
                "ip",
                cidr("192.168.1.7/24"),
                json!({"ip": "192.168.1.200"}),
                true,
            ),
            (
                "ip",
                cidr("10.0.0.0/8"),
                json!({"ip": "::ffff:10.0.0.1"}),
                true,
            ),
            ("ip", cidr("10.0.0.0/8"), json!({"ip": "not an ip"}), false),
            ("ip", cidr("10.0.0.0/8"), json!({"ip": "10.0.0"}), false),
            ("ip", cidr("10.0.0.0/8"), json!({"ip": 10}), false),
            (
                "ip",
                cidr("10.0.0.0/8"),
                json!({"ip": ["1.1.1.1", "10.9.9.9"]}),
                true,
            ),
            ("ip", cidr("10.0.0.0/8"), json!({}), false),
            ("ip", cidr("fe80::/10"), json!({"ip": "fe80::1"}), true),
            ("ip", cidr("fe80::/10"), json!({"ip": "fe80::1%12"}), true),
            ("ip", cidr("fe80::/10"), json!({"ip": "[fe80::1]"}), true),
            ("ip", cidr("fe80::/10"), json!({"ip": "2001:db8::1"}), false),
            (
                "ip",
                cidr("2001:db8::/32"),
                json!({"ip": "2001:DB8::1"}),
                true,
            ),
            ("ip", cidr("::/0"), json!({"ip": "10.0.0.1"}), false),
        ]);
    }

    fn cmp(op: CmpOp, value: Number) -> Value {
        Value::Compare { op, value }
    }

    #[test]
    fn comparisons() {
        let (int, float) = (Number::Int, Number::Float);
        table(&[
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": 6}), true),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": 5}), false),
            ("n", cmp(CmpOp::Gte, int(5)), json!({"n": 5}), true),
            ("n", cmp(CmpOp::Lt, int(5)), json!({"n": 4}), true),
            ("n", cmp(CmpOp::Lte, int(5)), json!({"n": 5}), true),
            ("n", cmp(CmpOp::Lte, int(5)), json!({"n": 5.5}), false),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": "10"}), true),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": "4"}), false),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": "5.01"}), true),
            ("n", cmp(CmpOp::Gt, int(15)), json!({"n": "0x10"}), true),
            ("n", cmp(CmpOp::Gt, float(0.5)), json!({"n": 1}), true),
            ("n", cmp(CmpOp::Lt, int(0)), json!({"n": "-1"}), true),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": "ten"}), false),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": true}), false),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": null}), false),
            ("n", cmp(CmpOp::Gt, int(5)), json!({}), false),
            ("n", cmp(CmpOp::Gt, int(5)), json!({"n": [1, 9]}), true),
            (
                "n",
                cmp(CmpOp::Gt, int(i64::MAX)),
                json!({"n": u64::MAX}),
                true,
            ),
        ]);
    }

    fn fieldref(field: &str, kind: FieldRefKind) -> Value {
        Value::FieldRef {
            field: field.into(),
            kind,
        }
    }

    #[test]
    fn field_refs() {
        use FieldRefKind::*;
        let ev = json!({"a": "C:\\Temp\\Evil.exe", "b": "c:\\temp\\evil.EXE", "c": "c:\\temp",
                        "d": "evil.exe", "e": "EVIL", "n": 5, "m": "5", "z": null, "l": ["x", "evil"]});
        table(&[
            ("a", fieldref("b", Equals), ev.clone(), true),
            ("a", fieldref("c", Equals), ev.clone(), false),
            ("a", fieldref("c", StartsWith), ev.clone(), true),
            ("a", fieldref("d", StartsWith), ev.clone(), false),
            ("a", fieldref("d", EndsWith), ev.clone(), true),
            ("a", fieldref("c", EndsWith), ev.clone(), false),
            ("a", fieldref("e", Contains), ev.clone(), true),
            ("c", fieldref("a", Contains), ev.clone(), false),
            ("n", fieldref("m", Equals), ev.clone(), true),
            ("a", fieldref("l", Contains), ev.clone(), true),
            ("a", fieldref("z", Contains), ev.clone(), false),
            ("z", fieldref("a", Equals), ev.clone(), false),
            ("a", fieldref("missing", Contains), ev.clone(), false),
            ("missing", fieldref("a", Equals), ev.clone(), false),
        ]);
    }

    fn tp(part: TimePart, value: i64) -> Value {
        Value::TimePart {
            part,
            value: Number::Int(value),
        }
    }

    #[test]
    fn time_parts() {
        let ev = json!({"t": "2023-05-01T12:34:56.789Z", "u": "2025-12-25 14:30:27.352",
                        "z": "2023-01-01T00:30:00+01:00", "bad": "yesterday", "n": 1682944496});
        table(&[
            ("t", tp(TimePart::Minute, 34), ev.clone(), true),
            ("t", tp(TimePart::Hour, 12), ev.clone(), true),
            ("t", tp(TimePart::Hour, 13), ev.clone(), false),
            ("t", tp(TimePart::Day, 1), ev.clone(), true),
            ("t", tp(TimePart::Week, 18), ev.clone(), true),
            ("t", tp(TimePart::Month, 5), ev.clone(), true),
            ("t", tp(TimePart::Year, 2023), ev.clone(), true),
            ("u", tp(TimePart::Week, 52), ev.clone(), true),
            ("u", tp(TimePart::Day, 25), ev.clone(), true),
            ("z", tp(TimePart::Year, 2022), ev.clone(), true),
            ("z", tp(TimePart::Hour, 23), ev.clone(), true),
            ("bad", tp(TimePart::Year, 2023), ev.clone(), false),
            ("n", tp(TimePart::Year, 2023), ev.clone(), false),
            ("missing", tp(TimePart::Year, 2023), ev.clone(), false),
            (
                "t",
                Value::TimePart {
                    part: TimePart::Month,
                    value: Number::Float(5.0),
                },
                ev.clone(),
                true,
            ),
        ]);
    }

    #[test]
    fn keywords() {
        let ev = json!({"a": "Invoke-Mimikatz -DumpCreds", "b": {"c": ["x", 4688]}, "d": true,
                        "e": "10.1.2.3"});
        let rows: &[(Value, bool)] = &[
            (s("mimikatz"), true),
            (s("MIMIKATZ"), true),
            (s("*mimikatz*"), true),
            (s("invoke-*-dump"), true),
            (s("mimikatz -dumpcreds"), true),
            (s("absent"), false),
            (s("468"), true),
            (s("tru"), true),
            (cased("mimikatz"), false),
            (cased("Mimikatz"), true),
            (Value::Expansion(vec![pat("nope"), pat("DUMP")]), true),
            (re("Mimi[k]atz", RegexFlags::default()), true),
            (re("^x$", RegexFlags::default()), true),
            (Value::Num(Number::Int(4688)), true),
            (Value::Num(Number::Int(468)), false),
            (Value::Bool(true), true),
            (cidr("10.0.0.0/8"), true),
            (cmp(CmpOp::Gt, Number::Int(4000)), true),
            (cmp(CmpOp::Gt, Number::Int(5000)), false),
        ];
        for (value, want) in rows {
            let m = matcher(leaf(None, value.clone()));
            assert_eq!(m.matches(&JsonEvent::new(&ev)), *want, "keyword {value:?}");
            assert_eq!(m.matches(&ev), *want, "keyword {value:?} (plain JSON)");
        }
    }

    #[test]
    fn boolean_structure() {
        let ev = json!({"a": "1", "b": "2"});
        let a1 = || leaf(Some("a"), s("1"));
        let b2 = || leaf(Some("b"), s("2"));
        let b3 = || leaf(Some("b"), s("3"));
        let rows = [
            (Expr::And(vec![a1(), b2()]), true),
            (Expr::And(vec![a1(), b3()]), false),
            (Expr::Or(vec![b3(), a1()]), true),
            (Expr::Or(vec![b3(), b3()]), false),
            (Expr::Not(Box::new(b3())), true),
            (Expr::Not(Box::new(Expr::Or(vec![b3(), a1()]))), false),
            (Expr::And(vec![]), true),
            (Expr::Or(vec![]), false),
        ];
        for (expr, want) in rows {
            assert_eq!(matcher(expr.clone()).matches(&ev), want, "{expr:?}");
        }
        // Conditions are ORed; the first that holds is reported.
        let m = Matcher::new(&rule(vec![b3(), a1(), b2()])).unwrap();
        assert!(m.matches(&ev));
        assert_eq!(m.matching_condition(&ev), Some(1));
        let none = Matcher::new(&rule(vec![])).unwrap();
        assert!(!none.matches(&ev));
    }

    #[test]
    fn merged_leaves_keep_their_meaning() {
        let f = |v: &str| leaf(Some("f"), s(v));
        let g = |v: &str| leaf(Some("g"), s(v));
        let kw = |v: &str| leaf(None, s(v));
        let exp = |vs: &[&str]| {
            leaf(
                Some("f"),
                Value::Expansion(vs.iter().map(|v| pat(v)).collect()),
            )
        };
        let scalar = json!({"f": "alpha beta", "g": "x"});
        let list = json!({"f": ["alpha", "beta"], "g": "x"});
        let rows = [
            (Expr::Or(vec![f("x"), g("x"), f("*beta")]), &scalar, true),
            (Expr::Or(vec![f("x"), g("y"), f("y")]), &scalar, false),
            (
                Expr::And(vec![f("*alpha*"), g("x"), f("*beta*")]),
                &scalar,
                true,
            ),
            (Expr::And(vec![f("*alpha*"), f("*gamma*")]), &scalar, false),
            // `contains|all` over a list: each value may be found in a different element.
            (Expr::And(vec![f("*alpha*"), f("*beta*")]), &list, true),
            (Expr::And(vec![f("*alpha*"), f("*gamma*")]), &list, false),
            (Expr::Or(vec![f("gamma"), f("beta")]), &list, true),
            // An expansion is an `Or` inside an `And`.
            (
                Expr::And(vec![exp(&["x", "alpha*"]), f("*beta")]),
                &scalar,
                true,
            ),
            (
                Expr::And(vec![f("*beta"), exp(&["x", "y"])]),
                &scalar,
                false,
            ),
            (Expr::And(vec![f("*beta"), exp(&[])]), &scalar, false),
            (Expr::Or(vec![exp(&["x", "y"]), f("alpha*")]), &scalar, true),
            // Keywords under `And` are separate searches over the event.
            (Expr::And(vec![kw("alpha"), kw("x")]), &scalar, true),
            (Expr::And(vec![kw("alpha"), kw("gamma")]), &scalar, false),
            (Expr::Or(vec![kw("gamma"), kw("x")]), &scalar, true),
            (
                Expr::Not(Box::new(Expr::Or(vec![f("x"), f("alpha*")]))),
                &scalar,
                false,
            ),
        ];
        for (expr, event, want) in rows {
            assert_eq!(
                matcher(expr.clone()).matches(event),
                want,
                "{expr:?} on {event}"
            );
        }
    }

    #[test]
    fn sysmon_regression_event() {
        // proc_creation_win_amsi_registry_tampering, in the shape of the regression data.
        let ev = sysmon_event();
        let ev = JsonEvent::new(&ev);
        let selection = Expr::And(vec![
            leaf(Some("EventID"), Value::Num(Number::Int(1))),
            leaf(Some("Channel"), s("Microsoft-Windows-Sysmon/Operational")),
            Expr::Or(vec![
                leaf(Some("Image"), s("*\\reg.exe")),
                leaf(Some("OriginalFileName"), s("reg.exe")),
            ]),
            leaf(
                Some("CommandLine"),
                s("*\\software\\microsoft\\windows script\\settings*"),
            ),
            leaf(Some("CommandLine"), s("*amsienable*")),
            Expr::Not(Box::new(leaf(Some("ParentImage"), s("*\\explorer.exe")))),
            leaf(Some("ProcessId"), cmp(CmpOp::Gt, Number::Int(1000))),
            leaf(Some("Event.System.EventID"), s("1")),
            leaf(Some("Correlation"), Value::Null),
            leaf(Some("UtcTime"), tp(TimePart::Month, 12)),
        ]);
        assert!(matcher(selection).matches(&ev));
        let other = leaf(Some("Image"), s("*\\cmd.exe"));
        assert!(!matcher(other).matches(&ev));
        assert!(matcher(leaf(None, s("AmsiEnable /t"))).matches(&ev));
    }

    #[test]
    fn matcher_is_shareable_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Matcher>();
    }

    fn refusal(value: Value, field: Option<&str>) -> Diagnostic {
        Matcher::new(&rule(vec![Expr::And(vec![
            leaf(Some("x"), s("y")),
            leaf(field, value),
        ])]))
        .expect_err("refused")
    }

    #[test]
    fn refusals() {
        let mut p = pat("*");
        p.push(Part::Placeholder("Administrators".into()));
        let d = refusal(Value::Str(p.clone()), Some("User"));
        assert_eq!(d.code, "unsupported-feature");
        assert_eq!(d.span, Some(Span::new(3, 7)));
        assert!(d.message.contains("%Administrators%"), "{}", d.message);
        assert_eq!(d.location().as_deref(), Some("rule.yml:1:4"));

        let d = refusal(Value::Expansion(vec![pat("a"), p]), Some("User"));
        assert!(d.message.contains("placeholder"), "{}", d.message);

        let d = refusal(re("(?<=a)b", RegexFlags::default()), Some("f"));
        assert_eq!(d.code, "unsupported-feature");
        assert!(d.message.contains("look-around"), "{}", d.message);
        let d = refusal(re("(a)\\1", RegexFlags::default()), Some("f"));
        assert!(d.message.contains("backreference"), "{}", d.message);
        let d = refusal(re("(unclosed", RegexFlags::default()), Some("f"));
        assert!(d.message.contains("does not compile"), "{}", d.message);

        for value in [
            Value::Null,
            Value::Exists(true),
            fieldref("a", FieldRefKind::Equals),
        ] {
            let d = refusal(value.clone(), None);
            assert_eq!(d.code, "unsupported-feature", "{value:?}");
        }
    }
}
