//! `sigmahq_tags_detection`
//!
//! ## What it does
//! Reports a rule under `rules-threat-hunting/`, `rules-emerging-threats/` or `rules-dfir/` without the matching `detection.` tag.
//!
//! ## Why is this bad?
//! The folder and the tag are how tools tell hunting queries and short-lived threat rules from production detections; they must agree.
//!
//! ## Example
//! ```yaml
//! # rules-threat-hunting/windows/x.yml
//! tags: [attack.execution]     # and no detection.threat-hunting
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let path = cx.source.name.replace('\\', "/");
    let folders = [
        ("rules-threat-hunting", "detection.threat-hunting"),
        ("rules-emerging-threats", "detection.emerging-threats"),
        ("rules-dfir", "detection.dfir"),
    ];
    let Some((_, tag)) = folders
        .iter()
        .find(|(dir, _)| path.split('/').any(|d| d == *dir))
    else {
        return;
    };
    if !cx.tags().iter().any(|(t, _)| t == tag) {
        let span = if cx.root.get("tags").is_some() {
            cx.key_span("tags")
        } else {
            cx.missing_span()
        };
        out.report(span, format!("rule in this folder has no `{tag}` tag"));
    }
}
