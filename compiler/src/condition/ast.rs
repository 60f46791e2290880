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

/// A boolean expression over names, without selectors: `a and not (b or c)`. Processing
/// pipelines combine their named conditions with it (`rule_cond_expr` and its siblings), as
/// pySigma's condition expressions do. `L` is what a leaf holds: a [`Name`] as parsed, or
/// whatever the caller resolves the name to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoolExpr<L> {
    /// `a or b or …`.
    Or(Vec<BoolExpr<L>>),
    /// `a and b and …`.
    And(Vec<BoolExpr<L>>),
    /// `not a`.
    Not(Box<BoolExpr<L>>),
    /// One operand.
    Leaf(L),
}

/// A name in a [`BoolExpr`], with its span inside the expression string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

impl<L> BoolExpr<L> {
    /// The same expression with every leaf replaced by `f`'s answer; the first error stops it.
    pub fn try_map<M, E>(self, f: &mut impl FnMut(L) -> Result<M, E>) -> Result<BoolExpr<M>, E> {
        Ok(match self {
            BoolExpr::Or(xs) => BoolExpr::Or(try_map_all(xs, f)?),
            BoolExpr::And(xs) => BoolExpr::And(try_map_all(xs, f)?),
            BoolExpr::Not(x) => BoolExpr::Not(Box::new(x.try_map(f)?)),
            BoolExpr::Leaf(l) => BoolExpr::Leaf(f(l)?),
        })
    }

    /// The truth of the expression when each leaf's truth is `f(leaf)`.
    pub fn eval(&self, f: &impl Fn(&L) -> bool) -> bool {
        match self {
            BoolExpr::Or(xs) => xs.iter().any(|x| x.eval(f)),
            BoolExpr::And(xs) => xs.iter().all(|x| x.eval(f)),
            BoolExpr::Not(x) => !x.eval(f),
            BoolExpr::Leaf(l) => f(l),
        }
    }
}

fn try_map_all<L, M, E>(
    xs: Vec<BoolExpr<L>>,
    f: &mut impl FnMut(L) -> Result<M, E>,
) -> Result<Vec<BoolExpr<M>>, E> {
    xs.into_iter().map(|x| x.try_map(f)).collect()
}
