//! Conditions on a field name (`field_name_conditions`).

use super::compare::StateCond;
use crate::Context;
use crate::names::named;
use crate::tree::Leaf;
use regex::Regex;
use sigc_compiler::ir::Value;

named! {
    /// The `type:` names of field-name conditions.
    pub enum FieldCondType {
        IncludeFields = "include_fields",
        ExcludeFields = "exclude_fields",
        ProcessingItemApplied = "processing_item_applied",
        ProcessingState = "processing_state",
    }
}

impl FieldCondType {
    /// The parameters a condition of this type may have (besides `type`).
    pub fn params(self) -> &'static [&'static str] {
        use FieldCondType as T;
        match self {
            T::IncludeFields | T::ExcludeFields => &["fields", "mode"],
            T::ProcessingItemApplied => &["processing_item_id"],
            T::ProcessingState => &["key", "val", "op"],
        }
    }
}

/// A condition on a field name.
#[derive(Debug)]
pub enum FieldCond {
    /// `include_fields` (`exclude: false`) and `exclude_fields`: by name, or by regexes
    /// matched at the start of the name (`mode: re`).
    Fields {
        names: Vec<String>,
        regexes: Option<Vec<Regex>>,
        exclude: bool,
    },
    /// `processing_item_applied`: an item with this id renamed the field.
    Applied(String),
    /// `processing_state`.
    State(StateCond),
}

impl FieldCond {
    /// pySigma's `match_detection_item`: the leaf's field, or a field it references, matches.
    pub fn matches_leaf(&self, cx: &Context<'_>, leaf: &Leaf) -> bool {
        match self {
            FieldCond::Fields { exclude, .. } => {
                let referenced = match &leaf.m.value {
                    Value::FieldRef { field, .. } => Some(field.as_str()),
                    _ => None,
                };
                if *exclude {
                    self.matches_name(cx, leaf.m.field.as_deref())
                } else {
                    self.matches_name(cx, leaf.m.field.as_deref())
                        || referenced.is_some_and(|f| self.matches_name(cx, Some(f)))
                }
            }
            FieldCond::Applied(id) => leaf.applied.contains(id),
            FieldCond::State(s) => s.matches(cx),
        }
    }

    /// pySigma's `match_field_name`.
    pub fn matches_name(&self, cx: &Context<'_>, field: Option<&str>) -> bool {
        match self {
            FieldCond::Fields {
                names,
                regexes,
                exclude,
            } => {
                let included = field.is_some_and(|f| match regexes {
                    Some(res) => res.iter().any(|r| r.is_match(f)),
                    None => names.iter().any(|n| n == f),
                });
                included != *exclude
            }
            FieldCond::Applied(id) => {
                field.is_some_and(|f| cx.field_applied.get(f).is_some_and(|s| s.contains(id)))
            }
            FieldCond::State(s) => s.matches(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        crate::names::assert_round_trip(FieldCondType::ALL);
    }
}
