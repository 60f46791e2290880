//! Boolean expressions over leaf matches.

use super::origin::Origin;
use super::value::Value;
use serde::Serialize;

/// A boolean expression over [`Match`] leaves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Expr {
    /// All must hold (at least two elements when built by the front end).
    And(Vec<Expr>),
    /// At least one must hold.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Match(Match),
}

/// One test: a field (or the whole event, for a keyword) against a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// `None` for a keyword, which may match any field of the event.
    pub field: Option<String>,
    pub value: Value,
    /// Where the match came from: the rule's text, or the pipeline item that added it.
    pub origin: Origin,
}

impl Expr {
    /// A conjunction, or the element itself when there is only one.
    pub fn and(mut items: Vec<Expr>) -> Expr {
        if items.len() == 1 {
            items.pop().expect("one element")
        } else {
            Expr::And(items)
        }
    }

    /// A disjunction, or the element itself when there is only one.
    pub fn or(mut items: Vec<Expr>) -> Expr {
        if items.len() == 1 {
            items.pop().expect("one element")
        } else {
            Expr::Or(items)
        }
    }

    /// Every leaf, depth first, left to right.
    pub fn leaves(&self) -> Vec<&Match> {
        let mut out = Vec::new();
        self.visit(&mut |m| out.push(m));
        out
    }

    /// Calls `f` on every leaf, depth first, left to right.
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Match)) {
        match self {
            Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| x.visit(f)),
            Expr::Not(x) => x.visit(f),
            Expr::Match(m) => f(m),
        }
    }

    /// Calls `f` on every leaf, mutably.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut Match)) {
        match self {
            Expr::And(xs) | Expr::Or(xs) => xs.iter_mut().for_each(|x| x.visit_mut(f)),
            Expr::Not(x) => x.visit_mut(f),
            Expr::Match(m) => f(m),
        }
    }
}
