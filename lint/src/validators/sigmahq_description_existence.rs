//! `sigmahq_description_existence`
//!
//! ## What it does
//! Reports a rule without `description`.
//!
//! ## Why is this bad?
//! The description says what the rule detects and why; the title alone rarely does.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd   # and no description:
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let present = cx
        .root
        .get("description")
        .is_some_and(|n| n.as_str().is_none_or(|s| !s.trim().is_empty()));
    if !present {
        out.report(cx.missing_span(), "rule has no `description`");
    }
}
