//! The IR: what a Sigma rule means, with no YAML left in it. It is the contract between the
//! front end and everything after it: pipelines rewrite it, backends render it, the evaluator runs it.
//!
//! A file yields [`Document`]s: rules, [`Correlation`]s over other rules, and [`Filter`]s added
//! to other rules; they name each other by [`RuleRef`]s, resolved across files by
//! [`RuleSet`](crate::ruleset::RuleSet).
//!
//! A [`Rule`] holds its metadata, its log source and one boolean [`Expr`] per condition (a rule
//! matches when any of them does). An expression is an n-ary `And`/`Or`, a `Not`, or a leaf
//! [`Match`]: one field (or, for a keyword, no field) tested against one [`Value`].
//!
//! How the tree is shaped, so that backends can reproduce pySigma's text:
//! - a search identifier that is a map is an `And` of its items; a list of maps is an `Or` of them;
//!   an item with a list of values is an `Or` of one `Match` per value (`And` under `|all`);
//!   a one-element group is replaced by its element, nothing else is flattened;
//! - a value that a modifier expanded into alternatives (`windash`, `base64offset`) stays one
//!   leaf with a [`Value::Expansion`], matched when any alternative matches;
//! - `neq` is a `Not` around the item; `all of`/`1 of` become `And`/`Or` over the named identifiers,
//!   in the order they appear in the rule; `them` excludes identifiers starting with `_`.
//!
//! Strings stay symbolic: a [`Pattern`] is a sequence of literal text, `*` (any run), `?` (one
//! character) and unresolved `%placeholder%`s; each backend escapes and renders them itself.
//! Every leaf keeps its [`Origin`]: the byte [`Span`](crate::span::Span) of the YAML node it came
//! from, or the pipeline item that added it, so a backend that cannot express it can say where.

mod correlation;
mod document;
mod expr;
mod filter;
mod origin;
pub mod print;
mod rule;
mod test_cases;
mod value;

pub use correlation::{
    Alias, ConditionOp, Correlation, CorrelationType, Name, RuleRef, Threshold, TimeUnit, Timespan,
};
pub use document::Document;
pub use expr::{Expr, Match};
pub use filter::{Filter, FilterRules};
pub use origin::{AddedBy, Origin, PipelineItem};
pub use rule::{LogSource, LogSourceSpans, MapSpans, Meta, Related, Rule};
pub use test_cases::{SequenceCase, SequenceEvent, TestCase, TestCases};
pub use value::{CmpOp, FieldRefKind, Number, Part, Pattern, RegexFlags, TimePart, Value};
