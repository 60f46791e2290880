//! The working form of a condition while pipelines run: the IR tree with, on every leaf, the ids
//! of the items applied to it (for `processing_item_applied`) and where it came from.

use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::{Expr, Match};
use sigc_compiler::span::Span;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A condition expression under processing.
#[derive(Clone, Debug)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(Leaf),
}

/// A `Match` and its processing history.
#[derive(Clone, Debug)]
pub struct Leaf {
    pub m: Match,
    /// Ids of the items that transformed this leaf.
    pub applied: BTreeSet<String>,
    /// For a leaf a pipeline added: its pipeline file and the node it came from.
    pub origin: Option<(Arc<Source>, Span)>,
}

impl Leaf {
    pub fn new(m: Match) -> Self {
        Leaf {
            m,
            applied: BTreeSet::new(),
            origin: None,
        }
    }

    /// An error located at this leaf: its rule node, or its node in the pipeline that added it.
    pub fn error(
        &self,
        rule_source: &Arc<Source>,
        code: &'static str,
        message: String,
    ) -> Diagnostic {
        match &self.origin {
            Some((source, span)) => Diagnostic::error(
                code,
                format!("{message} (in rule {})", rule_source.name),
                source,
                *span,
            ),
            None => {
                let source = self.m.origin.source(rule_source);
                Diagnostic::error(code, message, source, self.m.origin.span())
            }
        }
    }

    /// Marks the leaf as transformed by `id`.
    pub fn mark(&mut self, id: Option<&String>) {
        if let Some(id) = id {
            self.applied.insert(id.clone());
        }
    }
}

impl Node {
    pub fn from_expr(expr: Expr) -> Node {
        match expr {
            Expr::And(xs) => Node::And(xs.into_iter().map(Node::from_expr).collect()),
            Expr::Or(xs) => Node::Or(xs.into_iter().map(Node::from_expr).collect()),
            Expr::Not(x) => Node::Not(Box::new(Node::from_expr(*x))),
            Expr::Match(m) => Node::Leaf(Leaf::new(m)),
        }
    }

    /// Back to the IR; `None` when nothing is left (every leaf was dropped).
    pub fn into_expr(self) -> Option<Expr> {
        match self {
            Node::And(xs) => group(xs, Expr::And),
            Node::Or(xs) => group(xs, Expr::Or),
            Node::Not(x) => x.into_expr().map(|e| Expr::Not(Box::new(e))),
            Node::Leaf(l) => Some(Expr::Match(l.m)),
        }
    }

    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Leaf> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    /// Whether some leaf satisfies `f`.
    pub fn any_leaf(&self, f: &impl Fn(&Leaf) -> bool) -> bool {
        match self {
            Node::And(xs) | Node::Or(xs) => xs.iter().any(|x| x.any_leaf(f)),
            Node::Not(x) => x.any_leaf(f),
            Node::Leaf(l) => f(l),
        }
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a Leaf>) {
        match self {
            Node::And(xs) | Node::Or(xs) => xs.iter().for_each(|x| x.collect(out)),
            Node::Not(x) => x.collect(out),
            Node::Leaf(l) => out.push(l),
        }
    }

    /// Replaces leaves: `f` returns `None` to keep a leaf as it is, or the nodes to put in its
    /// place (an empty list drops it; several become an OR). Stops at the first error.
    pub fn rewrite<E>(
        &mut self,
        f: &mut impl FnMut(&mut Leaf) -> Result<Option<Vec<Node>>, E>,
    ) -> Result<(), E> {
        match self {
            Node::And(xs) | Node::Or(xs) => {
                // in place: most leaves are kept as they are
                let mut i = 0;
                while i < xs.len() {
                    let Node::Leaf(leaf) = &mut xs[i] else {
                        xs[i].rewrite(f)?;
                        i += 1;
                        continue;
                    };
                    match f(leaf)? {
                        None => i += 1,
                        Some(nodes) if nodes.is_empty() => {
                            xs.remove(i);
                        }
                        Some(mut nodes) => {
                            xs[i] = match nodes.len() {
                                1 => nodes.remove(0),
                                _ => Node::Or(nodes),
                            };
                            i += 1;
                        }
                    }
                }
                Ok(())
            }
            Node::Not(x) => x.rewrite(f),
            Node::Leaf(leaf) => {
                match f(leaf)? {
                    None => {}
                    Some(mut nodes) if nodes.len() == 1 => *self = nodes.remove(0),
                    Some(nodes) => *self = Node::Or(nodes),
                }
                Ok(())
            }
        }
    }
}

/// An n-ary group without its dropped members; a single member stands alone.
fn group(xs: Vec<Node>, make: fn(Vec<Expr>) -> Expr) -> Option<Expr> {
    // A new vector: collected in place, the expressions would keep the nodes' larger buffer
    // for the rule's whole life.
    let mut items: Vec<Expr> = Vec::with_capacity(xs.len());
    items.extend(xs.into_iter().filter_map(Node::into_expr));
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(make(items)),
    }
}
