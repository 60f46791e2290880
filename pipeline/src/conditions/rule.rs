//! Conditions on the whole rule (`rule_conditions`).

use super::compare::{CompareOp, StateCond};
use crate::Context;
use crate::names::named;
use serde_json::Value as Json;
use sigc_compiler::ir::{LogSource, Value};

named! {
    /// The `type:` names of rule conditions.
    pub enum RuleCondType {
        Logsource = "logsource",
        ContainsDetectionItem = "contains_detection_item",
        ContainsField = "contains_field",
        ProcessingItemApplied = "processing_item_applied",
        ProcessingState = "processing_state",
        IsSigmaRule = "is_sigma_rule",
        IsSigmaCorrelationRule = "is_sigma_correlation_rule",
        RuleAttribute = "rule_attribute",
        Tag = "tag",
    }
}

impl RuleCondType {
    /// The parameters a condition of this type may have (besides `type`).
    pub fn params(self) -> &'static [&'static str] {
        use RuleCondType as T;
        match self {
            T::Logsource => &["category", "product", "service"],
            T::ContainsDetectionItem => &["field", "value"],
            T::ContainsField => &["field"],
            T::ProcessingItemApplied => &["processing_item_id"],
            T::ProcessingState => &["key", "val", "op"],
            T::IsSigmaRule | T::IsSigmaCorrelationRule => &[],
            T::RuleAttribute => &["attribute", "value", "op"],
            T::Tag => &["tag"],
        }
    }
}

/// A condition on the whole rule.
#[derive(Debug)]
pub enum RuleCond {
    /// `logsource`: every given field equals the rule's (for a correlation, some referenced
    /// rule's, as pySigma).
    Logsource {
        category: Option<String>,
        product: Option<String>,
        service: Option<String>,
    },
    /// `contains_detection_item`: some leaf has this field and value.
    ContainsDetectionItem { field: Option<String>, value: Value },
    /// `contains_field`.
    ContainsField(Option<String>),
    /// `processing_item_applied`: an item with this id matched the rule.
    Applied(String),
    /// `processing_state`.
    State(StateCond),
    /// `is_sigma_rule` (true) and `is_sigma_correlation_rule` (false).
    IsSigmaRule(bool),
    /// `rule_attribute`.
    Attribute {
        attribute: String,
        value: Json,
        op: CompareOp,
    },
    /// `tag`.
    Tag(String),
}

impl RuleCond {
    pub fn matches(&self, cx: &Context<'_>) -> bool {
        let rule = &*cx.rule;
        match self {
            RuleCond::Logsource {
                category,
                product,
                service,
            } => {
                let same =
                    |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
                let matches = |ls: &LogSource| {
                    same(category, &ls.category)
                        && same(product, &ls.product)
                        && same(service, &ls.service)
                };
                match cx.correlated {
                    None => matches(&rule.logsource),
                    Some(referenced) => referenced.iter().any(matches),
                }
            }
            RuleCond::ContainsDetectionItem { field, value } => cx.trees.iter().any(|t| {
                t.any_leaf(&|l| l.m.field.is_some() && l.m.field == *field && l.m.value == *value)
            }),
            RuleCond::ContainsField(field) => cx
                .trees
                .iter()
                .any(|t| t.any_leaf(&|l| l.m.field.is_some() && l.m.field == *field)),
            RuleCond::Applied(id) => cx.applied.contains(id),
            RuleCond::State(s) => s.matches(cx),
            RuleCond::IsSigmaRule(want) => *want == cx.correlated.is_none(),
            RuleCond::Attribute {
                attribute,
                value,
                op,
            } => attribute_matches(cx, attribute, value, *op),
            RuleCond::Tag(tag) => rule.meta.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
        }
    }
}

/// `rule_attribute`: strings compare for equality, lists by membership, levels and dates by order.
fn attribute_matches(cx: &Context<'_>, attribute: &str, value: &Json, op: CompareOp) -> bool {
    const LEVELS: &[&str] = &["informational", "low", "medium", "high", "critical"];
    const STATUSES: &[&str] = &[
        "unsupported",
        "deprecated",
        "experimental",
        "test",
        "stable",
    ];
    let meta = &cx.rule.meta;
    let text = |s: &Option<String>| s.clone().map(Json::String);
    let have = match attribute {
        "title" => Some(Json::String(meta.title.clone())),
        "id" => text(&meta.id),
        "name" => text(&meta.name),
        "status" => meta.status.map(|s| Json::String(s.to_string())),
        "description" => text(&meta.description),
        "author" => text(&meta.author),
        "license" => text(&meta.license),
        "date" => text(&meta.date),
        "modified" => text(&meta.modified),
        "level" => meta.level.map(|l| Json::String(l.to_string())),
        "tags" => Some(Json::from(meta.tags.clone())),
        "references" => Some(Json::from(meta.references.clone())),
        "falsepositives" => Some(Json::from(meta.falsepositives.clone())),
        "fields" => Some(Json::from(meta.fields.clone())),
        other => meta.custom.get(other).cloned(),
    };
    let Some(have) = have else { return false };
    if let Json::Array(list) = &have {
        return op.list(list, value);
    }
    let rank = |table: &[&str], v: &Json| {
        v.as_str()
            .and_then(|s| table.iter().position(|t| t.eq_ignore_ascii_case(s)))
            .map(|i| Json::from(i as u64))
    };
    let (have, value) = match attribute {
        "level" => (rank(LEVELS, &have), rank(LEVELS, value)),
        "status" => (rank(STATUSES, &have), rank(STATUSES, value)),
        "date" | "modified" => (
            have.as_str().map(|s| Json::String(s.replace('/', "-"))),
            value.as_str().map(|s| Json::String(s.replace('/', "-"))),
        ),
        _ => (Some(have), Some(value.clone())),
    };
    match (have, value) {
        (Some(h), Some(v)) => op.values(&h, &v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        crate::names::assert_round_trip(RuleCondType::ALL);
    }
}
