//! CAR output for hand-built IR, and property tests of its string literals.

use super::Car;
use super::tokens::{CAR, REGEX_ESCAPED};
use crate::Target;
use crate::text::literal;
use crate::text::test_ir::{cased, m, p, patterns, placeholder, rule_with, s};
use proptest::prelude::*;
use sigc_compiler::ir::{
    CmpOp, Expr, FieldRefKind, Number, Part, Pattern, RegexFlags, Rule, TimePart, Value,
};

/// A rule already mapped to `process/create`.
fn rule(condition: Expr) -> Rule {
    let mut rule = rule_with(vec![condition], &[]);
    rule.meta
        .custom
        .insert("car_object".into(), "process".into());
    rule.meta
        .custom
        .insert("car_action".into(), "create".into());
    rule
}

fn convert(condition: Expr) -> String {
    Car.convert(&rule(condition))
        .expect("converts")
        .join("\n---\n")
}

/// The filter's condition lines, without the program around them.
fn filter(condition: Expr) -> String {
    let program = convert(condition);
    let lines: Vec<&str> = program.lines().collect();
    assert_eq!(lines[0], "processes = search Process:Create");
    assert_eq!(lines[1], "target_processes = filter processes where (");
    assert_eq!(lines[lines.len() - 2], ")");
    assert_eq!(lines[lines.len() - 1], "output target_processes");
    lines[2..lines.len() - 2]
        .iter()
        .map(|l| l.strip_prefix("  ").expect("indented"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn error(condition: Expr) -> String {
    Car.convert(&rule(condition)).expect_err("fails").message
}

#[test]
fn values_as_predicates() {
    let cases = [
        (s("exe", "cmd.exe"), r#"exe="cmd.exe""#),
        (s("command_line", "*a\\*b?c*"), r#"command_line="*a\*b?c*""#),
        (
            s("image_path", r"C:\\Windows\\*"),
            r#"image_path="C:\\Windows\\*""#,
        ),
        (
            s("command_line", r#"say "hi""#),
            r#"command_line="say \"hi\"""#,
        ),
        (m("pid", Value::Num(Number::Int(4))), "pid=4"),
        (
            m("signature_valid", Value::Bool(false)),
            "signature_valid=false",
        ),
        (m("signer", Value::Null), "signer=null"),
        (m("user", Value::Exists(true)), "user exists"),
        (m("user", Value::Exists(false)), "NOT user exists"),
        (
            m(
                "pid",
                Value::Compare {
                    op: CmpOp::Gte,
                    value: Number::Int(5),
                },
            ),
            "pid>=5",
        ),
        (
            m(
                "command_line",
                Value::Regex {
                    pattern: r#"-R .* "\.exe"#.into(),
                    flags: RegexFlags {
                        ignore_case: true,
                        ..RegexFlags::default()
                    },
                },
            ),
            r#"command_line match "(?i)-R .* \"\\.exe""#,
        ),
        (
            m("hostname", Value::Cidr("10.0.0.0/8".parse().unwrap())),
            "hostname IN [10.0.0.0/8]",
        ),
        (
            m(
                "ppid",
                Value::FieldRef {
                    field: "pid".into(),
                    kind: FieldRefKind::Equals,
                },
            ),
            "ppid=pid",
        ),
    ];
    for (expr, want) in cases {
        assert_eq!(filter(expr), want);
    }
}

#[test]
fn top_level_operands_go_one_per_line() {
    let or = Expr::Or(vec![
        Expr::And(vec![
            s("image_path", r"C:\\Windows\\System32\\net.exe"),
            s("command_line", "*delete*"),
        ]),
        s("command_line", "*Remove-SmbShare*"),
        Expr::Not(Box::new(s("exe", "x.exe"))),
    ]);
    assert_eq!(
        filter(or),
        "(image_path=\"C:\\\\Windows\\\\System32\\\\net.exe\" AND command_line=\"*delete*\") OR\n\
         command_line=\"*Remove-SmbShare*\" OR\n\
         NOT exe=\"x.exe\""
    );
    let and = Expr::And(vec![
        s("exe", "a.exe"),
        Expr::Or(vec![s("exe", "b.exe"), s("user", "x")]),
        Expr::Not(Box::new(Expr::Or(vec![s("user", "y"), s("pid", "1")]))),
    ]);
    assert_eq!(
        filter(and),
        "exe=\"a.exe\" AND\n(exe=\"b.exe\" OR user=\"x\") AND\nNOT (user=\"y\" OR pid=\"1\")"
    );
}

#[test]
fn nested_groups_follow_precedence() {
    let expr = Expr::And(vec![
        Expr::Or(vec![
            Expr::And(vec![s("exe", "a"), s("user", "b")]),
            s("pid", "1"),
        ]),
        s("ppid", "2"),
    ]);
    assert_eq!(
        filter(expr),
        "(exe=\"a\" AND user=\"b\" OR pid=\"1\") AND\nppid=\"2\""
    );
}

#[test]
fn one_field_disjunctions_are_lists() {
    let expr = Expr::Or(vec![s("exe", "a.exe"), s("exe", "b.exe")]);
    assert_eq!(filter(expr), r#"exe IN ["a.exe", "b.exe"]"#);
}

#[test]
fn expansions_are_disjunctions() {
    let expr = Expr::And(vec![
        s("exe", "a.exe"),
        m("command_line", Value::Expansion(vec![p("*-x*"), p("*/x*")])),
    ]);
    assert_eq!(
        filter(expr),
        "exe=\"a.exe\" AND\n(command_line=\"*-x*\" OR command_line=\"*/x*\")"
    );
}

#[test]
fn inexpressible_features_are_located_errors() {
    let cases = [
        (s("", "mimikatz"), "keyword"),
        (m("exe", Value::Str(cased("X"))), "case-sensitive"),
        (
            m(
                "ppid",
                Value::FieldRef {
                    field: "pid".into(),
                    kind: FieldRefKind::Contains,
                },
            ),
            "`|fieldref`",
        ),
        (
            m(
                "pid",
                Value::TimePart {
                    part: TimePart::Hour,
                    value: Number::Int(1),
                },
            ),
            "`|hour`",
        ),
        (s("Image", "*"), "field `Image` has no equivalent"),
        (
            m(
                "ppid",
                Value::FieldRef {
                    field: "ParentProcessId".into(),
                    kind: FieldRefKind::Equals,
                },
            ),
            "field `ParentProcessId`",
        ),
    ];
    for (expr, want) in cases {
        let got = error(expr);
        assert!(got.contains(want), "{got:?} lacks {want:?}");
    }
    let got = error(m("exe", Value::Str(placeholder("x"))));
    assert!(got.contains("placeholder `%x%`"), "{got}");
}

#[test]
fn the_search_names_object_and_actions() {
    let mut r = rule(s("key", "*Run*"));
    r.meta.custom.insert("car_object".into(), "registry".into());
    r.meta.custom.insert(
        "car_action".into(),
        serde_json::json!(["add", "value_edit"]),
    );
    let out = Car.convert(&r).unwrap().join("\n");
    assert!(
        out.starts_with(
            "registry_keys = search Registry:Add OR Registry:Value_Edit\n\
             target_registry_keys = filter registry_keys where ("
        ),
        "{out}"
    );
    r.meta.custom.insert("car_action".into(), "create".into());
    let e = Car.convert(&r).unwrap_err().message;
    assert!(
        e.contains("`car_action: \"create\"` is not an action"),
        "{e}"
    );
    r.meta.custom.insert("car_object".into(), "dns".into());
    let e = Car.convert(&r).unwrap_err().message;
    assert!(e.contains("not an object of the CAR data model"), "{e}");
}

#[test]
fn unmapped_rules_go_through_the_car_pipeline() {
    let mut r = rule(Expr::And(vec![
        s("Image", r"*\\net.exe"),
        s("CommandLine", "*delete*"),
    ]));
    r.meta.custom.clear();
    r.logsource.category = Some("process_creation".into());
    assert_eq!(
        Car.convert(&r).unwrap()[0],
        "processes = search Process:Create\n\
         target_processes = filter processes where (\n  \
         exe=\"net.exe\" AND\n  command_line=\"*delete*\"\n)\n\
         output target_processes"
    );
    r.logsource.category = Some("dns_query".into());
    let e = Car.convert(&r).unwrap_err().message;
    assert_eq!(
        e,
        "log source `category: dns_query` has no equivalent in the CAR data model"
    );
}

/// What a literal means once read: characters and globs.
#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Char(char),
    AnyRun,
    AnyChar,
}

/// Reads one `"…"` literal at the start of `text` as a CAR reader would, returning what it
/// means and the text after it.
fn scan(text: &str) -> Result<(Vec<Tok>, &str), String> {
    let mut chars = text.char_indices();
    if chars.next().map(|(_, c)| c) != Some('"') {
        return Err(format!("no opening quote in {text:?}"));
    }
    let mut out = Vec::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(Tok::Char(chars.next().ok_or("dangling escape")?.1)),
            '"' => return Ok((out, &text[i + 1..])),
            '*' => out.push(Tok::AnyRun),
            '?' => out.push(Tok::AnyChar),
            c => out.push(Tok::Char(c)),
        }
    }
    Err("unterminated literal".into())
}

fn intended(pattern: &Pattern) -> Vec<Tok> {
    pattern
        .parts
        .iter()
        .flat_map(|part| match part {
            Part::Lit(s) => s.chars().map(Tok::Char).collect::<Vec<_>>(),
            Part::AnyRun => vec![Tok::AnyRun],
            Part::AnyChar => vec![Tok::AnyChar],
            Part::Placeholder(_) => Vec::new(),
        })
        .collect()
}

/// Text rich in the characters that matter to quoting.
fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('*'),
            Just('?'),
            Just(')'),
            Just('\n'),
            Just('['),
            Just('é'),
            any::<char>(),
        ],
        0..20,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn pattern() -> impl Strategy<Value = Pattern> {
    patterns(nasty_text())
}

proptest! {
    /// A value written into a whole program is one literal that ends exactly where the
    /// predicate does and reads back as the rule's characters and wildcards.
    #[test]
    fn strings_never_break_out(p1 in pattern(), p2 in pattern()) {
        let program = convert(Expr::And(vec![
            m("command_line", Value::Str(p1.clone())),
            m("user", Value::Str(p2.clone())),
        ]));
        let body = program
            .strip_prefix("processes = search Process:Create\ntarget_processes = filter processes where (\n  command_line=")
            .expect("program head");
        let (read, rest) = scan(body).map_err(TestCaseError::fail)?;
        prop_assert_eq!(read, intended(&p1));
        let rest = rest.strip_prefix(" AND\n  user=").expect("second predicate");
        let (read, rest) = scan(rest).map_err(TestCaseError::fail)?;
        prop_assert_eq!(read, intended(&p2));
        prop_assert_eq!(rest, "\n)\noutput target_processes");
    }

    #[test]
    fn list_elements_never_break_out(p1 in pattern(), p2 in pattern()) {
        let lit1 = literal::string(&CAR.string, &p1).unwrap();
        let lit2 = literal::string(&CAR.string, &p2).unwrap();
        let text = format!("{lit1}, {lit2}]");
        let (read, rest) = scan(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(read, intended(&p1));
        let (read, rest) = scan(rest.strip_prefix(", ").expect("separator")).map_err(TestCaseError::fail)?;
        prop_assert_eq!(read, intended(&p2));
        prop_assert_eq!(rest, "]");
    }

    #[test]
    fn regexes_read_back_exactly(re in nasty_text(), i: bool) {
        let flags = RegexFlags { ignore_case: i, ..RegexFlags::default() };
        let Some(body) = literal::regex(&re, flags, CAR.string.escape, REGEX_ESCAPED) else {
            return Err(TestCaseError::reject("extended mode with a control character"));
        };
        let quoted = format!("\"{body}\"");
        let (read, rest) = scan(&quoted).map_err(TestCaseError::fail)?;
        prop_assert_eq!(rest, "");
        // In a regex, `*` and `?` are the regex's own characters.
        let read: String = read
            .into_iter()
            .map(|t| match t {
                Tok::Char(c) => c,
                Tok::AnyRun => '*',
                Tok::AnyChar => '?',
            })
            .collect();
        let prefix = if i { "(?i)" } else { "" };
        let visible = literal::visible_regex(&re).expect("written");
        prop_assert_eq!(read, format!("{prefix}{visible}"));
    }
}
