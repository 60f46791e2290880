//! `filter_condition_without_not`
//!
//! ## What it does
//! Reports a filter whose `condition` is not negated at its top: neither `not …` nor an `and` of
//! negations (`not a and not b`).
//!
//! ## Why is this bad?
//! A filter's condition is ANDed into each rule it applies to (pySigma, and sigc by default), so
//! `condition: selection` keeps only the events the selection matches: it narrows the rule to
//! them instead of excluding them. The specification's own example is written that way; pySigma's
//! filters are written `condition: not selection` (see docs/compat.md).
//!
//! ## Example
//! ```yaml
//! filter:
//!   rules: any
//!   selection: {ComputerName: ADMIN-JUMP01}
//!   condition: selection   # `not selection` excludes the admin host
//! ```

use crate::{Ctx, Out};
use sigc_compiler::condition::{self, Cond};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(node) = cx.root.get("filter").and_then(|f| f.get("condition")) else {
        return;
    };
    let Some(text) = node.as_str() else {
        return;
    };
    // A condition that does not parse is the front end's error.
    let Ok(parsed) = condition::parse(text) else {
        return;
    };
    if !excludes(&parsed) {
        out.report(
            node.span(),
            "the filter's condition is not negated: ANDed into each rule, it keeps only the events it matches instead of excluding them",
        )
        .help(format!("write `condition: not ({text})` to exclude these events"));
    }
}

/// `not x`, or an `and` of such.
fn excludes(cond: &Cond) -> bool {
    match cond {
        Cond::Not(_) => true,
        Cond::And(xs) => xs.iter().all(|x| matches!(x, Cond::Not(_))),
        Cond::Or(_) | Cond::Ident { .. } | Cond::Selector { .. } => false,
    }
}
