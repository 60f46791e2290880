//! A document's own test cases: the custom attribute `tests`. A rule lists events it must match
//! and events it must not:
//!
//! ```yaml
//! tests:
//!   match:
//!     - Image: 'C:\Windows\System32\reg.exe'
//!       CommandLine: 'reg add HKCU\Software\x /v AmsiEnable /d 0'
//!   no_match:
//!     - Image: 'C:\Windows\explorer.exe'
//! ```
//!
//! Each event is a map, read as JSON (nested maps for `Event.EventData`-shaped events). An event
//! that says where it comes from (`Channel`, `EventID`) must also fit the rule's log source.
//!
//! A correlation lists sequences of timestamped events (each a list) it must fire on and
//! sequences it must not ([`run_sequence_cases`]); docs/testing.md shows the form.

use super::correlation::{Correlator, NoTimestamp};
use super::event::JsonEvent;
use super::logsource::{Origin, Scope};
use super::matcher::Matcher;
use serde_json::Value;
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::{Correlation, Rule, SequenceCase, TestCase};
use sigc_compiler::ruleset::DocId;

pub use sigc_compiler::model::test_cases::ATTRIBUTE;

/// The outcome of a rule's test cases.
#[derive(Debug, Default)]
pub struct CaseReport {
    /// Cases run.
    pub run: usize,
    /// One located diagnostic per failed or malformed case.
    pub failures: Vec<Diagnostic>,
}

/// Whether `rule` carries test cases.
pub fn has_cases(rule: &Rule) -> bool {
    rule.tests.is_some()
}

/// Runs the rule's test cases with a matcher already compiled for it.
pub fn run_cases(rule: &Rule, matcher: &Matcher) -> CaseReport {
    let mut report = CaseReport::default();
    let Some(tests) = &rule.tests else {
        return report;
    };
    let scope = Scope::of(&rule.logsource);
    for entry in &tests.entries {
        match entry {
            Ok(case) => {
                report.run += 1;
                if let Some(failure) = run_case(rule, matcher, &scope, case) {
                    report.failures.push(failure);
                }
            }
            Err(invalid) => report.failures.push(invalid.clone()),
        }
    }
    report
}

/// The `test_failed` error of `case`, when the rule does not do what it says.
fn run_case(rule: &Rule, matcher: &Matcher, scope: &Scope, case: &TestCase) -> Option<Diagnostic> {
    let event = JsonEvent::new(&case.event);
    let fired = scope.admits(&Origin::of(&event)) && matcher.matches(&event);
    if fired == case.expected {
        return None;
    }
    let name = &case.name;
    let message = if case.expected {
        format!("the rule does not match test event {name}")
    } else {
        format!("the rule matches test event {name}, which it must not")
    };
    Some(
        Diagnostic::error("test_failed", message, &rule.source, case.span)
            .with_help("fix the detection or the test event"),
    )
}

/// Runs the test cases of `correlation`, document `id` of the set that `correlator` was planned
/// over (and holding no matches: new, or just finished). Each case's events go, in order, through
/// `matches` (the numbers of the evaluated rules an event matches) and the correlator; the case
/// passes when the correlation fires on them (`match`) or does not (`no_match`).
pub fn run_sequence_cases(
    correlation: &Correlation,
    id: DocId,
    correlator: &mut Correlator,
    matches: impl Fn(&Value) -> Vec<usize>,
) -> CaseReport {
    let mut report = CaseReport::default();
    let Some(tests) = &correlation.tests else {
        return report;
    };
    for entry in &tests.entries {
        match entry {
            Ok(case) => {
                report.run += 1;
                let failure = run_sequence(correlation, id, correlator, &matches, case);
                report.failures.extend(failure);
            }
            Err(invalid) => report.failures.push(invalid.clone()),
        }
    }
    report
}

/// The error of sequence `case`, when the correlation does not do what it says or the case
/// cannot tell.
fn run_sequence(
    correlation: &Correlation,
    id: DocId,
    correlator: &mut Correlator,
    matches: &impl Fn(&Value) -> Vec<usize>,
    case: &SequenceCase,
) -> Option<Diagnostic> {
    let name = &case.name;
    let error =
        |code, message: String, span| Diagnostic::error(code, message, &correlation.source, span);
    let Some(number) = correlator.number(id) else {
        let message = format!("test sequence {name} cannot run: the correlation is not evaluated");
        return Some(error("test_failed", message, case.span));
    };
    let dropped = correlator.dropped();
    let mut untimed = None;
    for (i, e) in case.events.iter().enumerate() {
        match correlator.observe(&e.event, &matches(&e.event)) {
            Ok(records) => correlator.add(records),
            Err(NoTimestamp) => {
                untimed = untimed.or(Some((i, e.span)));
            }
        }
    }
    // Finished in every case, so that the next case starts with no matches.
    let fired = correlator.finish().iter().any(|f| f.correlation == number);
    if let Some((i, span)) = untimed {
        let message = format!(
            "test event {name}[{i}] matches a correlated rule but has no readable timestamp"
        );
        return Some(error("invalid_tests", message, span).with_help(
            "give it an `@timestamp` (or a field named by `--timestamp-field`) in RFC 3339",
        ));
    }
    if correlator.dropped() > dropped {
        let message = format!("test sequence {name} holds more matches than correlations keep");
        return Some(error("invalid_tests", message, case.span));
    }
    if fired == case.expected {
        return None;
    }
    let message = if case.expected {
        format!("the correlation does not fire on test sequence {name}")
    } else {
        format!("the correlation fires on test sequence {name}, which it must not")
    };
    Some(
        error("test_failed", message, case.span)
            .with_help("fix the correlation or the test events"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::diagnostic::Source;

    fn report(text: &str) -> CaseReport {
        let source = Source::new("t.yml", text);
        let rule = sigc_compiler::compile_rules(&source, "this test")
            .remove(0)
            .expect("rule compiles");
        let matcher = Matcher::new(&rule).expect("matcher");
        run_cases(&rule, &matcher)
    }

    const RULE: &str = r#"title: t
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\reg.exe'}
  condition: sel
"#;

    #[test]
    fn passing_and_failing_cases_are_counted_and_located() {
        let text = format!(
            "{RULE}tests:\n  match:\n    - Image: 'C:\\reg.exe'\n    - Image: 'C:\\cmd.exe'\n  no_match:\n    - {{Image: 'C:\\x.exe'}}\n    - {{Image: 'C:\\reg.exe', Channel: Security, EventID: 4624}}\n"
        );
        let r = report(&text);
        assert_eq!(r.run, 4);
        let messages: Vec<_> = r.failures.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["the rule does not match test event match[1]"]);
        let span = r.failures[0].span.expect("located");
        assert_eq!(&text[span.start..span.end], "Image: 'C:\\cmd.exe'");
    }

    #[test]
    fn malformed_cases_are_reported() {
        let r = report(&format!("{RULE}tests:\n  matches: []\n  no_match: [1]\n"));
        assert_eq!(r.run, 0);
        let codes: Vec<_> = r.failures.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["invalid_tests", "invalid_tests"]);
        assert_eq!(report(RULE).failures.len(), 0);
        assert_eq!(report(&format!("{RULE}tests: [x]\n")).failures.len(), 1);
    }
}
