//! A rule's own test cases: the custom attribute `tests`, with events the rule must match and
//! events it must not.
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

use super::event::JsonEvent;
use super::logsource::{Origin, Scope};
use super::matcher::Matcher;
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::Rule;
use sigc_compiler::reread;
use sigc_compiler::span::Span;
use sigc_compiler::yaml::Node;

/// The attribute holding the test cases.
pub const ATTRIBUTE: &str = "tests";

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
    rule.meta.custom.contains_key(ATTRIBUTE)
}

/// Runs the rule's test cases with a matcher already compiled for it.
pub fn run_cases(rule: &Rule, matcher: &Matcher) -> CaseReport {
    let mut report = CaseReport::default();
    if !has_cases(rule) {
        return report;
    }
    let Some((doc, base)) = reread::document(rule) else {
        let at = At { rule, base: 0 };
        let reread = at.invalid(rule.span, "the rule's YAML could not be read again");
        report.failures.push(reread);
        return report;
    };
    let at = At { rule, base };
    let Some(tests) = doc.root().get(ATTRIBUTE) else {
        return report;
    };
    let Some(entries) = tests.entries() else {
        report.failures.push(at.invalid(
            tests.span(),
            &format!("`{ATTRIBUTE}` must be a map with `match` and `no_match` lists"),
        ));
        return report;
    };
    let scope = Scope::of(&rule.logsource);
    for (key, key_span, list) in entries {
        let expected = match key.as_str() {
            "match" => true,
            "no_match" => false,
            _ => {
                report.failures.push(at.invalid(
                    key_span,
                    &format!("unknown key `{key}`: expected `match` or `no_match`"),
                ));
                continue;
            }
        };
        let Some(items) = list.items() else {
            report
                .failures
                .push(at.invalid(list.span(), &format!("`{key}` must be a list of events")));
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            run_case(
                &at,
                matcher,
                &scope,
                item,
                expected,
                &format!("{key}[{i}]"),
                &mut report,
            );
        }
    }
    report
}

fn run_case(
    at: &At<'_>,
    matcher: &Matcher,
    scope: &Scope,
    item: &Node<'_>,
    expected: bool,
    name: &str,
    report: &mut CaseReport,
) {
    if item.entries().is_none() {
        report.failures.push(at.invalid(
            item.span(),
            &format!(
                "test event {name} must be a map of fields, not {}",
                item.kind()
            ),
        ));
        return;
    }
    let value = match serde_json::to_value(item.value) {
        Ok(v) => v,
        Err(e) => {
            report.failures.push(at.invalid(
                item.span(),
                &format!("test event {name} cannot be read as JSON: {e}"),
            ));
            return;
        }
    };
    report.run += 1;
    let event = JsonEvent::new(&value);
    let fired = scope.admits(&Origin::of(&event)) && matcher.matches(&event);
    if fired != expected {
        let message = if expected {
            format!("the rule does not match test event {name}")
        } else {
            format!("the rule matches test event {name}, which it must not")
        };
        report.failures.push(
            Diagnostic::error(
                "test-failed",
                message,
                &at.rule.source,
                at.trimmed(item.span()),
            )
            .with_help("fix the detection or the test event"),
        );
    }
}

/// The rule, and the offset of its re-read document in its file.
struct At<'a> {
    rule: &'a Rule,
    base: usize,
}

impl At<'_> {
    /// A span of the re-read document in the file, without the line break and indentation a
    /// block node's span ends with.
    fn trimmed(&self, span: Span) -> Span {
        self.rule.source.trim_end(span.shift(self.base))
    }

    /// An `invalid-tests` error at a span of the re-read document.
    fn invalid(&self, span: Span, message: &str) -> Diagnostic {
        let span = span.shift(self.base);
        Diagnostic::error(
            "invalid-tests",
            message.to_string(),
            &self.rule.source,
            span,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::diagnostic::Source;

    fn report(text: &str) -> CaseReport {
        let source = Source::new("t.yml", text);
        let rule = sigc_compiler::compile(&source)
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
        assert_eq!(codes, ["invalid-tests", "invalid-tests"]);
        assert_eq!(report(RULE).failures.len(), 0);
        assert_eq!(report(&format!("{RULE}tests: [x]\n")).failures.len(), 1);
    }
}
