//! A document's own test cases: the custom attribute `tests`, read by the front end so that
//! nothing after it needs the document's YAML. A rule's cases are single events
//! ([`TestCase`]); a correlation's are sequences of timestamped events ([`SequenceCase`]).

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// The entries of a document's `tests`, in document order: each a case to run, or an
/// `invalid_tests` error located at the malformed part (a malformed case fails the document's
/// tests, not its compilation).
#[derive(Clone, Debug)]
pub struct TestCases<Case = TestCase> {
    pub entries: Vec<Result<Case, Diagnostic>>,
}

impl<Case> Default for TestCases<Case> {
    fn default() -> Self {
        TestCases {
            entries: Vec::new(),
        }
    }
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

/// One sequence of events on which the correlation must fire (listed under `match`) or must not
/// (under `no_match`).
#[derive(Clone, Debug, PartialEq)]
pub struct SequenceCase {
    /// Where it is listed: `match[0]`, `no_match[2]`, …
    pub name: String,
    /// Whether the correlation must fire.
    pub expected: bool,
    /// The events, in input order.
    pub events: Vec<SequenceEvent>,
    /// The sequence's node, trimmed as [`TestCase::span`].
    pub span: Span,
}

/// An event of a [`SequenceCase`].
#[derive(Clone, Debug, PartialEq)]
pub struct SequenceEvent {
    /// A JSON object, with a timestamp field for the correlation to place it in time.
    pub event: serde_json::Value,
    /// The event's node, trimmed as [`TestCase::span`].
    pub span: Span,
}
