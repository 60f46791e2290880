//! The formats only Splunk offers: a `savedsearches.conf`, and `tstats` searches over a CIM
//! data model.

use super::Format;

/// A Splunk `savedsearches.conf` with one stanza per query.
pub const SAVEDSEARCHES: Format = Format {
    name: "savedsearches",
    description: "a Splunk savedsearches.conf with one stanza per query",
    extension: Some("conf"),
    template: include_str!("../../templates/splunk/savedsearches.j2"),
    requires: &[],
    extra: None,
    refusing: true,
    correlations: true,
};

/// `tstats` searches over the data model the `splunk_cim` pipeline chose.
pub const DATA_MODEL: Format = Format {
    name: "data_model",
    description: "tstats searches over the CIM data model chosen by the splunk_cim pipeline",
    extension: None,
    template: include_str!("../../templates/splunk/data_model.j2"),
    requires: &[
        (
            "data_model_set",
            "No data model specified by processing pipeline",
        ),
        ("fields", "No fields specified by processing pipeline"),
    ],
    extra: None,
    refusing: false,
    correlations: false,
};
