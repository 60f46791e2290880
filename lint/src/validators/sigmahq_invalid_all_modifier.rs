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
use sigc_compiler::modifier::Modifier;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        if item.scalars().count() == 1
            && let Some(all) = item.modifiers.iter().find(|m| m.modifier == Modifier::All)
        {
            out.report(all.span, "`all` on a single value has no effect");
        }
    }
}
