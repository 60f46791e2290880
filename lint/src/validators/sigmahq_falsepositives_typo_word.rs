//! `sigmahq_falsepositives_typo_word`
//!
//! ## What it does
//! Reports common misspellings in false positive entries.
//!
//! ## Why is this bad?
//! Typos in rule text end up in alert descriptions and search indexes.
//!
//! ## Example
//! ```yaml
//! falsepositives: [Legitimate adminstrator activity]
//! ```

use crate::{Ctx, Out};

const TYPOS: &[(&str, &str)] = &[
    ("unkown", "unknown"),
    ("ligitimate", "legitimate"),
    ("legitimeate", "legitimate"),
    ("legitim", "legitimate"),
    ("adminstrator", "administrator"),
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("falsepositives") {
        let lower = text.to_lowercase();
        for word in lower.split(|c: char| !c.is_alphanumeric()) {
            if let Some((typo, right)) = TYPOS.iter().find(|(t, _)| *t == word) {
                out.report(
                    node.span(),
                    format!("`{typo}` is a misspelling of `{right}`"),
                );
            }
        }
    }
}
