//! A rule compiled for evaluation: patterns, regexes and networks prepared once, then matched
//! against any number of events.
//!
//! Compiling (merging leaves, numbering fields) is in [`compile`], testing one leaf in [`leaf`],
//! and what the literal pre-filter may rely on in [`need`].

mod compile;
mod leaf;
mod need;
#[cfg(test)]
mod tests;

use super::event::Event;
use super::fields::{FieldId, Slots, with_workspace};
use super::set::PatternSet;
use super::text::Scratch;
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::{CmpOp, FieldRefKind, Number, Rule, TimePart};

pub(crate) use need::Need;

/// A compiled rule that tests events.
#[derive(Clone, Debug)]
pub struct Matcher {
    conditions: Vec<Node>,
    /// The rule's field names, by [`FieldId`].
    fields: Vec<Box<str>>,
    /// `0..fields.len()`: the map from field numbers to slots when evaluated alone.
    identity: Vec<u32>,
}

/// A compiled expression.
#[derive(Clone, Debug)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(Leaf),
}

/// A compiled [`Match`](sigc_compiler::ir::Match).
#[derive(Clone, Debug)]
struct Leaf {
    /// `None` for a keyword.
    field: Option<FieldId>,
    test: Test,
}

/// What a leaf tests a value against.
#[derive(Clone, Debug)]
enum Test {
    /// String patterns (one, or an expansion's, or those of merged leaves).
    Patterns(PatternSet),
    Num(Number),
    Bool(bool),
    Null,
    Regex(regex::Regex),
    Cidr(ipnet::IpNet),
    Compare {
        op: CmpOp,
        value: Number,
    },
    Exists(bool),
    FieldRef {
        field: FieldId,
        kind: FieldRefKind,
    },
    TimePart {
        part: TimePart,
        value: Number,
    },
}

impl Matcher {
    /// Compiles every condition of `rule`; refuses, with a located diagnostic, a leaf that cannot
    /// be evaluated (an unresolved placeholder, a regex the `regex` crate rejects, a keyword that
    /// needs a field).
    pub fn new(rule: &Rule) -> Result<Self, Diagnostic> {
        compile::matcher(rule)
    }

    /// Whether any of the rule's conditions holds for `event`.
    pub fn matches<E: Event + ?Sized>(&self, event: &E) -> bool {
        self.matching_condition(event).is_some()
    }

    /// The index of the first condition that holds for `event`, if any.
    pub fn matching_condition<E: Event + ?Sized>(&self, event: &E) -> Option<usize> {
        with_workspace(|ws| {
            let mut slots = Slots::new(event, &self.fields, &mut ws.index, &mut ws.folded);
            slots.use_map(&self.identity);
            self.first_match(&mut slots, &mut ws.scratch)
        })
    }

    /// The rule's field names, by number.
    pub(crate) fn fields(&self) -> &[Box<str>] {
        &self.fields
    }

    /// [`matching_condition`](Self::matching_condition) with the event's fields in `slots`,
    /// whose map must be this rule's.
    pub(crate) fn first_match<E: Event + ?Sized>(
        &self,
        slots: &mut Slots<'_, '_, E>,
        sc: &mut Scratch,
    ) -> Option<usize> {
        self.conditions
            .iter()
            .position(|n| leaf::eval(n, slots, sc))
    }

    /// Whether the rule has a keyword: it reads every value of the event, not only its fields.
    pub(crate) fn has_keywords(&self) -> bool {
        fn any(node: &Node) -> bool {
            match node {
                Node::And(xs) | Node::Or(xs) => xs.iter().any(any),
                Node::Not(x) => any(x),
                Node::Leaf(leaf) => leaf.field.is_none(),
            }
        }
        self.conditions.iter().any(any)
    }

    /// Literals of which one occurs in a field's folded text whenever the rule matches; `None`
    /// when the rule gives no such guarantee.
    pub(crate) fn need(&self) -> Option<Need> {
        need::any_of(&self.conditions)
    }
}
