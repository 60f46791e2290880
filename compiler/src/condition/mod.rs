//! The `condition` mini-language: parsing a condition string into a [`Cond`] tree.
//!
//! Precedence, loosest first: `or` < `and` < `not` < `x of` < parentheses. Keywords are lowercase
//! words with word boundaries, so `notfilter` and `and_x` are identifiers. Identifier resolution
//! (what `sel*` or `them` selects) happens later, in [`crate::lower`].
//!
//! The same grammar, without selectors, reads the boolean expressions of processing pipelines
//! ([`parse_boolean`] into a [`BoolExpr`]), with the same depth and length limits.

mod ast;
mod parser;

pub use ast::{BoolExpr, Cond, Name, Quantifier, Target};
pub use parser::{ConditionError, parse, parse_boolean};
