//! `all_of_them_condition`
//!
//! ## What it does
//! Reports `all of them`.
//!
//! ## Why is this bad?
//! `all of them` ANDs every selection, including any filter added later, which then has to be
//! negated separately: the condition stops saying what the rule means. Name the selections.
//!
//! ## Example
//! ```yaml
//! condition: all of them     # prefer `selection_img and selection_cli`
//! ```

use crate::{Ctx, Out, Part};
use sigc_compiler::condition::{Quantifier, Target};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for part in cx.condition_parts() {
        if let Part::Selector(Quantifier::All, Target::Them, span) = part {
            out.report(span, "`all of them` is discouraged")
                .help("name the selections, e.g. `all of selection_*`");
        }
    }
}
