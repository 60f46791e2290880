//! The conditions that gate a processing item, at pySigma's three levels: the rule
//! (`rule_conditions`, [`RuleCond`]), each detection item (`detection_item_conditions`,
//! [`ItemCond`]) and each field name (`field_name_conditions`, [`FieldCond`]). A level's
//! conditions are linked by `*_cond_op` (`and`, the default, or `or`) or by a boolean expression
//! over named conditions (`*_cond_expr`, read by the rule-condition grammar), and negated by
//! `*_cond_not`. The levels are AND-ed.
//!
//! One file per level holds its condition types, their names and their evaluation; [`compare`]
//! holds the comparisons of `processing_state` and `rule_attribute`, and [`read`] reads them all.

pub mod compare;
pub mod field;
pub mod item;
pub mod read;
pub mod rule;

pub use compare::{CompareOp, StateCond};
pub use field::{FieldCond, FieldCondType};
pub use item::{ItemCond, ItemCondType};
pub use read::read;
pub use rule::{RuleCond, RuleCondType};

use super::Context;
use super::tree::Leaf;
use sigc_compiler::condition::BoolExpr;

/// The three condition levels of one item.
#[derive(Debug, Default)]
pub struct Conditions {
    pub rule: Set<RuleCond>,
    pub item: Set<ItemCond>,
    pub field: Set<FieldCond>,
}

/// The conditions of one level and how they combine.
#[derive(Debug)]
pub struct Set<C> {
    pub list: Vec<C>,
    pub link: Link,
    pub negate: bool,
}

impl<C> Default for Set<C> {
    fn default() -> Self {
        Set {
            list: Vec::new(),
            link: Link::All,
            negate: false,
        }
    }
}

/// How the conditions of a level combine.
#[derive(Debug)]
pub enum Link {
    All,
    Any,
    /// A boolean expression whose leaves index the list.
    Expr(BoolExpr<usize>),
}

impl<C> Set<C> {
    /// The linked result, negated if asked (pySigma: an empty `and` is true, an empty `or` false).
    fn eval(&self, f: impl Fn(&C) -> bool) -> bool {
        let result = match &self.link {
            Link::All => self.list.iter().all(&f),
            Link::Any => self.list.iter().any(&f),
            Link::Expr(e) => e.eval(&|&i| f(&self.list[i])),
        };
        result != self.negate
    }
}

impl Conditions {
    /// Do the rule conditions hold? (No rule condition always holds.)
    pub fn rule_matches(&self, cx: &Context<'_>) -> bool {
        self.rule.list.is_empty() || self.rule.eval(|c| c.matches(cx))
    }

    /// Do the detection-item and field-name conditions hold for `leaf`?
    pub fn item_matches(&self, cx: &Context<'_>, leaf: &Leaf) -> bool {
        self.item.eval(|c| c.matches(cx, leaf)) && self.field.eval(|c| c.matches_leaf(cx, leaf))
    }

    /// Whether the detection-item or field-name conditions ask which items transformed a leaf or
    /// a field name.
    pub fn reads_marks(&self) -> bool {
        self.item
            .list
            .iter()
            .any(|c| matches!(c, ItemCond::Applied(_)))
            || self
                .field
                .list
                .iter()
                .any(|c| matches!(c, FieldCond::Applied(_)))
    }

    /// Do the field-name conditions hold for `field`?
    pub fn field_matches(&self, cx: &Context<'_>, field: Option<&str>) -> bool {
        self.field.eval(|c| c.matches_name(cx, field))
    }
}
