//! `sigmahq_unknown_field`
//!
//! ## What it does
//! Reports top-level keys outside the Sigma specification, except SigmaHQ's own
//! `regression_tests_path` and `simulation` (and `correlation` in a correlation rule). One
//! finding per rule, at the first such key, names them all.
//!
//! ## Why is this bad?
//! SigmaHQ publishes only standard attributes; anything else is a typo or private metadata.
//!
//! ## Example
//! ```yaml
//! title: Example
//! mitre: T1059
//! ```

use super::custom_attributes::STANDARD;
use crate::{Ctx, Out};

const SIGMAHQ_KEYS: &[&str] = &["regression_tests_path", "simulation"];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(entries) = cx.root.entries() else {
        return;
    };
    let correlation = cx.root.get("correlation").is_some();
    let unknown: Vec<_> = entries
        .into_iter()
        .filter(|(key, _, _)| {
            let allowed = STANDARD.contains(&key.as_ref())
                || SIGMAHQ_KEYS.contains(&key.as_ref())
                || (correlation && key == "correlation");
            !allowed
        })
        .collect();
    if let Some((_, span, _)) = unknown.first() {
        let names: Vec<String> = unknown.iter().map(|(k, _, _)| format!("`{k}`")).collect();
        out.report(*span, format!("unknown field {}", names.join(", ")));
    }
}
