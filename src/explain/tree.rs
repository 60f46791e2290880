//! An IR condition as a tree: `and`, `or` and `not` nodes over located leaves, serialized as
//! JSON or written as indented lines.

use serde::Serialize;
use sigc_compiler::ir::{Expr, Rule, print};
use sigc_pipeline::trace::place;

/// A node of a condition.
#[derive(Debug, Serialize)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Node {
    And {
        children: Vec<Node>,
    },
    Or {
        children: Vec<Node>,
    },
    Not {
        child: Box<Node>,
    },
    Match {
        /// `None` for a keyword.
        field: Option<String>,
        /// The comparison and value, as [`print::value`] writes it.
        value: String,
        /// Where it was written (`file:line:col`), or the pipeline item that added it.
        at: String,
    },
}

/// `expr`, a condition of `rule`, as a tree.
pub fn node(rule: &Rule, expr: &Expr) -> Node {
    let all = |xs: &[Expr]| xs.iter().map(|x| node(rule, x)).collect();
    match expr {
        Expr::And(xs) => Node::And { children: all(xs) },
        Expr::Or(xs) => Node::Or { children: all(xs) },
        Expr::Not(x) => Node::Not {
            child: Box::new(node(rule, x)),
        },
        Expr::Match(m) => Node::Match {
            field: m.field.clone(),
            value: print::value(&m.value),
            at: place(&rule.source, m),
        },
    }
}

impl Node {
    /// The tree as indented lines, two spaces a level from `depth`: `and`, `or` and `not` on
    /// lines of their own, each leaf as `leaf(field, value, at)` writes it (`keyword` for a
    /// keyword's field).
    pub fn write_lines(
        &self,
        out: &mut String,
        depth: usize,
        leaf: &dyn Fn(&str, &str, &str) -> String,
    ) {
        let indent = "  ".repeat(depth);
        match self {
            Node::And { children } | Node::Or { children } => {
                let op = if matches!(self, Node::And { .. }) {
                    "and"
                } else {
                    "or"
                };
                out.push_str(&format!("{indent}{op}\n"));
                for child in children {
                    child.write_lines(out, depth + 1, leaf);
                }
            }
            Node::Not { child } => {
                out.push_str(&format!("{indent}not\n"));
                child.write_lines(out, depth + 1, leaf);
            }
            Node::Match { field, value, at } => {
                let field = field.as_deref().unwrap_or("keyword");
                out.push_str(&format!("{indent}{}\n", leaf(field, value, at)));
            }
        }
    }
}
