//! `sigmahq_falsepositives_banned_word`
//!
//! ## What it does
//! Reports a false positive entry that is just `None`, `Pentest` or `Penetration` (setting `words`).
//!
//! ## Why is this bad?
//! "None" is never true, and penetration tests are expected to trigger detections: neither helps an analyst triage.
//!
//! ## Example
//! ```yaml
//! falsepositives: [None]
//! ```

use crate::{Ctx, Out};

const BANNED: &[&str] = &["none", "pentest", "penetration"];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("falsepositives") {
        let words = cx
            .config
            .words("sigmahq_falsepositives_banned_word", "words")
            .unwrap_or_else(|| BANNED.iter().map(|w| w.to_string()).collect());
        let lower = text.to_lowercase();
        if let Some(w) = words.iter().find(|w| lower.trim() == w.as_str()) {
            out.report(
                node.span(),
                format!("false positive entry uses the banned word `{w}`"),
            );
        }
    }
}
