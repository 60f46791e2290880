//! `sigmahq_redundant_field`
//!
//! ## What it does
//! Reports a field matched twice in one selection with the same modifiers written in a different
//! order (`CommandLine|contains|all` and `CommandLine|all|contains`).
//!
//! ## Why is this bad?
//! Both items test the same thing; the YAML duplicate-key check does not see it because the keys
//! differ as text. Merge the values into one item.
//!
//! ## Example
//! ```yaml
//! selection:
//!   CommandLine|contains|all: [a, b]
//!   CommandLine|all|contains: [c]
//! ```

use crate::{Ctx, Out};
use foldhash::{HashSet, HashSetExt};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let mut seen = HashSet::with_capacity(cx.items.len());
    for item in &cx.items {
        let Some(field) = item.field_name() else {
            continue;
        };
        let mut mods: Vec<&str> = item.modifiers.iter().map(|m| m.modifier.name()).collect();
        mods.sort_unstable();
        if !seen.insert((item.group, field, mods)) {
            out.report(
                item.key_span,
                format!(
                    "field `{field}` is matched twice with the same modifiers in this selection"
                ),
            );
        }
    }
}
