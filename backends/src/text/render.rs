//! The expression walker: boolean structure, grouping by precedence, IN lists and expansions.
//!
//! Leaves are written by the target through [`Leaves`]; a leaf may also be taken out of the
//! expression (deferred to a later pipeline stage), in which case it renders as nothing and the
//! operators around it close up, as in pySigma.

use super::in_list;
use super::literal;
use super::tokens::{Op, Tokens};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Expr, Match, Value};

/// Where a leaf sits in the tree, for targets that treat some leaves specially.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Some ancestor is an OR (an expansion counts as one).
    pub under_or: bool,
    /// An odd number of NOTs sits directly above the leaf, with no AND/OR in between.
    pub negated: bool,
    /// A NOT applies to an AND/OR group that contains the leaf.
    pub in_negated_group: bool,
}

impl Position {
    /// The leaf is ANDed into the whole query (possibly negated): it can be checked by a
    /// pipeline stage after the main search.
    pub fn is_top_level_conjunct(self) -> bool {
        !self.under_or && !self.in_negated_group
    }

    fn below(self, op: Op) -> Position {
        match op {
            Op::Not => Position {
                negated: !self.negated,
                ..self
            },
            Op::And | Op::Or => Position {
                under_or: self.under_or || op == Op::Or,
                negated: false,
                in_negated_group: self.in_negated_group || self.negated,
            },
        }
    }
}

/// The target's part of the rendering: one leaf at a time.
pub trait Leaves {
    /// The text of one leaf, or `None` when the target defers it out of the expression (it then
    /// records the deferred part itself, negated when `pos.negated`). A [`Value::Expansion`] is
    /// written with [`expansion`], which gives each alternative back as its own string leaf.
    fn leaf(&mut self, m: &Match, pos: Position) -> Result<Option<String>, Diagnostic>;
}

/// Renders expressions with a token table and a target's leaves.
pub struct Renderer<'a, L> {
    tokens: &'a Tokens,
    leaves: &'a mut L,
}

impl<'a, L: Leaves> Renderer<'a, L> {
    /// A renderer writing with `tokens` and asking `leaves` for each leaf.
    pub fn new(tokens: &'a Tokens, leaves: &'a mut L) -> Self {
        Renderer { tokens, leaves }
    }

    /// The whole expression; `None` when everything in it was deferred.
    pub fn render(&mut self, expr: &Expr) -> Result<Option<String>, Diagnostic> {
        self.expr(expr, Position::default())
    }

    /// The top-level conjuncts of an expression (nested ANDs flattened, as they are written
    /// without parentheses), each with its text. Joining the texts with the AND token gives
    /// exactly [`render`](Self::render)'s result.
    pub fn conjuncts<'e>(
        &mut self,
        expr: &'e Expr,
    ) -> Result<Vec<(&'e Expr, Option<String>)>, Diagnostic> {
        let mut out = Vec::new();
        match expr {
            Expr::And(children) => self.flatten_and(children, Position::default(), &mut out)?,
            Expr::Or(_) | Expr::Not(_) | Expr::Match(_) => {
                out.push((expr, self.expr(expr, Position::default())?));
            }
        }
        Ok(out)
    }

    fn flatten_and<'e>(
        &mut self,
        children: &'e [Expr],
        pos: Position,
        out: &mut Vec<(&'e Expr, Option<String>)>,
    ) -> Result<(), Diagnostic> {
        let inner = pos.below(Op::And);
        for child in children {
            if let Expr::And(grandchildren) = child {
                self.flatten_and(grandchildren, inner, out)?;
            } else {
                let text = self.child(Op::And, child, inner)?;
                out.push((child, text));
            }
        }
        Ok(())
    }

    fn expr(&mut self, expr: &Expr, pos: Position) -> Result<Option<String>, Diagnostic> {
        match expr {
            Expr::Match(m) => self.leaves.leaf(m, pos),
            Expr::And(children) => self.join(Op::And, children, pos),
            Expr::Or(children) => {
                if let Some(text) = self.in_list(children) {
                    return Ok(Some(text));
                }
                self.join(Op::Or, children, pos)
            }
            Expr::Not(inner) => {
                let Some(text) = self.expr(inner, pos.below(Op::Not))? else {
                    return Ok(None);
                };
                let text = if class(inner).is_some() {
                    self.group(&text)
                } else {
                    text
                };
                Ok(Some(format!("{}{}", self.tokens.not, text)))
            }
        }
    }

    fn join(
        &mut self,
        op: Op,
        children: &[Expr],
        pos: Position,
    ) -> Result<Option<String>, Diagnostic> {
        let inner = pos.below(op);
        let mut parts = Vec::with_capacity(children.len());
        for child in children {
            if let Some(text) = self.child(op, child, inner)? {
                parts.push(text);
            }
        }
        let joiner = if op == Op::And {
            self.tokens.and
        } else {
            self.tokens.or
        };
        Ok((!parts.is_empty()).then(|| parts.join(joiner)))
    }

    /// A child of an AND/OR, grouped when it binds more loosely than its parent.
    fn child(
        &mut self,
        parent: Op,
        child: &Expr,
        pos: Position,
    ) -> Result<Option<String>, Diagnostic> {
        let text = self.expr(child, pos)?;
        let loose = class(child).is_some_and(|c| self.tokens.rank(c) > self.tokens.rank(parent));
        Ok(text.map(|t| if loose { self.group(&t) } else { t }))
    }

    /// `field IN (v1, v2)` when the target has lists and the children qualify.
    fn in_list(&self, children: &[Expr]) -> Option<String> {
        let list = self.tokens.in_list?;
        let (field, leaves) = in_list::candidates(children)?;
        let mut values = Vec::with_capacity(leaves.len());
        for m in leaves {
            values.push(match &m.value {
                Value::Str(p) => literal::string(&self.tokens.string, p).ok()?,
                Value::Num(n) => n.to_string(),
                Value::Expansion(_)
                | Value::Bool(_)
                | Value::Null
                | Value::Regex { .. }
                | Value::Cidr(_)
                | Value::Compare { .. }
                | Value::Exists(_)
                | Value::FieldRef { .. }
                | Value::TimePart { .. } => return None,
            });
        }
        Some(format!(
            "{}{}{}{}",
            literal::field(self.tokens, field).ok()?,
            list.open,
            values.join(list.separator),
            list.close
        ))
    }

    fn group(&self, text: &str) -> String {
        format!("{}{}{}", self.tokens.group.0, text, self.tokens.group.1)
    }
}

/// A value with alternatives as a target writes it: a plain OR of one string leaf per
/// alternative (never an IN list), joined with `tokens`.
pub fn expansion<L: Leaves>(
    leaves: &mut L,
    tokens: &Tokens,
    m: &Match,
    alternatives: &[sigc_compiler::ir::Pattern],
    pos: Position,
) -> Result<Option<String>, Diagnostic> {
    let inner = if alternatives.len() > 1 {
        pos.below(Op::Or)
    } else {
        pos
    };
    let mut parts = Vec::with_capacity(alternatives.len());
    for alt in alternatives {
        let leaf = Match {
            field: m.field.clone(),
            value: Value::Str(alt.clone()),
            origin: m.origin.clone(),
        };
        if let Some(text) = leaves.leaf(&leaf, inner)? {
            parts.push(text);
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join(tokens.or)))
}

/// The operator an expression is written with, for grouping; `None` for a single leaf.
fn class(expr: &Expr) -> Option<Op> {
    match expr {
        Expr::And(_) => Some(Op::And),
        Expr::Or(_) => Some(Op::Or),
        Expr::Not(_) => Some(Op::Not),
        Expr::Match(m) => match &m.value {
            Value::Expansion(alts) => (alts.len() > 1).then_some(Op::Or),
            Value::Str(_)
            | Value::Num(_)
            | Value::Bool(_)
            | Value::Null
            | Value::Regex { .. }
            | Value::Cidr(_)
            | Value::Compare { .. }
            | Value::Exists(_)
            | Value::FieldRef { .. }
            | Value::TimePart { .. } => None,
        },
    }
}
