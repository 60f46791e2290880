//! sigc-eval: runs compiled Sigma rules on events, as `sigc test` does.
//!
//! It owns Sigma's matching semantics on the IR (one [`Matcher`] per rule, a [`RuleSet`] for
//! many), the event model ([`Event`], [`JsonEvent`]), log-source scoping and the rule test cases
//! that a rule file carries ([`run_cases`]). It reads the IR of sigc-compiler, and takes
//! from sigc-pipeline only what the built-in Windows pipelines map a log source to (the
//! `Channel` and `EventID` an event must carry); it never runs a backend.
//!
//! The evaluator: runs a compiled [`Rule`](sigc_compiler::ir::Rule) directly on events, with Sigma's
//! matching semantics. It is what `sigc test` uses to replay recorded events against rules.
//!
//! Compile a rule once with [`Matcher::new`], then call [`Matcher::matches`] on each [`Event`].
//! JSON events are wrapped in a [`JsonEvent`], which also finds fields inside the
//! `Event.EventData` / `Event.System` nests of EVTX-derived JSON.
//!
//! Semantics, leaf by leaf (a field holding a list matches when any element does):
//! - **Strings** ([`Value::Str`](sigc_compiler::ir::Value::Str), and each alternative of an
//!   `Expansion`) match the *whole* value: `*` is any run, `?` one character. Matching is
//!   case-insensitive (Unicode lowercase of both sides, character by character) unless the
//!   pattern is `cased`. A number or boolean in the event is compared as its text (`1`, `1.5`,
//!   `true`); null, absent fields and objects never match.
//! - **Numbers** compare numerically with JSON numbers and with strings that parse as numbers
//!   (decimal, `0x` hexadecimal, or a finite float): `1` matches `1`, `"1"`, `1.0` and `"0x1"`.
//! - **Booleans** match JSON booleans and the strings `true`/`false` in any case.
//! - **Null** matches an absent field or a JSON null.
//! - **Exists** treats a JSON null as absent (as Elasticsearch does), so `exists: false` holds
//!   exactly when `null` does; an empty string or an empty list is present.
//! - **Regexes** search the value's text (a substring match, as `re` means), case-sensitive
//!   unless `i`; regexes the `regex` crate cannot run (look-around, backreferences) are refused.
//! - **Comparisons** (`gt` …) need a number or a string that parses as one; otherwise no match.
//! - **CIDR** parses a string value as an IP address (an IPv6 zone `%…` and brackets are
//!   ignored; an IPv4-mapped IPv6 address is tested against IPv4 networks).
//! - **Field references** compare the text forms of both fields case-insensitively; either
//!   field missing or null means no match.
//! - **Time parts** parse a string value as an ISO-8601-like timestamp, converted to UTC when
//!   it has an offset; `week` is the ISO week number. Numbers (epoch times) are not read.
//! - **Keywords** (no field) are tried against every scalar of the event: a string pattern
//!   matches when it occurs *anywhere* in a value, as if wrapped in `*…*` (how backends run
//!   keywords as full-text search); other values apply their own test to each scalar. A
//!   keyword `null`, `exists` or `fieldref` is refused, having no meaning without a field.
//!
//! Unresolved `%placeholder%`s are refused: a pipeline must resolve them first.
//!
//! Cost: string leaves of one `Or`/`And` on the same field are merged, lists of `contains`
//! values are searched with Aho-Corasick automata (see `automaton`), plain wildcards never use
//! regexes, and comparing does not allocate (per-thread buffers). Each field is looked up and case-folded at
//! most once per event, whatever the number of leaves and rules that test it (see `fields`).
//! To run many rules, put them in a [`RuleSet`]: it evaluates only the rules that can apply to
//! an event, first by log source ([`LogSourceIndex`], from the event's `Channel` and `EventID`,
//! see [`Scope`]), then by literal: a rule none of whose required literals occurs in the event's
//! fields (or, for a keyword, in any of its values) is skipped (see `prefilter`). Neither changes
//! what matches. [`RuleSet::matches_text`] reads a JSON event in place ([`Tape`]), decoding only
//! the values its rules read ([`Projection`]).
//!
//! A rule's own test cases (the `tests` attribute, see [`run_cases`]) run on the same matcher; a
//! correlation's (sequences of events, [`run_sequence_cases`]) run on its rules and a
//! [`Correlator`].
//!
//! Correlation rules run over the rules' matches in a [`Correlator`]: each match is placed in
//! time by its event's timestamp ([`TimestampFields`]) and counted in tumbling windows, with the
//! meaning of the Splunk query sigc writes for the correlation (see `correlation`).
//!
//! Known limits: case folding is per character, so a character whose lowercase is longer
//! (`İ` → `i̇`) counts as two characters for `?`; there is no field-name mapping yet.

mod automaton;
mod cases;
mod correlation;
mod event;
mod fields;
mod logsource;
mod matcher;
mod pattern;
mod prefilter;
mod projection;
mod ruleset;
mod set;
mod stops;
mod tape;
mod text;
mod time;
mod timestamp;

pub use cases::{
    ATTRIBUTE as CASES_ATTRIBUTE, CaseReport, has_cases, run_cases, run_sequence_cases,
};
pub use correlation::{
    Correlator, Firing, MAX_GROUPS_PER_MATCH, MAX_KEPT_MATCHES, NoTimestamp, Record, Window,
    number_text,
};
pub use event::{Event, FieldValue, JsonEvent, JsonNode, Shape, json_value};
pub use logsource::{LogSourceIndex, Origin, Scope};
pub use matcher::Matcher;
pub use projection::Projection;
pub use ruleset::RuleSet;
pub use tape::{Tape, TapeNode};
pub use time::format_instant;
pub use timestamp::{DEFAULT_FIELDS as DEFAULT_TIMESTAMP_FIELDS, TimestampFields};
