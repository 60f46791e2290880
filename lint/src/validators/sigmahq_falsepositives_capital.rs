//! `sigmahq_falsepositives_capital`
//!
//! ## What it does
//! Reports a false positive entry that starts with a lower-case letter.
//!
//! ## Why is this bad?
//! SigmaHQ writes each entry as a sentence; consistency keeps generated documentation tidy.
//!
//! ## Example
//! ```yaml
//! falsepositives: [legitimate admin activity]
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("falsepositives") {
        if text.chars().next().is_some_and(char::is_lowercase) {
            out.report(
                node.span(),
                "false positive entry starts with a lower-case letter",
            );
        }
    }
}
