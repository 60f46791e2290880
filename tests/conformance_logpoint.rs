//! LogPoint conformance (`crate::conformance`): the SigmaHQ corpus without a pipeline and with
//! `-p logpoint_windows`, against pySigma-backend-logpoint; and the seed's LogPoint search from
//! the default pipeline.

use crate::common;
use crate::conformance;
use sigc_backends::{Plan, logpoint};
use std::sync::Arc;

/// Rules whose output without a pipeline must be text-identical to pySigma's. The 20 corpus rules
/// with an IPv6 `|cidr` are not: pySigma's wildcards on the address text (`fe8*`) select other
/// addresses, and sigc refuses them instead (docs/compat.md).
const FLOOR_NOPIPE: usize = 3068;
/// Rules whose `-p logpoint_windows` output must be text-identical to pySigma's (the same 20
/// IPv6 rules are refused).
const FLOOR_WINDOWS: usize = 3068;

#[test]
fn logpoint_matches_pysigma_on_the_corpus() {
    conformance::check("logpoint_nopipe.jsonl", "logpoint", &[], FLOOR_NOPIPE);
}

#[test]
fn logpoint_windows_matches_pysigma_on_the_corpus() {
    conformance::check(
        "logpoint_windows.jsonl",
        "logpoint",
        &["logpoint_windows"],
        FLOOR_WINDOWS,
    );
}

/// The seed (MITRE CAR-2020-11-007) searches `norm_id=WindowsSysmon event_id=1
/// ((image="C:\Windows\System32\net.exe" command="*delete*") OR command="*Remove-SmbShare*" OR
/// command="*Remove-FileShare*")`. The default pipeline gives the same terms in the same order:
/// LogPoint's OR binds tighter than its implicit AND, so the outer parentheses are not needed, and
/// quoting `WindowsSysmon` does not change its meaning.
#[test]
fn t1070_005_with_the_default_pipeline_gives_the_seed_search() {
    let path = common::root().join(
        "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml",
    );
    let rule = sigc_compiler::compile_rules(&common::source(&path), "this test")
        .pop()
        .expect("one rule")
        .expect("rule compiles");
    let plan = Plan::defaults(&logpoint::LogPoint).expect("default pipelines load");
    let converted = plan.convert(&Arc::new(rule)).expect("converts");
    assert_eq!(
        converted
            .queries
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            r#"norm_id="WindowsSysmon" event_id=1 (image="C:\Windows\System32\net.exe" command="*delete*") OR command="*Remove-SmbShare*" OR command="*Remove-FileShare*""#
        ]
    );
}
