//! sigc-compiler: Sigma rules from YAML to a typed IR.
//!
//! The stages, in order: [`text`] decides which characters a rule file may hold; [`yaml`] reads
//! documents, bounding their shape, and remembers where every node is ([`span`]); [`collection`]
//! merges the documents of a legacy (`action: global`) collection; [`model`]
//! checks the rule's fields; [`modifier`] applies value modifiers; [`condition`] parses the
//! condition string; [`lower`] resolves identifiers and builds the [`ir`] ([`compile()`] runs them,
//! one file at a time). [`ruleset`] then resolves the references between the documents of a run
//! and applies its filters to its rules.
//! Everything after the IR lives in crates that build on this one: sigc-pipeline rewrites it for
//! a target's field names and log sources, sigc-lint checks rules the way `sigc check` reports
//! them, sigc-eval runs a rule on events, and sigc-backends renders queries. Nothing here knows
//! about any query language. [`limits`] holds every budget that bounds what a rule file may
//! cost. [`vocabulary`] declares the closed sets of metadata values (`status`, `level`).

pub mod collection;
pub mod compile;
pub mod condition;
pub mod diagnostic;
pub mod ir;
pub mod limits;
pub mod lower;
pub mod model;
pub mod modifier;
pub mod ruleset;
pub mod span;
pub mod text;
pub mod vocabulary;
pub mod yaml;

pub use compile::{Compiled, compile, compile_rules};
pub use diagnostic::{Diagnostic, Severity, Source};
pub use ruleset::{DocId, RuleSet};
