//! Shared machinery for text query languages (Splunk SPL, LogPoint): a token table, literal
//! escaping driven by it, the IN-list decision and a precedence-aware expression walker.
//!
//! A target supplies a [`Tokens`] table and a [`Leaves`] implementation for its leaves (where
//! it may defer a leaf to a later pipeline stage); the walker does the boolean structure.

pub mod in_list;
pub mod literal;
pub mod render;
pub mod tokens;

pub use render::{Leaves, Position, Renderer};
pub use tokens::{InList, Op, StringStyle, Tokens};

use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Match, Rule};

/// The diagnostic code for a rule feature a target cannot express.
pub const UNSUPPORTED: &str = "unsupported-feature";

/// An `unsupported-feature` error located at a leaf of `rule`.
pub fn unsupported(rule: &Rule, m: &Match, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(UNSUPPORTED, message, &rule.source, m.span)
}

#[cfg(test)]
mod literal_props;
