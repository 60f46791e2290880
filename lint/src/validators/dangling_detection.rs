//! `dangling_detection`
//!
//! ## What it does
//! Reports a search identifier that no condition uses, directly, through a pattern (`1 of sel*`)
//! or through `them`.
//!
//! ## Why is this bad?
//! An unused selection is dead code: usually a filter someone forgot to add with `and not`, so the
//! rule matches more than its author believes.
//!
//! ## Example
//! ```yaml
//! detection:
//!   selection: {Image|endswith: '\cmd.exe'}
//!   filter: {User: SYSTEM}          # never used
//!   condition: selection
//! ```

use crate::{Ctx, Out, Part};
use foldhash::HashSet;
use sigc_compiler::lower::selects;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    if cx.conditions.is_empty() || cx.conditions.iter().any(|c| c.parsed.is_err()) {
        return;
    }
    let parts = cx.condition_parts();
    let named: HashSet<&str> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Ident(name, _) => Some(*name),
            Part::Selector(..) => None,
        })
        .collect();
    for ident in &cx.idents {
        let used = named.contains(ident.name.as_str())
            || parts.iter().any(|p| match p {
                Part::Ident(..) => false,
                Part::Selector(_, target, _) => selects(target, &ident.name),
            });
        if !used {
            out.report(
                ident.key_span,
                format!(
                    "search identifier `{}` is not used by the condition",
                    ident.name
                ),
            )
            .help("use it in the condition (e.g. `and not filter`) or remove it");
        }
    }
}
