//! `them_condition_with_single_detection`
//!
//! ## What it does
//! Reports `1 of them` or `all of them` in a rule with a single search identifier.
//!
//! ## Why is this bad?
//! With one selection, `them` just names it; writing the name says the same thing plainly and
//! does not silently change meaning when a filter is added later.
//!
//! ## Example
//! ```yaml
//! detection:
//!   selection: {Image|endswith: '\cmd.exe'}
//!   condition: 1 of them      # say `selection`
//! ```

use crate::{Ctx, Out, Part};
use sigc_compiler::condition::Target;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let visible = cx
        .idents
        .iter()
        .filter(|i| !i.name.starts_with('_'))
        .count();
    for part in cx.condition_parts() {
        if let Part::Selector(_, Target::Them, span) = part
            && visible == 1
        {
            out.report(span, "`of them` with a single search identifier")
                .help("name the search identifier instead");
        }
    }
}
