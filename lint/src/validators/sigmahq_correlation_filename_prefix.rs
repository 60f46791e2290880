//! `sigmahq_correlation_filename_prefix`
//!
//! ## What it does
//! Reports a correlation whose file name does not start with `correlation_`, whether the file
//! holds the correlation alone or with the rules it correlates.
//!
//! ## Why is this bad?
//! SigmaHQ's detection rules are named by their log source (`sigmahq_filename_prefix`), which a
//! correlation does not have; the `correlation_` prefix is how its correlations are named and
//! found instead.
//!
//! ## Example
//! `win_security_password_spray.yml` for a file holding a `value_count` correlation
//! (`correlation_win_security_password_spray.yml`).

use crate::{Ctx, Out};

/// SigmaHQ's prefix for files that hold a correlation.
const PREFIX: &str = "correlation_";

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let (Some(c), Some(name)) = (cx.correlation, cx.file_name()) else {
        return;
    };
    if !name.starts_with(PREFIX) {
        out.report(
            c.keyword,
            format!("file name `{name}` of a correlation does not start with `{PREFIX}`"),
        )
        .help(format!("rename the file `{PREFIX}{name}`"));
    }
}
