//! The expression walker: boolean structure, grouping by precedence, IN lists and expansions.
//!
//! Leaves are written by the target through [`Leaves`]; a leaf may also be taken out of the
//! expression (deferred to a later pipeline stage), in which case it renders as nothing and the
//! operators around it close up, as in pySigma.

use super::in_list;
use super::literal;
use super::tokens::{InList, Op, Tokens};
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
    /// Writes the text of one leaf to `out` and returns `true`, or returns `false` having written
    /// nothing when the target defers the leaf out of the expression (it then records the
    /// deferred part itself, negated when `pos.negated`). A [`Value::Expansion`] is written with
    /// [`expansion`], which asks for each alternative as its own string leaf.
    fn leaf(&mut self, m: &Match, pos: Position, out: &mut String) -> Result<bool, Diagnostic>;
}

/// Renders expressions with a token table and a target's leaves, writing into one buffer as it
/// walks the tree.
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
        let mut out = String::new();
        Ok(self
            .expr(expr, Position::default(), &mut out)?
            .then_some(out))
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
            Expr::And(children) => {
                let mut scratch = String::new();
                self.flatten_and(children, Position::default(), &mut scratch, &mut out)?;
            }
            Expr::Or(_) | Expr::Not(_) | Expr::Match(_) => {
                out.push((expr, self.render(expr)?));
            }
        }
        Ok(out)
    }

    /// Each conjunct is written into `scratch`, then copied out at its size.
    fn flatten_and<'e>(
        &mut self,
        children: &'e [Expr],
        pos: Position,
        scratch: &mut String,
        out: &mut Vec<(&'e Expr, Option<String>)>,
    ) -> Result<(), Diagnostic> {
        let inner = pos.below(Op::And);
        for child in children {
            if let Expr::And(grandchildren) = child {
                self.flatten_and(grandchildren, inner, scratch, out)?;
            } else {
                scratch.clear();
                let written = self.child(Op::And, child, inner, scratch)?;
                out.push((child, written.then(|| scratch.clone())));
            }
        }
        Ok(())
    }

    /// Writes `expr`; `false` (with `out` as it was) when all of it was deferred.
    fn expr(&mut self, expr: &Expr, pos: Position, out: &mut String) -> Result<bool, Diagnostic> {
        match expr {
            Expr::Match(m) => self.leaves.leaf(m, pos, out),
            Expr::And(children) => self.join(Op::And, children, pos, out),
            Expr::Or(children) => {
                Ok(self.in_list(children, out) || self.join(Op::Or, children, pos, out)?)
            }
            Expr::Not(inner) => {
                let mark = out.len();
                out.push_str(self.tokens.not);
                let grouped = class(inner).is_some();
                let written = self.grouped(grouped, inner, pos.below(Op::Not), out)?;
                Ok(kept(out, mark, written))
            }
        }
    }

    fn join(
        &mut self,
        op: Op,
        children: &[Expr],
        pos: Position,
        out: &mut String,
    ) -> Result<bool, Diagnostic> {
        let inner = pos.below(op);
        let joiner = if op == Op::And {
            self.tokens.and
        } else {
            self.tokens.or
        };
        join(out, joiner, children, |child, out| {
            self.child(op, child, inner, out)
        })
    }

    /// A child of an AND/OR, grouped when it binds more loosely than its parent.
    fn child(
        &mut self,
        parent: Op,
        child: &Expr,
        pos: Position,
        out: &mut String,
    ) -> Result<bool, Diagnostic> {
        let loose = class(child).is_some_and(|c| self.tokens.rank(c) > self.tokens.rank(parent));
        self.grouped(loose, child, pos, out)
    }

    /// Writes `expr`, between the group brackets when `grouped`.
    fn grouped(
        &mut self,
        grouped: bool,
        expr: &Expr,
        pos: Position,
        out: &mut String,
    ) -> Result<bool, Diagnostic> {
        if !grouped {
            return self.expr(expr, pos, out);
        }
        let mark = out.len();
        out.push_str(self.tokens.group.0);
        let written = self.expr(expr, pos, out)?;
        if written {
            out.push_str(self.tokens.group.1);
        }
        Ok(kept(out, mark, written))
    }

    /// Writes `field IN (v1, v2)` when the target has lists and the children qualify; `false`
    /// (with `out` as it was) otherwise.
    fn in_list(&self, children: &[Expr], out: &mut String) -> bool {
        let Some(list) = self.tokens.in_list else {
            return false;
        };
        let Some((field, leaves)) = in_list::candidates(children) else {
            return false;
        };
        let mark = out.len();
        let written = self.write_list(list, field, &leaves, out).is_some();
        kept(out, mark, written)
    }

    /// The IN list's text, or `None` where some part of it cannot be written.
    fn write_list(
        &self,
        list: InList,
        field: &str,
        leaves: &[&Match],
        out: &mut String,
    ) -> Option<()> {
        out.push_str(&literal::field(self.tokens, field).ok()?);
        out.push_str(list.open);
        for (i, m) in leaves.iter().enumerate() {
            if i > 0 {
                out.push_str(list.separator);
            }
            match &m.value {
                Value::Str(p) => literal::write_string(&self.tokens.string, p, out).ok()?,
                Value::Num(n) => out.push_str(&n.to_string()),
                Value::Expansion(_)
                | Value::Bool(_)
                | Value::Null
                | Value::Regex { .. }
                | Value::Cidr(_)
                | Value::Compare { .. }
                | Value::Exists(_)
                | Value::FieldRef { .. }
                | Value::TimePart { .. } => return None,
            }
        }
        out.push_str(list.close);
        Some(())
    }
}

/// Writes a value with alternatives as a target writes it: a plain OR of one string leaf per
/// alternative (never an IN list), joined with `tokens`.
pub fn expansion<L: Leaves>(
    leaves: &mut L,
    tokens: &Tokens,
    m: &Match,
    alternatives: &[sigc_compiler::ir::Pattern],
    pos: Position,
    out: &mut String,
) -> Result<bool, Diagnostic> {
    let inner = if alternatives.len() > 1 {
        pos.below(Op::Or)
    } else {
        pos
    };
    join(out, tokens.or, alternatives, |alt, out| {
        let leaf = Match {
            field: m.field.clone(),
            value: Value::Str(alt.clone()),
            origin: m.origin.clone(),
        };
        leaves.leaf(&leaf, inner, out)
    })
}

/// Writes each item with `write`, `joiner` between two that wrote text; whether any did.
fn join<T>(
    out: &mut String,
    joiner: &str,
    items: &[T],
    mut write: impl FnMut(&T, &mut String) -> Result<bool, Diagnostic>,
) -> Result<bool, Diagnostic> {
    let mut any = false;
    for item in items {
        let mark = out.len();
        if any {
            out.push_str(joiner);
        }
        let written = write(item, out)?;
        any |= kept(out, mark, written);
    }
    Ok(any)
}

/// `written`, after cutting `out` back to `mark` when it is `false`.
fn kept(out: &mut String, mark: usize, written: bool) -> bool {
    if !written {
        out.truncate(mark);
    }
    written
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
