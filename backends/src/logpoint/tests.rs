//! LogPoint output for hand-built IR: pySigma-backend-logpoint's own test vectors, our fixes, and
//! property tests that a rendered value never breaks out of its literal.

use super::LogPoint;
use super::regex;
use super::tokens::LOGPOINT;
use crate::Target;
use crate::text::read_back::{Tok, intended, scan};
use crate::text::test_ir::{self, cased, m, not, p, patterns, placeholder, re, rule_with, s};
use proptest::prelude::*;
use sigc_compiler::ir::{
    CmpOp, Expr, FieldRefKind, Match, Number, Origin, Part, Pattern, PipelineItem, RegexFlags,
    TimePart, Value,
};
use sigc_compiler::span::Span;

fn convert(condition: Expr) -> String {
    test_ir::query(&LogPoint, condition)
}

fn error(condition: Expr) -> String {
    test_ir::unsupported(&LogPoint, condition)
}

fn cidr(field: &str, net: &str) -> Expr {
    m(field, Value::Cidr(net.parse().unwrap()))
}

/// A leaf as a pipeline's `add_condition` makes it.
fn added(field: &str, value: &str) -> Expr {
    Expr::Match(Match {
        field: Some(field.into()),
        value: Value::Str(p(value)),
        origin: Origin::pipeline("test".into(), PipelineItem::Position(1), Span::default()),
    })
}

#[test]
fn pysigma_one_of_with_lists() {
    let q = Expr::And(vec![
        Expr::Or(vec![
            s("OriginalFileName", "Cmd.exe"),
            s("Image", r"*\\cmd.exe"),
        ]),
        Expr::Or(vec![s("CommandLine", "*<*"), s("CommandLine", "*>*")]),
    ]);
    assert_eq!(
        convert(q),
        r#"OriginalFileName="Cmd.exe" OR Image="*\cmd.exe" CommandLine IN ["*<*", "*>*"]"#
    );
}

#[test]
fn pysigma_regex_is_a_process_chain() {
    let q = Expr::And(vec![re("fieldA", "foo.*bar"), s("fieldB", "foo")]);
    assert_eq!(
        convert(q),
        "\n| process regex(\"(?P<fieldA_match>foo.*bar)\", fieldA)\n| process eval(\"fieldA_condition=case(isnotnull(fieldA_match) -> 'true', 'false')\")\n| search fieldA_condition=\"true\" fieldB=\"foo\""
    );
}

#[test]
fn pysigma_contains_all() {
    let q = Expr::And(vec![s("fieldA", "*valueA*"), s("fieldA", "*valueB*")]);
    assert_eq!(convert(q), r#"fieldA="*valueA*" fieldA="*valueB*""#);
}

#[test]
fn pysigma_exists_and_null() {
    let q = Expr::And(vec![
        s("FieldA", "*valueA"),
        not(m("FieldB", Value::Null)),
        not(s("FieldB", "")),
    ]);
    assert_eq!(convert(q), r#"FieldA="*valueA" -FieldB!=* -FieldB="""#);
    assert_eq!(convert(m("f", Value::Exists(true))), "f=*");
    assert_eq!(convert(m("f", Value::Exists(false))), "-f=*");
}

#[test]
fn pysigma_cidr_becomes_wildcard_lists() {
    let q = Expr::And(vec![
        Expr::Or(vec![
            cidr("field", "192.168.0.0/16"),
            cidr("field", "10.0.0.0/8"),
        ]),
        s("fieldB", "foo"),
        s("fieldC", "bar"),
    ]);
    assert_eq!(
        convert(q),
        r#"field IN ["192.168.*"] OR field IN ["10.*"] fieldB="foo" fieldC="bar""#
    );
}

#[test]
fn keywords_numbers_and_comparisons() {
    let q = Expr::Or(vec![
        s("", "valueA"),
        m("", Value::Num(Number::Int(20))),
        s("", "valueB"),
    ]);
    // pySigma quotes keyword numbers too.
    assert_eq!(convert(q), r#""valueA" OR "20" OR "valueB""#);
    let gt = m(
        "f",
        Value::Compare {
            op: CmpOp::Gte,
            value: Number::Int(5),
        },
    );
    assert_eq!(convert(gt), "f >= 5");
    let ports = Expr::Or(vec![
        m("port", Value::Num(Number::Int(80))),
        m("port", Value::Num(Number::Int(443))),
    ]);
    assert_eq!(convert(ports), "port IN [80, 443]");
}

#[test]
fn fields_are_quoted_when_not_words_or_keywords_and_never_escaped() {
    assert_eq!(
        convert(s("process", r"*\\svchost.exe")),
        r#""process"="*\svchost.exe""#
    );
    assert_eq!(convert(s("c-uri", "x")), r#""c-uri"="x""#);
    assert_eq!(convert(s("IN", "x")), r#""IN"="x""#);
}

#[test]
fn values_with_a_double_quote_use_single_quotes() {
    assert_eq!(convert(s("fieldB", r#"val"ueB"#)), r#"fieldB='val"ueB'"#);
    let list = Expr::Or(vec![s("f", r#"a"b"#), s("f", "c")]);
    assert_eq!(convert(list), r#"f IN ['a"b', "c"]"#);
}

#[test]
fn not_groups_and_expansions() {
    let q = not(Expr::Or(vec![s("a", "x"), s("b", "y")]));
    assert_eq!(convert(q), r#"-(a="x" OR b="y")"#);
    let windash = m("c", Value::Expansion(vec![p("* -x*"), p("* /x*")]));
    assert_eq!(
        convert(Expr::And(vec![s("a", "x"), not(windash)])),
        r#"a="x" -(c="* -x*" OR c="* /x*")"#
    );
}

#[test]
fn regex_counters_negation_and_conditions_in_groups() {
    let q = Expr::And(vec![
        s("type", "EXECVE"),
        Expr::Or(vec![re("a1", "x"), re("a1", "y")]),
        not(re("b", r"\d")),
    ]);
    assert_eq!(
        convert(q),
        "\n| process regex(\"(?P<a1_match>x)\", a1)\n| process eval(\"a1_condition=case(isnotnull(a1_match) -> 'true', 'false')\") \n| process regex(\"(?P<a1_match2>y)\", a1)\n| process eval(\"a1_condition2=case(isnotnull(a1_match2) -> 'true', 'false')\") \n| process regex(\"(?P<b_match>\\d)\", b)\n| process eval(\"b_condition=case(isnotnull(b_match) -> 'true', 'false')\")\n| search type=\"EXECVE\" a1_condition=\"true\" OR a1_condition2=\"true\" -b_condition=\"true\""
    );
}

#[test]
fn pipeline_conditions_filter_before_the_regexes_in_the_order_added() {
    let q = Expr::And(vec![
        added("norm_id", "WinServer"),
        added("channel", "Security"),
        re("file", "a"),
        s("event_id", "1"),
    ]);
    let out = convert(q);
    assert!(
        out.starts_with("channel=\"Security\" norm_id=\"WinServer\"\n| process regex("),
        "{out}"
    );
    assert!(
        out.ends_with("\n| search file_condition=\"true\" event_id=\"1\""),
        "{out}"
    );
    // Without a regex they stay where the pipeline put them.
    let q = Expr::And(vec![
        added("label", "Create"),
        added("label", "Process"),
        s("a", "x"),
    ]);
    assert_eq!(convert(q), r#"label="Create" label="Process" a="x""#);
}

#[test]
fn regexes_on_dotted_or_dashed_fields_and_with_flags_stay_valid() {
    let flags = RegexFlags {
        ignore_case: true,
        ..RegexFlags::default()
    };
    let q = m(
        "cs-uri",
        Value::Regex {
            pattern: r#"(\s|"|')x"#.into(),
            flags,
        },
    );
    assert_eq!(
        convert(q),
        "\n| process regex(\"(?P<cs_uri_match>(?i:(\\s|\\x22|')x))\", cs-uri)\n| process eval(\"cs_uri_condition=case(isnotnull(cs_uri_match) -> 'true', 'false')\")\n| search cs_uri_condition=\"true\""
    );
}

#[test]
fn modified_properties_become_json_substrings() {
    let q = s(
        "TargetResources.ModifiedProperties.NewValue",
        r#"*State":0*"#,
    );
    assert_eq!(
        convert(q),
        r#"targetresources='*"newvalue": "*State":0*"*'"#
    );
}

#[test]
fn inexpressible_features_are_located_errors() {
    assert!(error(m("a", Value::Bool(true))).contains("boolean"));
    let fieldref = m(
        "a",
        Value::FieldRef {
            field: "b".into(),
            kind: FieldRefKind::Equals,
        },
    );
    assert!(error(fieldref).contains("fieldref"));
    let cased = m("a", Value::Str(cased("x")));
    assert!(error(cased).contains("|cased"));
    let placeholder = m("a", Value::Str(placeholder("admins")));
    assert!(error(placeholder).contains("%admins%"));
    let time = m(
        "t",
        Value::TimePart {
            part: TimePart::Hour,
            value: Number::Int(3),
        },
    );
    assert!(error(time).contains("timestamp"));
    assert!(error(m("", Value::Null)).contains("keyword"));
}

#[test]
fn values_with_both_quotes_are_refused() {
    assert!(error(s("a", r#"it's "x""#)).contains("both"));
    // In a list too: the list falls back to its leaves, which report it.
    assert!(error(Expr::Or(vec![s("a", "x"), s("a", r#"'""#)])).contains("both"));
    assert!(error(s(r#"a"b"#, "x")).contains("field name"));
}

#[test]
fn literal_wildcards_become_an_exact_regex() {
    assert_eq!(
        convert(s("a", r"*\\\*\\IPC$")),
        "\n| process regex(\"(?P<a_match>(?is:^.*\\\\\\*\\\\IPC\\$$))\", a)\n| process eval(\"a_condition=case(isnotnull(a_match) -> 'true', 'false')\")\n| search a_condition=\"true\""
    );
    // A list with one such value is written as an OR of its leaves.
    assert_eq!(
        convert(Expr::Or(vec![s("a", "x"), s("a", r"\?")]))
            .lines()
            .last(),
        Some(r#"| search a="x" OR a_condition="true""#)
    );
    // A keyword is found anywhere in the message.
    assert!(convert(s("", r"select \*")).contains(r#"(?is:^.*select \*.*$))", msg)"#));
}

/// Reads a `field=<literal>` term the way LogPoint's lexer would: the literal opens with `"` or
/// `'`, has no escapes, and must end exactly at the end of the term.
fn read_term(term: &str, field: &str) -> Result<Vec<Tok>, String> {
    let rest = term
        .strip_prefix(field)
        .and_then(|r| r.strip_prefix('='))
        .ok_or("no field=")?;
    scan(&LOGPOINT.string, rest)
}

/// Reads the body of an anchored regex as [`super::leaf`] writes it: `.*` and `.` are wildcards,
/// `\x22` is `"`, `\c` is `c`.
fn read_regex(body: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(Tok::Char(match chars.next().expect("escape is followed") {
                'x' => {
                    let hex: String = if chars.next_if_eq(&'{').is_some() {
                        chars.by_ref().take_while(|&c| c != '}').collect()
                    } else {
                        chars.by_ref().take(2).collect()
                    };
                    char::from_u32(u32::from_str_radix(&hex, 16).expect("hex")).expect("char")
                }
                n => n,
            })),
            '.' => {
                chars.next_if_eq(&'*');
                out.push(Tok::Wildcard);
            }
            c => out.push(Tok::Char(c)),
        }
    }
    out
}

/// Reads `f IN [<literal>, …]` or `<term> OR <term> …` (each `f=<literal>`, `f!=*` or a regex
/// condition) to its very end; returns how many values it holds.
fn count_terms(search: &str) -> Result<usize, String> {
    let literal = |rest: &str| -> Result<usize, String> {
        let quote = rest.chars().next().ok_or("no literal")?;
        if quote != '"' && quote != '\'' {
            return Err(format!("literal starts with {quote:?}"));
        }
        let end = rest[1..].find(quote).ok_or("unterminated literal")?;
        Ok(end + 2)
    };
    if let Some(items) = search.strip_prefix("f IN [") {
        let (mut rest, mut n) = (items, 0);
        loop {
            rest = &rest[literal(rest)?..];
            n += 1;
            if rest == "]" {
                return Ok(n);
            }
            rest = rest
                .strip_prefix(", ")
                .ok_or(format!("junk after a value: {rest:?}"))?;
        }
    }
    let (mut rest, mut n) = (search, 0);
    loop {
        if let Some(r) = rest.strip_prefix("f=") {
            rest = &r[literal(r)?..];
        } else if let Some(r) = rest.strip_prefix("f!=*") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix("f_condition") {
            let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            rest = r[digits..]
                .strip_prefix("=\"true\"")
                .ok_or("bad condition")?;
        } else {
            return Err(format!("not a term: {rest:?}"));
        }
        n += 1;
        if rest.is_empty() {
            return Ok(n);
        }
        rest = rest
            .strip_prefix(" OR ")
            .ok_or(format!("junk after a term: {rest:?}"))?;
    }
}

fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\''),
            Just('\\'),
            Just('*'),
            Just('?'),
            Just('|'),
            Just(' '),
            Just('\n'),
            Just('('),
            any::<char>(),
        ],
        0..16,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn pattern() -> impl Strategy<Value = Pattern> {
    patterns(nasty_text())
}

/// The regex with every `\"` written `"`: what it means, since `\"` and `"` match the same.
fn unescape_quotes(re: &str) -> String {
    let mut out = String::new();
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('"') => out.push('"'),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #[test]
    fn values_read_back_exactly_or_are_refused(value in pattern()) {
        let leaf = m("f", Value::Str(value.clone()));
        match LogPoint.convert(&rule_with(vec![leaf], &[])) {
            Ok(q) if q[0].starts_with("\n| process regex(") => {
                // A literal wildcard: the value became an anchored regex; read it back.
                let body = q[0]
                    .strip_prefix("\n| process regex(\"(?P<f_match>(?is:^")
                    .and_then(|r| r.split_once("$))\", f)\n| process eval("))
                    .map(|(body, _)| body)
                    .ok_or("not an anchored regex")
                    .unwrap();
                prop_assert_eq!(read_regex(body), intended(&value));
            }
            Ok(q) if value.as_plain().as_deref() == Some("-") => prop_assert_eq!(&q[0], "f!=*"),
            Ok(q) => prop_assert_eq!(read_term(&q[0], "f"), Ok(intended(&value))),
            Err(e) => {
                // Refused only when it truly cannot be written.
                let holds = |c: char| value.parts.iter().any(|p| matches!(p, Part::Lit(s) if s.contains(c)));
                prop_assert!(holds('"') && holds('\''), "refused {}: {}", value, e.message);
            }
        }
    }

    #[test]
    fn list_values_never_break_out(a in pattern(), b in pattern()) {
        let list = Expr::Or(vec![m("f", Value::Str(a)), m("f", Value::Str(b))]);
        if let Ok(q) = LogPoint.convert(&rule_with(vec![list], &[])) {
            let search = q[0].rsplit("\n| search ").next().unwrap();
            prop_assert_eq!(count_terms(search), Ok(2), "{}", search);
        }
    }

    #[test]
    fn regex_bodies_hold_no_quote_and_mean_the_same(re in nasty_text(), i: bool) {
        let flags = RegexFlags { ignore_case: i, ..RegexFlags::default() };
        let Some(body) = regex::body(&re, flags) else {
            return Err(TestCaseError::reject("extended mode with a control character"));
        };
        prop_assert!(!body.contains('"') && !body.contains(crate::text::literal::invisible), "{}", body);
        let inner = body.replace(r"\x22", "\"");
        let expected = unescape_quotes(&crate::text::literal::visible_regex(&re).expect("written"));
        if i {
            prop_assert_eq!(inner, format!("(?i:{expected})"));
        } else {
            prop_assert_eq!(inner, expected);
        }
    }

    #[test]
    fn fields_are_plain_or_one_quoted_literal(name in nasty_text()) {
        if let Ok(f) = crate::text::literal::field(&LOGPOINT, &name) {
            if f != name {
                prop_assert!(f.starts_with('"') && f.ends_with('"') && !f[1..f.len() - 1].contains('"'));
            }
        } else {
            prop_assert!(name.contains('"') || crate::text::literal::writable(&name).is_err());
        }
    }
}
