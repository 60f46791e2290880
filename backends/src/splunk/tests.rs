//! Splunk output for hand-built IR: pySigma-backend-splunk's own test vectors and our fixes.

use super::Splunk;
use crate::Target;
use crate::text::test_ir::{self, cased, m, not, p, placeholder, re, rule_with, s};
use sigc_compiler::ir::{CmpOp, Expr, FieldRefKind, Number, RegexFlags, TimePart, Value};

fn convert(condition: Expr) -> String {
    test_ir::query(&Splunk, condition)
}

fn error(condition: Expr) -> String {
    test_ir::unsupported(&Splunk, condition)
}

#[test]
fn value_lists_become_in_lists() {
    let q = convert(Expr::And(vec![
        Expr::Or(vec![s("fieldA", "valueA1"), s("fieldA", "valueA2")]),
        Expr::Or(vec![s("fieldB", "valueB1"), s("fieldB", "valueB2")]),
    ]));
    assert_eq!(
        q,
        r#"fieldA IN ("valueA1", "valueA2") fieldB IN ("valueB1", "valueB2")"#
    );
}

#[test]
fn and_inside_or_is_grouped() {
    let q = convert(Expr::Or(vec![
        Expr::And(vec![s("fieldA", "valueA1"), s("fieldB", "valueB1")]),
        Expr::And(vec![s("fieldA", "valueA2"), s("fieldB", "valueB2")]),
    ]));
    assert_eq!(
        q,
        r#"(fieldA="valueA1" fieldB="valueB1") OR (fieldA="valueA2" fieldB="valueB2")"#
    );
}

#[test]
fn cidr_is_native_and_or_inside_and_is_not_grouped() {
    let cidr = |n: &str| m("fieldA", Value::Cidr(n.parse().unwrap()));
    let q = convert(Expr::And(vec![
        Expr::Or(vec![cidr("192.168.0.0/16"), cidr("10.0.0.0/8")]),
        s("fieldB", "foo"),
        s("fieldC", "bar"),
    ]));
    assert_eq!(
        q,
        r#"fieldA="192.168.0.0/16" OR fieldA="10.0.0.0/8" fieldB="foo" fieldC="bar""#
    );
}

#[test]
fn exists_null_compare_bool_number() {
    let q = convert(Expr::And(vec![
        m("fieldA", Value::Exists(true)),
        m("fieldB", Value::Exists(false)),
        m("fieldC", Value::Null),
        m(
            "fieldD",
            Value::Compare {
                op: CmpOp::Gte,
                value: Number::Int(5),
            },
        ),
        m("fieldE", Value::Bool(true)),
        m("EventID", Value::Num(Number::Int(4688))),
    ]));
    assert_eq!(
        q,
        "fieldA=* NOT fieldB=* NOT fieldC=* fieldD>=5 fieldE=true EventID=4688"
    );
}

#[test]
fn fieldref_is_a_where_command() {
    let fieldref = m(
        "fieldA",
        Value::FieldRef {
            field: "fieldD".into(),
            kind: FieldRefKind::Equals,
        },
    );
    let q = convert(Expr::And(vec![
        fieldref.clone(),
        s("fieldB", "foo"),
        s("fieldC", "bar"),
    ]));
    assert_eq!(
        q,
        "fieldB=\"foo\" fieldC=\"bar\"\n| where lower('fieldA')=lower('fieldD')"
    );
    assert_eq!(
        convert(not(fieldref.clone())),
        "*\n| where isnull('fieldA') OR isnull('fieldD') OR lower('fieldA')!=lower('fieldD')"
    );
    let msg = error(Expr::Or(vec![fieldref, s("fieldB", "foo")]));
    assert!(msg.contains("ORing FieldRef"), "{msg}");
}

#[test]
fn fields_become_a_table() {
    let rule = rule_with(vec![s("fieldA", "valueA")], &["fieldA", "fieldB"]);
    assert_eq!(
        Splunk.convert(&rule).unwrap(),
        vec![r#"fieldA="valueA" | table fieldA,fieldB"#]
    );
}

#[test]
fn strings_escape_and_widen_single_wildcards() {
    assert_eq!(convert(s("Image", r"*\\net.exe")), r#"Image="*\\net.exe""#);
    assert_eq!(convert(s("a", r#"x"y\*z?"#)), r#"a="x\"y\*z*""#);
    assert_eq!(convert(s("field name", "v")), r#""field name"="v""#);
}

#[test]
fn keywords_are_quoted_and_ored() {
    let q = convert(Expr::Or(vec![s("", "(){:;};"), s("", "() {:;};")]));
    assert_eq!(q, r#""(){:;};" OR "() {:;};""#);
}

#[test]
fn expansions_are_plain_ors_and_grouped_under_not() {
    let exp = m(
        "CommandLine",
        Value::Expansion(vec![p("* -x*"), p("* /x*")]),
    );
    let q = convert(Expr::And(vec![s("Image", r"*\\a.exe"), exp.clone()]));
    assert_eq!(
        q,
        r#"Image="*\\a.exe" CommandLine="* -x*" OR CommandLine="* /x*""#
    );
    assert_eq!(
        convert(not(exp)),
        r#"NOT (CommandLine="* -x*" OR CommandLine="* /x*")"#
    );
}

#[test]
fn not_groups_and_or_and_in_lists() {
    let q = convert(Expr::And(vec![
        s("a", "1"),
        not(Expr::Or(vec![s("b", "x"), s("b", "y")])),
        not(s("c", "z")),
    ]));
    assert_eq!(q, r#"a="1" NOT (b IN ("x", "y")) NOT c="z""#);
}

#[test]
fn top_level_regexes_are_deferred() {
    let q = convert(Expr::And(vec![
        s("fieldB", "foo"),
        re("fieldA", r#"foo.*bar\d""#),
    ]));
    assert_eq!(q, "fieldB=\"foo\"\n| regex fieldA=\"foo.*bar\\\\d\\\"\"");
    assert_eq!(convert(re("fieldA", "x")), "*\n| regex fieldA=\"x\"");
    assert_eq!(convert(re("cs-uri", "x")), "*\n| regex cs-uri=\"x\"");
    assert_eq!(convert(re("a b", "x")), "*\n| regex \"a b\"=\"x\"");
    assert_eq!(convert(not(re("fieldA", "x"))), "*\n| regex fieldA!=\"x\"");
    let flags = RegexFlags {
        ignore_case: true,
        ..RegexFlags::default()
    };
    let q = convert(m(
        "f",
        Value::Regex {
            pattern: "a".into(),
            flags,
        },
    ));
    assert_eq!(q, "*\n| regex f=\"(?i)a\"");
}

#[test]
fn regexes_under_or_use_the_rex_chain_with_hoisting() {
    let q = convert(Expr::And(vec![
        s("index", "test"),
        m("EventID", Value::Num(Number::Int(1))),
        Expr::Or(vec![
            Expr::And(vec![s("b", "x"), re("Event.CommandLine", "c")]),
            re("Image", "i"),
            re("Event.CommandLine", "d"),
        ]),
    ]));
    assert_eq!(
        q,
        concat!(
            "index=\"test\" EventID=1\n",
            "| rex field=Event.CommandLine \"(?<CommandLineMatch>c)\"\n",
            "| eval CommandLineCondition=if(isnotnull(CommandLineMatch), \"true\", \"false\")\n",
            "| rex field=Image \"(?<ImageMatch>i)\"\n",
            "| eval ImageCondition=if(isnotnull(ImageMatch), \"true\", \"false\")\n",
            "| rex field=Event.CommandLine \"(?<CommandLineMatch2>d)\"\n",
            "| eval CommandLineCondition2=if(isnotnull(CommandLineMatch2), \"true\", \"false\")\n",
            "| search (b=\"x\" CommandLineCondition=\"true\") OR ImageCondition=\"true\" OR CommandLineCondition2=\"true\"",
        )
    );
}

#[test]
fn only_top_level_conjuncts_are_hoisted() {
    let q = convert(Expr::And(vec![
        Expr::Or(vec![s("Image", "a"), s("OriginalFileName", "b")]),
        Expr::Or(vec![re("CommandLine", "c"), s("CommandLine", "*d*")]),
    ]));
    assert_eq!(
        q,
        concat!(
            "*\n| rex field=CommandLine \"(?<CommandLineMatch>c)\"\n",
            "| eval CommandLineCondition=if(isnotnull(CommandLineMatch), \"true\", \"false\")\n",
            "| search Image=\"a\" OR OriginalFileName=\"b\" CommandLineCondition=\"true\" OR CommandLine=\"*d*\"",
        )
    );
}

#[test]
fn regexes_in_negated_groups_use_the_rex_chain() {
    let q = convert(Expr::And(vec![
        s("a", "x"),
        not(Expr::And(vec![s("b", "y"), re("c", "z")])),
    ]));
    assert_eq!(
        q,
        concat!(
            "a=\"x\"\n",
            "| rex field=c \"(?<cMatch>z)\"\n",
            "| eval cCondition=if(isnotnull(cMatch), \"true\", \"false\")\n",
            "| search NOT (b=\"y\" cCondition=\"true\")",
        )
    );
}

#[test]
fn deferred_commands_follow_the_rex_chain() {
    let q = convert(Expr::And(vec![
        s("a", "x"),
        re("r", "1"),
        Expr::Or(vec![re("c", "2"), s("d", "y")]),
    ]));
    assert_eq!(
        q,
        concat!(
            "a=\"x\"\n",
            "| rex field=c \"(?<cMatch>2)\"\n",
            "| eval cCondition=if(isnotnull(cMatch), \"true\", \"false\")\n",
            "| search cCondition=\"true\" OR d=\"y\"\n",
            "| regex r=\"1\"",
        )
    );
}

#[test]
fn one_query_per_condition() {
    let rule = rule_with(vec![s("a", "x"), s("b", "y")], &[]);
    assert_eq!(Splunk.convert(&rule).unwrap(), vec![r#"a="x""#, r#"b="y""#]);
}

#[test]
fn inexpressible_features_are_located_errors() {
    let cased = m("a", Value::Str(cased("x")));
    assert!(error(cased).contains("case-sensitive"));
    let placeholder = m("a", Value::Str(placeholder("admins")));
    assert!(error(placeholder).contains("%admins%"));
    let time = m(
        "t",
        Value::TimePart {
            part: TimePart::Hour,
            value: Number::Int(3),
        },
    );
    assert!(error(time).contains("|hour"));
    let startswith = m(
        "a",
        Value::FieldRef {
            field: "b".into(),
            kind: FieldRefKind::StartsWith,
        },
    );
    assert!(error(startswith).contains("fieldref"));
    assert!(error(m("", Value::Bool(true))).contains("keyword"));
}

#[test]
fn placeholders_in_lists_are_reported_not_listed() {
    let placeholder = m("a", Value::Str(placeholder("p")));
    assert!(error(Expr::Or(vec![s("a", "x"), placeholder])).contains("%p%"));
}
