//! `sigmahq_missing_asterisk_condition`
//!
//! ## What it does
//! Reports `1 of name` or `all of name` where the name has no `*`.
//!
//! ## Why is this bad?
//! Without a wildcard the quantifier ranges over exactly one identifier; the author most likely meant `name*`.
//!
//! ## Example
//! ```yaml
//! condition: 1 of selection      # 1 of selection*
//! ```

use crate::{Ctx, Out, Part};
use sigc_compiler::condition::Target;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for part in cx.condition_parts() {
        let Part::Selector(_, target, span) = part else {
            continue;
        };
        let selected = cx.selected(target);
        if matches!(target, Target::Pattern(p) if !p.contains('*')) && selected <= 1 {
            out.report(
                span,
                "`x of` a name without `*` selects at most one identifier",
            );
        }
    }
}
