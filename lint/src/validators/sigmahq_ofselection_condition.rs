//! `sigmahq_ofselection_condition`
//!
//! ## What it does
//! Reports `1 of sel*` or `all of sel*` where the pattern selects a single search identifier.
//!
//! ## Why is this bad?
//! A quantifier over one selection is a roundabout way to name it.
//!
//! ## Example
//! ```yaml
//! detection: {selection_img: {Image: x}, condition: 1 of selection_*}
//! ```

use crate::{Ctx, Out, Part};
use sigc_compiler::condition::Target;
use sigc_compiler::lower::selects;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for part in cx.condition_parts() {
        let Part::Selector(_, target, span) = part else {
            continue;
        };
        let selected = cx
            .idents
            .iter()
            .filter(|i| selects(target, &i.name))
            .count();
        if matches!(target, Target::Pattern(_)) && selected == 1 {
            out.report(
                span,
                "the pattern selects a single search identifier: name it instead",
            );
        }
    }
}
