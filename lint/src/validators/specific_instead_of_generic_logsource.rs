//! `specific_instead_of_generic_logsource`
//!
//! ## What it does
//! Reports a Sysmon (or Windows Security 4688) rule that selects an EventID for which Sigma has a
//! generic log source category, e.g. Sysmon event 1 instead of `category: process_creation`.
//!
//! ## Why is this bad?
//! A rule written for the generic category runs on every product that produces such events
//! (Sysmon, Security auditing, EDRs) through pipelines; the EventID ties it to one.
//!
//! ## Example
//! ```yaml
//! logsource: {product: windows, service: sysmon}
//! detection:
//!   selection: {EventID: 1, Image|endswith: '\cmd.exe'}   # use category: process_creation
//! ```

use crate::{Ctx, Out};

/// Sysmon event ids and the generic category that covers them.
const SYSMON: &[(i64, &str)] = &[
    (1, "process_creation"),
    (2, "file_change"),
    (3, "network_connection"),
    (5, "process_termination"),
    (6, "driver_load"),
    (7, "image_load"),
    (8, "create_remote_thread"),
    (9, "raw_access_thread"),
    (10, "process_access"),
    (11, "file_event"),
    (12, "registry_add"),
    (13, "registry_set"),
    (14, "registry_rename"),
    (15, "create_stream_hash"),
    (16, "sysmon_status"),
    (17, "pipe_created"),
    (18, "pipe_created"),
    (19, "wmi_event"),
    (20, "wmi_event"),
    (21, "wmi_event"),
    (22, "dns_query"),
    (23, "file_delete"),
    (24, "clipboard_change"),
    (25, "process_tampering"),
    (26, "file_delete_detected"),
    (27, "file_block_executable"),
    (28, "file_block_shredding"),
    (29, "file_executable_detected"),
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.logsource("category").is_some() {
        return;
    }
    let table: &[(i64, &str)] = match cx.logsource("service") {
        Some("sysmon") => SYSMON,
        Some("security") => &[(4688, "process_creation")],
        _ => return,
    };
    for item in cx
        .items
        .iter()
        .filter(|i| i.field_name() == Some("EventID"))
    {
        for value in &item.values {
            let id = value
                .value
                .as_i64()
                .or_else(|| value.as_str().and_then(|s| s.parse().ok()));
            if let Some((id, category)) = id.and_then(|id| table.iter().find(|(e, _)| *e == id)) {
                out.report(
                    value.span(),
                    format!("EventID {id} is covered by the generic log source `category: {category}`"),
                )
                .help(format!("use `logsource: {{category: {category}, product: windows}}` and drop the EventID"));
            }
        }
    }
}
