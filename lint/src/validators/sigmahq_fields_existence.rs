//! `sigmahq_fields_existence`
//!
//! ## What it does
//! Reports the `fields` section.
//!
//! ## Why is this bad?
//! SigmaHQ deprecated `fields`: few backends use it, and it goes stale as log sources change.
//!
//! ## Example
//! ```yaml
//! fields: [CommandLine, ParentImage]
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.root.get("fields").is_some() {
        out.report(cx.key_span("fields"), "the `fields` section is deprecated")
            .help("remove it");
    }
}
