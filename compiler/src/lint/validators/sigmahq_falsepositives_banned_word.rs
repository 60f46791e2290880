//! `sigmahq_falsepositives_banned_word`
//!
//! ## What it does
//! Reports a false positive entry that is `None`, or mentions pentests (setting `words`).
//!
//! ## Why is this bad?
//! "None" is never true, and penetration tests are expected to trigger detections: neither helps an analyst triage.
//!
//! ## Example
//! ```yaml
//! falsepositives: [None]
//! ```

use crate::lint::{Ctx, Out};

const BANNED: &[&str] = &["none", "pentest", "penetration test"];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("falsepositives") {
        let words = cx
            .config
            .words("sigmahq_falsepositives_banned_word", "words")
            .unwrap_or_else(|| BANNED.iter().map(|w| w.to_string()).collect());
        let lower = text.to_lowercase();
        if let Some(w) = words.iter().find(|w| {
            lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|t| t == w.as_str())
                || (w.contains(' ') && lower.contains(w.as_str()))
        }) {
            out.report(
                node.span(),
                format!("false positive entry uses the banned word `{w}`"),
            );
        }
    }
}
