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
use sigc_compiler::modifier::Modifier;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        let Some(key) = &item.key else { continue };
        let span = item.key_span;
        for (i, m) in item.modifiers.iter().enumerate() {
            let again = item.modifiers[..i].iter().any(|e| e.modifier == m.modifier);
            if again && m.modifier != Modifier::Base64 {
                out.report(
                    m.span,
                    format!("modifier `{}` is written twice in `{key}`", m.name),
                );
            }
        }
        let has = |m| item.has(m);
        let is_match = !has(Modifier::Contains) && !has(Modifier::Re) && !has(Modifier::Cidr);
        if item.field.is_some() && has(Modifier::All) && item.scalars().count() > 1 && is_match {
            out.report(
                span,
                format!(
                    "`{key}`: `all` without `contains` requires one field to equal several values"
                ),
            )
            .help("add `contains` (`|contains|all`) or split the values");
        }
        if has(Modifier::Base64Offset) && !has(Modifier::Contains) {
            out.report(
                span,
                format!("`{key}`: `base64offset` without `contains` matches only whole values"),
            )
            .help("use `|base64offset|contains`");
        }
        if has(Modifier::Windash) && has(Modifier::All) {
            out.report(span, format!("`{key}`: `windash` and `all` together"))
                .help("`all` would require every dash variant at once");
        }
    }
}
