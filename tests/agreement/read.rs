//! What a query holds once read back by its interpreter: its pipeline stages and, in the order
//! written, every field name and literal in them. The hostile-input property tests
//! (`tests/hostile/queries.rs`) compare this with the rule the query was made from.

use super::glob::Piece;

/// One thing read from a query.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A pipeline stage, by its command (`search` for the first).
    Stage(String),
    /// A field name.
    Name(String),
    /// A quoted value.
    Value(Vec<Piece>),
    /// A bare value: a number, `*`, `true`, a network.
    Word(String),
    /// A regular expression as its engine receives it.
    Regex(String),
}
