//! The `condition` mini-language: parsing a condition string into a [`Cond`] tree.
//!
//! Precedence, loosest first: `or` < `and` < `not` < `x of` < parentheses. Keywords are lowercase
//! words with word boundaries, so `notfilter` and `and_x` are identifiers. Identifier resolution
//! (what `sel*` or `them` selects) happens later, in [`crate::lower`].

mod ast;
mod parser;

pub use ast::{Cond, Quantifier, Target};
pub use parser::{ConditionError, parse};
