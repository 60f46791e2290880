//! One validator per file; [`super::VALIDATORS`] registers them. Helpers shared by several
//! validators live here.

pub mod all_of_them_condition;
pub mod attacktag;
pub mod cartag;
pub mod control_character;
pub mod custom_attributes;
pub mod cvetag;
pub mod d3_fendtag;
pub mod dangling_condition;
pub mod dangling_detection;
pub mod detection_tag;
pub mod double_wildcard;
pub mod duplicate_filename;
pub mod duplicate_references;
pub mod duplicate_tag;
pub mod duplicate_title;
pub mod escaped_wildcard;
pub mod fieldname_logsource;
pub mod filename_length;
pub mod filter_condition_without_not;
pub mod identifier_existence;
pub mod identifier_uniqueness;
pub mod invalid_cidr;
pub mod invalid_modifier_combinations;
pub mod invalid_regex;
pub mod namespace_tag;
pub mod number_as_string;
pub mod rule_test_case;
pub mod sigmahq_author_existence;
pub mod sigmahq_category_event_id;
pub mod sigmahq_category_windows_provider_name;
pub mod sigmahq_correlation_filename_prefix;
pub mod sigmahq_correlation_group_by_existence;
pub mod sigmahq_correlation_rules_minimum;
pub mod sigmahq_date_existence;
pub mod sigmahq_description_existence;
pub mod sigmahq_description_length;
pub mod sigmahq_falsepositives_banned_word;
pub mod sigmahq_falsepositives_capital;
pub mod sigmahq_falsepositives_typo_word;
pub mod sigmahq_field_duplicate_value;
pub mod sigmahq_field_user;
pub mod sigmahq_fieldname_cast;
pub mod sigmahq_fields_existence;
pub mod sigmahq_filename_convention;
pub mod sigmahq_filename_prefix;
pub mod sigmahq_github_link;
pub mod sigmahq_invalid_all_modifier;
pub mod sigmahq_invalid_fieldname;
pub mod sigmahq_invalid_hash_kv;
pub mod sigmahq_level_existence;
pub mod sigmahq_link_in_description;
pub mod sigmahq_logsource_unknown;
pub mod sigmahq_missing_asterisk_condition;
pub mod sigmahq_mitre_link;
pub mod sigmahq_modified_date_order;
pub mod sigmahq_modified_without_date;
pub mod sigmahq_ofselection_condition;
pub mod sigmahq_ofthem_condition;
pub mod sigmahq_redundant_field;
pub mod sigmahq_redundant_modified;
pub mod sigmahq_space_field_name;
pub mod sigmahq_status;
pub mod sigmahq_status_existence;
pub mod sigmahq_status_to_high;
pub mod sigmahq_sysmon_missing_eventid;
pub mod sigmahq_tags_detection;
pub mod sigmahq_tags_techniques_without_tactics;
pub mod sigmahq_tags_tlp;
pub mod sigmahq_tags_unique_detection;
pub mod sigmahq_tags_unique_tlp;
pub mod sigmahq_title_case;
pub mod sigmahq_title_end;
pub mod sigmahq_title_length;
pub mod sigmahq_title_start;
pub mod sigmahq_unknown_field;
pub mod sigmahq_unsupported_regex_group_construct;
pub mod specific_instead_of_generic_logsource;
pub mod stptag;
pub mod tag_format;
pub mod them_condition_with_single_detection;
pub mod tlptag;
pub mod tlpv1_tag;
pub mod tlpv2_tag;
pub mod wildcards_instead_of_modifiers;

use super::{Ctx, Item, Out};
use sigc_compiler::modifier::Modifier;
use sigc_compiler::yaml::Node;

/// Every string value where Sigma wildcards apply (not under `re`, `cidr`, `fieldref`, `expand`
/// or an encoding), with its item.
pub fn wildcard_values<'c, 'a>(
    cx: &'c Ctx<'a>,
) -> impl Iterator<Item = (&'c Item<'a>, Node<'a>, &'a str)> + 'c {
    const RAW: &[Modifier] = &[
        Modifier::Re,
        Modifier::Cidr,
        Modifier::FieldRef,
        Modifier::Base64,
        Modifier::Base64Offset,
    ];
    cx.items
        .iter()
        .filter(|i| !RAW.iter().any(|m| i.has(*m)))
        .flat_map(|i| i.scalars().filter_map(move |n| Some((i, n, n.as_str()?))))
}

/// The TLP validators: every `tlp.` tag must be one of `allowed`.
pub fn tlp(cx: &Ctx<'_>, out: &mut Out<'_>, allowed: &[&str], version: &str) {
    for &(tag, node) in cx.tags() {
        let Some(label) = tag.strip_prefix("tlp.") else {
            continue;
        };
        if !allowed.contains(&label) {
            out.report(node.span(), format!("`{tag}` is not a {version} label"))
                .help(format!("{version} labels: {}", allowed.join(", ")));
        }
    }
}
