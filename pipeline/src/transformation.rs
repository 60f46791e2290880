//! The transformations: their `type:` names and parameters ([`TransformationType`]), the ones
//! sigc refuses ([`Unsupported`]), and the typed [`Transformation`] read from an item.

use crate::names::named;
use crate::reader::Reader;
use crate::{condition, fields, hashes, placeholders, values};
use sigc_compiler::yaml::Node;

named! {
    /// Every transformation type sigc implements (pySigma's `type:` names).
    pub enum TransformationType {
        FieldNameMapping = "field_name_mapping",
        FieldNamePrefixMapping = "field_name_prefix_mapping",
        FieldNamePrefix = "field_name_prefix",
        FieldNameSuffix = "field_name_suffix",
        FieldNameTransform = "field_name_transform",
        HashesFields = "hashes_fields",
        AddField = "add_field",
        RemoveField = "remove_field",
        SetField = "set_field",
        DropDetectionItem = "drop_detection_item",
        AddCondition = "add_condition",
        ChangeLogsource = "change_logsource",
        SetState = "set_state",
        SetCustomAttribute = "set_custom_attribute",
        ReplaceString = "replace_string",
        MapString = "map_string",
        SetValue = "set_value",
        ConvertType = "convert_type",
        Case = "case",
        ValuePlaceholders = "value_placeholders",
        WildcardPlaceholders = "wildcard_placeholders",
        RuleFailure = "rule_failure",
        DetectionItemFailure = "detection_item_failure",
    }
}

impl TransformationType {
    /// The parameters an item of this type may have.
    pub fn params(self) -> &'static [&'static str] {
        use TransformationType as T;
        match self {
            T::FieldNameMapping | T::FieldNamePrefixMapping | T::MapString => &["mapping"],
            T::FieldNamePrefix => &["prefix"],
            T::FieldNameSuffix => &["suffix"],
            T::FieldNameTransform => &["transform_func", "mapping", "apply_keyword"],
            T::HashesFields => &[
                "valid_hash_algos",
                "field_prefix",
                "drop_algo_prefix",
                "field_to_parse",
            ],
            T::AddField | T::RemoveField => &["field"],
            T::SetField => &["fields"],
            T::DropDetectionItem => &[],
            T::AddCondition => &["conditions", "template", "negated", "name"],
            T::ChangeLogsource => &["category", "product", "service"],
            T::SetState => &["key", "val"],
            T::SetCustomAttribute => &["attribute", "value"],
            T::ReplaceString => &["regex", "replacement", "skip_special", "interpret_special"],
            T::SetValue => &["value", "force_type"],
            T::ConvertType => &["target_type"],
            T::Case => &["method"],
            T::ValuePlaceholders | T::WildcardPlaceholders => &["include", "exclude"],
            T::RuleFailure | T::DetectionItemFailure => &["message"],
        }
    }
}

named! {
    /// pySigma transformation types sigc does not implement: an error, never ignored.
    pub enum Unsupported {
        Regex = "regex",
        QueryExpressionPlaceholders = "query_expression_placeholders",
        FilePlaceholders = "file_placeholders",
        HttpPlaceholders = "http_placeholders",
        CommandPlaceholders = "command_placeholders",
        Nest = "nest",
        StrictFieldMappingFailure = "strict_field_mapping_failure",
        ExtractFields = "extract_fields",
    }
}

impl Unsupported {
    /// Why sigc does not implement it.
    pub fn reason(self) -> &'static str {
        use Unsupported as U;
        match self {
            U::Regex | U::StrictFieldMappingFailure | U::ExtractFields => {
                "it is not implemented yet"
            }
            U::QueryExpressionPlaceholders => "placeholders become IR values, not query text",
            U::FilePlaceholders | U::HttpPlaceholders => "sigc reads no external sources",
            U::CommandPlaceholders => "sigc runs no commands",
            U::Nest => "nested processing items are not implemented yet",
        }
    }
}

/// Every transformation sigc implements, with its parameters read (pySigma identifiers in
/// [`TransformationType`]).
#[derive(Debug)]
pub enum Transformation {
    /// `field_name_mapping`, `field_name_prefix_mapping`, `field_name_prefix`,
    /// `field_name_suffix` and `field_name_transform`.
    Rename(fields::Rename),
    /// `hashes_fields`: `Hashes` values split into one field per hash algorithm.
    HashesFields(hashes::HashesFields),
    /// `add_field`: names appended to the rule's `fields`.
    AddField(Vec<String>),
    /// `remove_field`: names removed from the rule's `fields`.
    RemoveField(Vec<String>),
    /// `set_field`: the rule's `fields` replaced.
    SetField(Vec<String>),
    /// `drop_detection_item`.
    DropDetectionItem,
    /// `add_condition`.
    AddCondition(condition::AddCondition),
    /// `change_logsource`: the log source replaced by these three fields.
    ChangeLogsource {
        category: Option<String>,
        product: Option<String>,
        service: Option<String>,
    },
    /// `set_state`.
    SetState { key: String, val: serde_json::Value },
    /// `set_custom_attribute`.
    SetCustomAttribute {
        attribute: String,
        value: serde_json::Value,
    },
    /// `replace_string`, `map_string`, `set_value`, `convert_type` and `case`.
    Rewrite(values::Rewrite),
    /// `value_placeholders`: placeholders replaced by variable values.
    ValuePlaceholders(placeholders::Selection),
    /// `wildcard_placeholders`: placeholders replaced by `*`.
    WildcardPlaceholders(placeholders::Selection),
    /// `rule_failure`.
    RuleFailure(String),
    /// `detection_item_failure`.
    DetectionItemFailure(String),
}

impl Transformation {
    /// Reads the parameters of an item of type `ty` (its keys are already checked).
    pub fn read(r: &mut Reader<'_>, ty: TransformationType, n: Node<'_>) -> Option<Self> {
        use TransformationType as T;
        use fields::Rename;
        use values::Rewrite;
        Some(match ty {
            T::FieldNameMapping => Self::Rename(Rename::Mapping(fields::NameMap::new(
                r.req_string_lists(n, "mapping")?,
            ))),
            T::FieldNamePrefixMapping => Self::Rename(Rename::read_prefix_mapping(r, n)?),
            T::FieldNamePrefix => Self::Rename(Rename::Prefix(r.req_string(n, "prefix")?)),
            T::FieldNameSuffix => Self::Rename(Rename::Suffix(r.req_string(n, "suffix")?)),
            T::FieldNameTransform => Self::Rename(Rename::read_transform(r, n)?),
            T::HashesFields => Self::HashesFields(hashes::HashesFields::read(r, n)?),
            T::AddField => Self::AddField(r.req_strings(n, "field")?),
            T::RemoveField => Self::RemoveField(r.req_strings(n, "field")?),
            T::SetField => Self::SetField(r.req_strings(n, "fields")?),
            T::DropDetectionItem => Self::DropDetectionItem,
            T::AddCondition => Self::AddCondition(condition::AddCondition::read(r, n)?),
            T::ChangeLogsource => Self::ChangeLogsource {
                category: r.opt_string(n, "category"),
                product: r.opt_string(n, "product"),
                service: r.opt_string(n, "service"),
            },
            T::SetState => Self::SetState {
                key: r.req_string(n, "key")?,
                val: r.req_json(n, "val")?,
            },
            T::SetCustomAttribute => Self::SetCustomAttribute {
                attribute: r.req_string(n, "attribute")?,
                value: r.req_json(n, "value")?,
            },
            T::ReplaceString => {
                Self::Rewrite(Rewrite::ReplaceString(values::ReplaceString::read(r, n)?))
            }
            T::MapString => Self::Rewrite(Rewrite::MapString(r.req_string_lists(n, "mapping")?)),
            T::SetValue => Self::Rewrite(Rewrite::SetValue(values::read_set_value(r, n)?)),
            T::ConvertType => {
                let node = r.required(n, "target_type")?;
                Self::Rewrite(Rewrite::ConvertType(values::TargetType::read(r, node)?))
            }
            T::Case => Self::Rewrite(Rewrite::Case(values::CaseMethod::read(r, n.get("method"))?)),
            T::ValuePlaceholders => Self::ValuePlaceholders(placeholders::Selection::read(r, n)?),
            T::WildcardPlaceholders => {
                Self::WildcardPlaceholders(placeholders::Selection::read(r, n)?)
            }
            T::RuleFailure => Self::RuleFailure(r.req_string(n, "message")?),
            T::DetectionItemFailure => Self::DetectionItemFailure(r.req_string(n, "message")?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::assert_round_trip;

    #[test]
    fn names_round_trip() {
        assert_round_trip(TransformationType::ALL);
        assert_round_trip(Unsupported::ALL);
        assert_eq!(TransformationType::ALL.len(), 23);
        assert_eq!(
            "case".parse::<TransformationType>(),
            Ok(TransformationType::Case)
        );
        // a type is either implemented or refused, never both
        for u in Unsupported::ALL {
            assert!(u.name().parse::<TransformationType>().is_err(), "{u}");
        }
    }
}
