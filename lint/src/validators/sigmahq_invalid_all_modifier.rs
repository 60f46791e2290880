//! `sigmahq_invalid_all_modifier`
//!
//! ## What it does
//! Reports `|all` on a single value.
//!
//! ## Why is this bad?
//! `all` links several values with AND; with one value it does nothing and suggests values went
//! missing.
//!
//! ## Example
//! ```yaml
//! CommandLine|contains|all: 'x'
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        if item.values.len() == 1
            && let Some((_, span)) = item.modifiers.iter().find(|(m, _)| m == "all")
        {
            out.report(*span, "`all` on a single value has no effect");
        }
    }
}
