//! `dangling_condition`
//!
//! ## What it does
//! Reports a condition operand that names no search identifier of the rule, or a pattern
//! (`1 of filter_*`) that selects none.
//!
//! ## Why is this bad?
//! The rule cannot be compiled: the condition refers to a selection that does not exist, usually a
//! typo or a selection that was renamed.
//!
//! ## Example
//! ```yaml
//! detection:
//!   selection: {Image|endswith: '\cmd.exe'}
//!   condition: selection and not filter    # no `filter`
//! ```

use crate::{Ctx, Out, Part};
use foldhash::HashSet;
use sigc_compiler::condition::Target;

/// Identifiers named in a help text; more are counted.
const LISTED: usize = 10;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let defined: HashSet<&str> = cx.idents.iter().map(|i| i.name.as_str()).collect();
    for part in cx.condition_parts() {
        match part {
            Part::Ident(name, span) => {
                if !defined.contains(name) {
                    let mut known: Vec<&str> = cx
                        .idents
                        .iter()
                        .take(LISTED)
                        .map(|i| i.name.as_str())
                        .collect();
                    let more = format!("and {} more", cx.idents.len().saturating_sub(LISTED));
                    if cx.idents.len() > LISTED {
                        known.push(&more);
                    }
                    out.report(
                        span,
                        format!("`{name}` is not a search identifier of this rule"),
                    )
                    .help(format!("the rule defines: {}", known.join(", ")));
                }
            }
            Part::Selector(_, target, span) => {
                if cx.selected(target) == 0 {
                    let what = match target {
                        Target::Them => "`them` selects no search identifier".to_string(),
                        Target::Pattern(p) => format!("`{p}` matches no search identifier"),
                    };
                    out.report(span, what);
                }
            }
        }
    }
}
