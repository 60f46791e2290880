//! Conditions on one detection item, a `Match` leaf here (`detection_item_conditions`).

use super::compare::StateCond;
use crate::Context;
use crate::names::named;
use crate::tree::Leaf;
use regex::Regex;
use sigc_compiler::ir::Value;

named! {
    /// The `type:` names of detection-item conditions.
    pub enum ItemCondType {
        MatchString = "match_string",
        MatchValue = "match_value",
        ContainsWildcard = "contains_wildcard",
        IsNull = "is_null",
        ProcessingItemApplied = "processing_item_applied",
        ProcessingState = "processing_state",
    }
}

impl ItemCondType {
    /// The parameters a condition of this type may have (besides `type`).
    pub fn params(self) -> &'static [&'static str] {
        use ItemCondType as T;
        match self {
            T::MatchString => &["pattern", "negate", "cond"],
            T::MatchValue => &["value", "cond"],
            T::ContainsWildcard | T::IsNull => &["cond"],
            T::ProcessingItemApplied => &["processing_item_id"],
            T::ProcessingState => &["key", "val", "op"],
        }
    }
}

/// A condition on one detection item (a leaf).
#[derive(Debug)]
pub enum ItemCond {
    /// `match_string`: the string value (Sigma notation) matches the regex at its start.
    MatchString { regex: Regex, negate: bool },
    /// `match_value`.
    MatchValue(Value),
    /// `contains_wildcard`.
    ContainsWildcard,
    /// `is_null`.
    IsNull,
    /// `processing_item_applied`: an item with this id transformed the leaf.
    Applied(String),
    /// `processing_state`.
    State(StateCond),
}

impl ItemCond {
    pub fn matches(&self, cx: &Context<'_>, leaf: &Leaf) -> bool {
        let value = &leaf.m.value;
        let string = match value {
            Value::Str(p) => Some(p),
            _ => None,
        };
        match self {
            ItemCond::MatchString { regex, negate } => {
                let hit = string
                    .is_some_and(|p| regex.find(&p.to_string()).is_some_and(|m| m.start() == 0));
                hit != *negate
            }
            ItemCond::MatchValue(v) => value == v,
            ItemCond::ContainsWildcard => string.is_some_and(|p| !p.is_plain()),
            ItemCond::IsNull => *value == Value::Null,
            ItemCond::Applied(id) => leaf.applied.contains(id),
            ItemCond::State(s) => s.matches(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        crate::names::assert_round_trip(ItemCondType::ALL);
    }
}
