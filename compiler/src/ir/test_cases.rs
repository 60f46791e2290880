//! A rule's own test cases: the custom attribute `tests`, read by the front end so that nothing
//! after it needs the rule's YAML.

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// The entries of a rule's `tests`, in document order: each a case to run, or an `invalid_tests`
/// error located at the malformed part (a malformed case fails the rule's tests, not its
/// compilation).
#[derive(Clone, Debug, Default)]
pub struct TestCases {
    pub entries: Vec<Result<TestCase, Diagnostic>>,
}

/// One event that the rule must match (listed under `match`) or must not (under `no_match`).
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// Where it is listed: `match[0]`, `no_match[2]`, …
    pub name: String,
    /// Whether the rule must match it.
    pub expected: bool,
    /// The event: a JSON object (nested objects for `Event.EventData`-shaped events).
    pub event: serde_json::Value,
    /// The event's node, without the line break and indentation a block node ends with.
    pub span: Span,
}
