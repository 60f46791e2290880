//! Splunk conformance (`crate::conformance`): the SigmaHQ corpus without a pipeline, with
//! `-p splunk_windows` and with `-p sysmon -p splunk_windows`, against pySigma-backend-splunk.

use crate::conformance;

/// Rules whose output without a pipeline must be text-identical to pySigma's.
const FLOOR: usize = 3107;
/// Rules whose `-p splunk_windows` output must be text-identical to pySigma's.
const FLOOR_SPLUNK_WINDOWS: usize = 3108;
/// Rules whose `-p sysmon -p splunk_windows` output must be text-identical to pySigma's.
const FLOOR_SYSMON_SPLUNK_WINDOWS: usize = 3117;

#[test]
fn splunk_matches_pysigma_on_the_corpus() {
    conformance::check("splunk_nopipe.jsonl", "splunk", &[], FLOOR);
}

#[test]
fn splunk_windows_matches_pysigma_on_the_corpus() {
    conformance::check(
        "splunk_windows.jsonl",
        "splunk",
        &["splunk_windows"],
        FLOOR_SPLUNK_WINDOWS,
    );
}

#[test]
fn sysmon_then_splunk_windows_matches_pysigma_on_the_corpus() {
    conformance::check(
        "splunk_sysmon_windows.jsonl",
        "splunk",
        &["sysmon", "splunk_windows"],
        FLOOR_SYSMON_SPLUNK_WINDOWS,
    );
}
