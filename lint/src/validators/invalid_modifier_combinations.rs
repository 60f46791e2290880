//! `invalid_modifier_combinations`
//!
//! ## What it does
//! Reports modifier chains that contradict themselves: a field-bound `all` without `contains`
//! on a list, `base64offset` without `contains`, `windash` with `all`, and a modifier written
//! twice (other than `base64`).
//!
//! ## Why is this bad?
//! `Field|all: [a, b]` asks one field to equal two different strings, which never matches;
//! `base64offset` yields fragments that only match as substrings; a repeated modifier is a slip.
//!
//! ## Example
//! ```yaml
//! selection:
//!   CommandLine|all: ['-enc', 'bypass']     # never matches: use contains|all
//! ```

use crate::{Ctx, Out};
use std::collections::HashSet;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        let Some(key) = &item.key else { continue };
        let span = item.key_span;
        let mut seen = HashSet::new();
        for (name, m_span) in &item.modifiers {
            if !seen.insert(name) && name != "base64" {
                out.report(
                    *m_span,
                    format!("modifier `{name}` is written twice in `{key}`"),
                );
            }
        }
        let is_match = !item.has("contains") && !item.has("re") && !item.has("cidr");
        if item.field.is_some() && item.has("all") && item.values.len() > 1 && is_match {
            out.report(
                span,
                format!(
                    "`{key}`: `all` without `contains` requires one field to equal several values"
                ),
            )
            .help("add `contains` (`|contains|all`) or split the values");
        }
        if item.has("base64offset") && !item.has("contains") {
            out.report(
                span,
                format!("`{key}`: `base64offset` without `contains` matches only whole values"),
            )
            .help("use `|base64offset|contains`");
        }
        if item.has("windash") && item.has("all") {
            out.report(span, format!("`{key}`: `windash` and `all` together"))
                .help("`all` would require every dash variant at once");
        }
    }
}
