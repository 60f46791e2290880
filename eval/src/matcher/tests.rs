use super::*;
use crate::event::tests::sysmon_event;
use crate::{JsonEvent, RuleSet, Scope};
use serde_json::{Value as Json, json};
use sigc_compiler::diagnostic::Source;
use sigc_compiler::ir::{Expr, Match, Origin, Part, Pattern, Value};
use sigc_compiler::ir::{LogSource, Meta, RegexFlags};
use sigc_compiler::span::Span;

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
        origin: Origin::Source(Span::new(3, 7)),
    })
}

fn rule(conditions: Vec<Expr>) -> Rule {
    Rule {
        meta: Meta::default(),
        logsource: LogSource::default(),
        conditions,
        tests: None,
        source: Source::new("rule.yml", "title: t\n"),
        span: Span::default(),
    }
}

fn matcher(expr: Expr) -> Matcher {
    Matcher::new(&rule(vec![expr])).expect("compiles")
}

/// Whether `m` matches `event`, checked to be the same alone and in a [`RuleSet`] (with its
/// fields numbered differently there, and the literal pre-filter).
fn eval(m: &Matcher, event: &Json) -> bool {
    let alone = m.matches(&JsonEvent::new(event));
    let decoy = matcher(Expr::Or(vec![
        leaf(Some("zz"), s("*decoy*")),
        leaf(Some("f"), s("*decoy*")),
    ]));
    let set = RuleSet::new([(decoy, Scope::Any), (m.clone(), Scope::Any)]);
    let mut out = Vec::new();
    set.matches(&JsonEvent::new(event), &mut out);
    assert_eq!(out.contains(&1), alone, "in a rule set: {m:?} on {event}");
    let mut from_text = Vec::new();
    assert!(set.matches_text(event.to_string().as_bytes(), &mut from_text));
    assert_eq!(from_text, out, "from text: {m:?} on {event}");
    alone
}

/// Runs a table of (field, value, event, expected) rows.
fn table(rows: &[(&str, Value, Json, bool)]) {
    for (field, value, event, want) in rows {
        let m = matcher(leaf(Some(field), value.clone()));
        assert_eq!(eval(&m, event), *want, "{field}: {value:?} on {event}");
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
        assert_eq!(eval(&m, &ev), *want, "keyword {value:?}");
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
        assert_eq!(eval(&matcher(expr.clone()), &ev), want, "{expr:?}");
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
            eval(&matcher(expr.clone()), event),
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
    assert_eq!(d.code, "unsupported_feature");
    assert_eq!(d.span, Some(Span::new(3, 7)));
    assert!(d.message.contains("%Administrators%"), "{}", d.message);
    assert_eq!(d.location().as_deref(), Some("rule.yml:1:4"));

    let d = refusal(Value::Expansion(vec![pat("a"), p]), Some("User"));
    assert!(d.message.contains("placeholder"), "{}", d.message);

    let d = refusal(re("(?<=a)b", RegexFlags::default()), Some("f"));
    assert_eq!(d.code, "unsupported_feature");
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
        assert_eq!(d.code, "unsupported_feature", "{value:?}");
    }
}

/// A rule's need, with field names (`*` for keywords).
fn need_of(conditions: Vec<Expr>) -> Option<Vec<(String, String)>> {
    let m = Matcher::new(&rule(conditions)).unwrap();
    m.need().map(|need| {
        need.into_iter()
            .map(|(f, l)| {
                let field = f.map_or("*", |f| &m.fields()[f as usize]);
                (field.to_string(), l.to_string())
            })
            .collect()
    })
}

#[test]
fn needs_are_necessary_literals() {
    let f = |v: &str| leaf(Some("f"), s(v));
    let g = |v: &str| leaf(Some("g"), s(v));
    let pair = |f: &str, l: &str| (f.to_string(), l.to_string());
    let rows = [
        (
            vec![Expr::And(vec![f("*\\REG.exe"), g("*add*")])],
            Some(vec![pair("f", "\\reg.exe")]),
        ),
        (
            vec![Expr::Or(vec![f("a*"), g("*bb")])],
            Some(vec![pair("f", "a"), pair("g", "bb")]),
        ),
        (
            vec![f("a"), g("b")],
            Some(vec![pair("f", "a"), pair("g", "b")]),
        ),
        // contains|all: one literal suffices, the longest.
        (
            vec![Expr::And(vec![f("*a*"), f("*bcd*")])],
            Some(vec![pair("f", "bcd")]),
        ),
        // A selection and a filter: the filter guarantees nothing.
        (
            vec![Expr::And(vec![
                f("x*yz"),
                Expr::Not(Box::new(g("*longer literal*"))),
            ])],
            Some(vec![pair("f", "yz")]),
        ),
        (vec![Expr::Not(Box::new(f("a")))], None),
        (
            vec![Expr::Or(vec![f("a"), Expr::Not(Box::new(g("b")))])],
            None,
        ),
        // A keyword: its literal, in any scalar.
        (
            vec![leaf(None, s("Key*Word"))],
            Some(vec![pair("*", "word")]),
        ),
        (
            vec![Expr::Or(vec![leaf(None, s("kw")), f("*x*")])],
            Some(vec![pair("*", "kw"), pair("f", "x")]),
        ),
        (vec![leaf(None, cased("Keyword"))], None),
        (vec![leaf(None, Value::Num(Number::Int(1)))], None),
        (vec![leaf(Some("f"), cased("A"))], None),
        (vec![f("*")], None),
        (vec![leaf(Some("f"), Value::Num(Number::Int(1)))], None),
        (vec![Expr::And(vec![])], None),
        // Never matches: nothing to look for.
        (vec![], Some(vec![])),
    ];
    for (conditions, want) in rows {
        assert_eq!(need_of(conditions.clone()), want, "{conditions:?}");
    }
}

#[test]
fn rule_sets_skip_only_rules_that_cannot_match() {
    let ev = json!({"Channel": "Security", "EventID": 4688, "f": "Alpha", "g": ["x", "Beta"]});
    let f = |v: &str| leaf(Some("f"), s(v));
    let g = |v: &str| leaf(Some("g"), s(v));
    let rules = [
        (vec![f("*pha")], Scope::Any, true),
        (vec![f("*gamma*")], Scope::Any, false),
        (
            vec![Expr::And(vec![f("alpha"), g("*ETA")])],
            Scope::Any,
            true,
        ),
        (
            vec![Expr::And(vec![f("alpha"), g("*zeta")])],
            Scope::Any,
            false,
        ),
        (vec![Expr::Not(Box::new(f("*gamma*")))], Scope::Any, true),
        (vec![f("alpha")], Scope::NotWindows, false),
        (vec![leaf(None, s("bet"))], Scope::Windows, true),
        (vec![leaf(None, s("gamma"))], Scope::Windows, false),
        // Keywords see numbers as text.
        (vec![leaf(None, s("68"))], Scope::Any, true),
        (vec![leaf(None, cased("Alpha"))], Scope::Any, true),
        (vec![leaf(None, cased("alpha"))], Scope::Any, false),
        (vec![], Scope::Any, false),
    ];
    let set = RuleSet::new(rules.iter().map(|(conditions, scope, _)| {
        (
            Matcher::new(&rule(conditions.clone())).unwrap(),
            scope.clone(),
        )
    }));
    assert_eq!(set.len(), rules.len());
    let mut out = vec![99];
    set.matches(&JsonEvent::new(&ev), &mut out);
    let want: Vec<usize> = (0..rules.len()).filter(|&i| rules[i].2).collect();
    assert_eq!(out, want);
}

#[test]
fn rule_sets_read_text_as_they_read_values() {
    let security = || Scope::Channels(vec![("security".to_owned(), None)]);
    let rules = [
        (leaf(Some("Image"), s("*\\cmd.exe")), security()),
        // A keyword read from text only for the events its log source admits.
        (leaf(None, s("mimikatz")), security()),
        (leaf(Some("User"), s("bob")), Scope::NotWindows),
        (leaf(Some("Event.System.Computer"), s("pc*")), Scope::Any),
    ];
    let set = RuleSet::new(
        rules
            .iter()
            .map(|(expr, scope)| (matcher(expr.clone()), scope.clone())),
    );
    let data = json!({"Image": "C:\\x\\cmd.exe", "CommandLine": "x mimikatz\ty"});
    let cases = [
        (
            json!({"Event": {"System": {"Channel": "Security", "Computer": "PC1"}, "EventData": data}}),
            vec![0, 1, 3],
        ),
        (
            json!({"Event": {"System": {"Channel": "Other", "EventID": 1}, "EventData": data}}),
            vec![],
        ),
        (json!({"User": "Bob", "Image": "cmd.exe"}), vec![2]),
        (
            json!({"Event": {"UserData": {"X": {"User": "bob"}}}}),
            vec![2],
        ),
    ];
    for (event, want) in cases {
        let (mut from_value, mut from_text) = (Vec::new(), Vec::new());
        set.matches(&JsonEvent::new(&event), &mut from_value);
        assert!(set.matches_text(event.to_string().as_bytes(), &mut from_text));
        assert_eq!(from_value, want, "{event}");
        assert_eq!(from_text, want, "from text: {event}");
    }
    let mut out = vec![7];
    assert!(!set.matches_text(br#"{"User": "bob", "User": "x"}"#, &mut out));
    assert!(out.is_empty());
}
