//! `sigmahq_ofthem_condition`
//!
//! ## What it does
//! Reports `1 of them` or `all of them` when the rule has a single search identifier.
//!
//! ## Why is this bad?
//! The quantifier suggests several selections; with one, name it.
//!
//! ## Example
//! ```yaml
//! detection: {selection: {Image: x}, condition: 1 of them}
//! ```

use crate::{Ctx, Out, Part};
use sigc_compiler::condition::Target;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for part in cx.condition_parts() {
        let Part::Selector(_, target, span) = part else {
            continue;
        };
        let selected = cx.selected(target);
        if matches!(target, Target::Them) && selected == 1 {
            out.report(
                span,
                "`of them` with a single search identifier: name it instead",
            );
        }
    }
}
