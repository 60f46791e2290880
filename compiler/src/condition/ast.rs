//! The parsed form of a `condition` string, before identifiers are resolved.

use crate::span::Span;

/// A condition expression. Spans are byte offsets inside the condition string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cond {
    /// `a or b or …`: a chain of `or` is one node with every operand, in order.
    Or(Vec<Cond>),
    /// `a and b and …`: a chain of `and` is one node with every operand, in order.
    And(Vec<Cond>),
    /// `not a`.
    Not(Box<Cond>),
    /// A search identifier, e.g. `selection`.
    Ident { name: String, span: Span },
    /// `1 of sel*`, `any of them`, `all of filter_*`.
    Selector {
        quantifier: Quantifier,
        target: Target,
        span: Span,
    },
}

/// How many of the selected identifiers must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// `1 of` or `any of`.
    Any,
    /// `all of`.
    All,
}

/// What a selector ranges over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `them`: every identifier not starting with `_`.
    Them,
    /// An identifier pattern where `*` matches any run of characters.
    Pattern(String),
}
