//! `sigmahq_filename_prefix`
//!
//! ## What it does
//! Reports a rule whose file name does not start with the prefix SigmaHQ uses for its log
//! source (`proc_creation_win_` for Windows process creation, `lnx_auditd_` for auditd, …),
//! or for its product when the log source has none. Files that combine rules with a
//! correlation are not checked.
//!
//! ## Why is this bad?
//! SigmaHQ finds rules by file name; a wrong prefix hides a rule among the wrong log source.
//!
//! ## Example
//! `proc_win_whoami.yml` for a `product: windows, category: process_creation` rule.

use crate::sigmahq_data::filename_prefix;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if !cx.is_detection_rule() || cx.combined {
        return;
    }
    let (Some(name), Some(prefix)) = (cx.file_name(), filename_prefix(cx.logsource_key())) else {
        return;
    };
    if !name.starts_with(prefix) {
        out.report(
            cx.key_span("logsource"),
            format!("file name `{name}` does not start with `{prefix}`, SigmaHQ's prefix for this log source"),
        );
    }
}
