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

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (i, item) in cx.items.iter().enumerate() {
        let Some(field) = item.field.as_deref() else {
            continue;
        };
        let mut mods: Vec<&str> = item.modifiers.iter().map(|(m, _)| m.as_str()).collect();
        mods.sort_unstable();
        let twin = cx.items[..i].iter().any(|x| {
            let mut other: Vec<&str> = x.modifiers.iter().map(|(m, _)| m.as_str()).collect();
            other.sort_unstable();
            x.group == item.group && x.field.as_deref() == Some(field) && other == mods
        });
        if twin {
            out.report(
                item.key_span,
                format!(
                    "field `{field}` is matched twice with the same modifiers in this selection"
                ),
            );
        }
    }
}
