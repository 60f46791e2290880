//! A document's own test cases (custom attribute `tests`). A rule lists events:
//!
//! ```yaml
//! tests:
//!   match:
//!     - Image: 'C:\Windows\System32\reg.exe'
//!   no_match:
//!     - Image: 'C:\Windows\explorer.exe'
//! ```
//!
//! A correlation lists sequences of timestamped events, each sequence a list:
//!
//! ```yaml
//! tests:
//!   match:
//!     - - {EventID: 4625, User: alice, '@timestamp': '2024-01-02T10:00:00Z'}
//!       - {EventID: 4625, User: alice, '@timestamp': '2024-01-02T10:00:20Z'}
//!   no_match:
//!     - - {EventID: 4625, User: alice, '@timestamp': '2024-01-02T10:00:00Z'}
//! ```
//!
//! A malformed entry becomes an `invalid_tests` error inside [`TestCases`], not an error of the
//! document: it still compiles and converts, and its tests report the problem when they run.

use super::Errors;
use crate::diagnostic::Diagnostic;
use crate::ir::{SequenceCase, SequenceEvent, TestCase, TestCases};
use crate::span::Span;
use crate::yaml::Node;

/// The attribute holding the test cases.
pub const ATTRIBUTE: &str = "tests";

/// Reads `tests` from the rule document `root`; `None` when the rule has none.
pub fn read_tests(root: Node<'_>, errors: &Errors<'_>) -> Option<TestCases> {
    read_cases(root, errors, "events", |name, expected, item| {
        let (event, span) = event(errors, &name, item)?;
        Ok(TestCase {
            name,
            expected,
            event,
            span,
        })
    })
}

/// Reads `tests` from the correlation document `root`, each case a list of events; `None` when
/// the correlation has none.
pub fn read_sequence_tests(root: Node<'_>, errors: &Errors<'_>) -> Option<TestCases<SequenceCase>> {
    read_cases(root, errors, "event sequences", |name, expected, item| {
        let Some(items) = item.items() else {
            let message = format!(
                "test sequence {name} must be a list of events, not {}",
                item.kind()
            );
            return Err(invalid(errors, item.span(), message));
        };
        if items.is_empty() {
            let message = format!("test sequence {name} is empty; list its events");
            return Err(invalid(errors, item.span(), message));
        }
        let events = items
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let (event, span) = event(errors, &format!("{name}[{i}]"), e)?;
                Ok(SequenceEvent { event, span })
            })
            .collect::<Result<_, Diagnostic>>()?;
        Ok(SequenceCase {
            name,
            expected,
            events,
            span: trimmed(errors, item.span()),
        })
    })
}

/// The `match` and `no_match` lists of `tests` (lists of `what`), each item read by `case` with
/// its name (`match[0]`, …) and whether the document must fire on it.
fn read_cases<Case>(
    root: Node<'_>,
    errors: &Errors<'_>,
    what: &str,
    case: impl Fn(String, bool, Node<'_>) -> Result<Case, Diagnostic>,
) -> Option<TestCases<Case>> {
    let tests = root.get(ATTRIBUTE)?;
    let Some(entries) = tests.entries() else {
        let message = format!("`{ATTRIBUTE}` must be a map with `match` and `no_match` lists");
        return Some(TestCases {
            entries: vec![Err(invalid(errors, tests.span(), message))],
        });
    };
    let mut out = Vec::new();
    for (key, key_span, list) in entries {
        let expected = match key.as_ref() {
            "match" => true,
            "no_match" => false,
            _ => {
                let message = format!("unknown key `{key}`: expected `match` or `no_match`");
                out.push(Err(invalid(errors, key_span, message)));
                continue;
            }
        };
        let Some(items) = list.items() else {
            let message = format!("`{key}` must be a list of {what}");
            out.push(Err(invalid(errors, list.span(), message)));
            continue;
        };
        for (i, item) in items.into_iter().enumerate() {
            out.push(case(format!("{key}[{i}]"), expected, item));
        }
    }
    Some(TestCases { entries: out })
}

/// Test event `name`: a map of fields, read as JSON, with its trimmed span.
fn event(
    errors: &Errors<'_>,
    name: &str,
    item: Node<'_>,
) -> Result<(serde_json::Value, Span), Diagnostic> {
    if !item.is_map() {
        let message = format!(
            "test event {name} must be a map of fields, not {}",
            item.kind()
        );
        return Err(invalid(errors, item.span(), message));
    }
    match serde_json::to_value(item.value) {
        Ok(event) => Ok((event, trimmed(errors, item.span()))),
        Err(e) => Err(invalid(
            errors,
            item.span(),
            format!("test event {name} cannot be read as JSON: {e}"),
        )),
    }
}

fn invalid(errors: &Errors<'_>, span: Span, message: String) -> Diagnostic {
    Diagnostic::error("invalid_tests", message, errors.source, span)
}

/// `span` without the line break and indentation that a block node's span ends with.
fn trimmed(errors: &Errors<'_>, span: Span) -> Span {
    let text = errors.source.text.get(span.start..span.end).unwrap_or("");
    Span::new(span.start, span.start + text.trim_end().len())
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Source;
    use crate::ir::TestCases;

    fn tests_of(extra: &str) -> (String, TestCases) {
        let text = format!(
            "title: t\nlogsource: {{product: windows}}\ndetection:\n  sel: {{Image: a}}\n  condition: sel\n{extra}"
        );
        let rule = crate::compile_rules(&Source::new("t.yml", &text), "this test")
            .remove(0)
            .expect("rule compiles");
        (text, rule.tests.expect("tests read"))
    }

    #[test]
    fn cases_keep_their_events_and_trimmed_spans() {
        let (text, tests) = tests_of(
            "tests:\n  match:\n    - Image: a\n      User: b\n  no_match:\n    - Image: c\n",
        );
        let cases: Vec<_> = tests
            .entries
            .iter()
            .map(|e| e.as_ref().expect("valid"))
            .collect();
        assert_eq!(cases.len(), 2);
        assert_eq!(
            (cases[0].name.as_str(), cases[0].expected),
            ("match[0]", true)
        );
        assert_eq!(
            cases[0].event,
            serde_json::json!({"Image": "a", "User": "b"})
        );
        let at = |i: usize| &text[cases[i].span.start..cases[i].span.end];
        assert_eq!(at(0), "Image: a\n      User: b");
        assert_eq!((cases[1].name.as_str(), at(1)), ("no_match[0]", "Image: c"));
    }

    #[test]
    fn malformed_entries_are_located_in_order() {
        let (text, tests) =
            tests_of("tests:\n  matches: []\n  match:\n    - 1\n    - A: b\n  no_match: x\n");
        let got: Vec<(String, &str)> = tests
            .entries
            .iter()
            .map(|e| match e {
                Ok(case) => (case.name.clone(), &text[case.span.start..case.span.end]),
                Err(d) => {
                    let span = d.span.expect("located");
                    (d.message.clone(), &text[span.start..span.end])
                }
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "unknown key `matches`: expected `match` or `no_match`".to_string(),
                    "matches"
                ),
                (
                    "test event match[0] must be a map of fields, not a number".to_string(),
                    "1"
                ),
                ("match[1]".to_string(), "A: b"),
                ("`no_match` must be a list of events".to_string(), "x"),
            ]
        );
        let (_, whole) = tests_of("tests: [x]\n");
        assert_eq!(whole.entries.len(), 1);
    }

    #[test]
    fn a_correlation_reads_sequences_of_events() {
        let text = "title: c\ncorrelation:\n  type: event_count\n  rules: [r]\n  timespan: 5m\n  condition: {gte: 2}\ntests:\n  match:\n    - - A: 1\n      - A: 2\n  no_match:\n    - A: 1\n";
        let doc = crate::compile(&Source::new("c.yml", text)).remove(0);
        let Ok(crate::ir::Document::Correlation(c)) = doc else {
            panic!("a correlation: {doc:?}");
        };
        let entries = c.tests.expect("tests read").entries;
        let case = entries[0].as_ref().expect("valid");
        assert_eq!((case.name.as_str(), case.expected), ("match[0]", true));
        let events: Vec<(&serde_json::Value, &str)> = case
            .events
            .iter()
            .map(|e| (&e.event, &text[e.span.start..e.span.end]))
            .collect();
        let (one, two) = (serde_json::json!({"A": 1}), serde_json::json!({"A": 2}));
        assert_eq!(events, [(&one, "A: 1"), (&two, "A: 2")]);
        assert_eq!(
            &text[case.span.start..case.span.end],
            "- A: 1\n      - A: 2"
        );
        let invalid = entries[1].as_ref().expect_err("a map is not a sequence");
        assert_eq!(
            invalid.message,
            "test sequence no_match[0] must be a list of events, not a map"
        );
    }
}
