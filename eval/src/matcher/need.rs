//! What the literal pre-filter may rely on: for a rule, literals of which at least one occurs in
//! some field's folded text (or, for a keyword, in the folded text of some scalar of the event)
//! whenever the rule matches. A rule none of whose literals occurs in an event is not evaluated
//! on it.
//!
//! A string leaf, with a field or a keyword, needs one literal of each of its patterns (any-set)
//! or of one of them (all-set); an `And` needs what its most selective child needs, an `Or` what
//! all its children need together; a `Not` and every other test need nothing (no guarantee).

use super::{Leaf, Node, Test};
use crate::fields::FieldId;

/// (field, folded literal) pairs, one of which occurs whenever the rule matches; a field `None`
/// stands for any scalar of the event (a keyword). Empty when the rule can never match.
pub(crate) type Need = Vec<(Option<FieldId>, Box<str>)>;

/// What one of `nodes` holding needs (the rule's conditions, or the children of an `Or`).
pub(super) fn any_of(nodes: &[Node]) -> Option<Need> {
    let mut need = Need::new();
    for node in nodes {
        need.extend(of(node)?);
    }
    Some(need)
}

fn of(node: &Node) -> Option<Need> {
    match node {
        Node::Leaf(Leaf {
            field,
            test: Test::Patterns(set),
        }) => set
            .required_literals()
            .map(|lits| lits.into_iter().map(|l| (*field, l.into())).collect()),
        Node::Leaf(_) | Node::Not(_) => None,
        Node::Or(xs) => any_of(xs),
        Node::And(xs) => xs.iter().filter_map(of).max_by_key(selectivity),
    }
}

/// How rarely a need is met, roughly: its shortest literal's length (longer literals occur less
/// often), then fewer alternatives. A need with no alternative is never met.
fn selectivity(need: &Need) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = need
        .iter()
        .map(|(_, l)| l.len())
        .min()
        .unwrap_or(usize::MAX);
    (shortest, std::cmp::Reverse(need.len()))
}
