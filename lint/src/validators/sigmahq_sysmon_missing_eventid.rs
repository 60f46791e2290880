//! `sigmahq_sysmon_missing_eventid`
//!
//! ## What it does
//! Reports a `service: sysmon` rule that selects no `EventID`.
//!
//! ## Why is this bad?
//! Sysmon writes many event types to one channel; without an EventID the selection runs on all
//! of them and matches fields that mean different things per event.
//!
//! ## Example
//! ```yaml
//! logsource: {product: windows, service: sysmon}
//! detection:
//!   selection: {Image|endswith: '\cmd.exe'}
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.logsource("service") == Some("sysmon")
        && !cx.items.iter().any(|i| i.field_name() == Some("EventID"))
    {
        let span = cx
            .root
            .get("logsource")
            .and_then(|l| l.get("service"))
            .map_or(cx.missing_span(), |n| n.span());
        out.report(span, "Sysmon rule without an EventID selection");
    }
}
