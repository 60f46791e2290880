//! `sigmahq_mitre_link`
//!
//! ## What it does
//! Reports an `attack.mitre.org` link in `references`.
//!
//! ## Why is this bad?
//! The technique belongs in `tags` (`attack.t1059.001`), where tools read it; references are for
//! the research behind the rule.
//!
//! ## Example
//! ```yaml
//! references:
//!   - https://attack.mitre.org/techniques/T1059/001/
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("references") {
        if text.contains("attack.mitre.org") {
            out.report(node.span(), "ATT&CK link in `references`")
                .help("tag the technique instead (`attack.tNNNN`)");
        }
    }
}
