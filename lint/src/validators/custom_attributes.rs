//! `custom_attributes`
//!
//! ## What it does
//! Reports a top-level key outside the Sigma specification that is one or two typing mistakes
//! away from a standard key (`refrences`, `falsepositive`, `Tags`).
//!
//! ## Why is this bad?
//! Unknown keys are kept as custom attributes, so a misspelt standard field is silently ignored:
//! the rule looks tagged or referenced and is not.
//!
//! ## Example
//! ```yaml
//! refrences:
//!   - https://example.org
//! ```

use crate::{Ctx, Out};

/// The top-level keys of the Sigma specification (pySigma's rule fields).
pub const STANDARD: &[&str] = &[
    "title",
    "id",
    "name",
    "related",
    "taxonomy",
    "status",
    "description",
    "license",
    "author",
    "references",
    "date",
    "modified",
    "logsource",
    "detection",
    "fields",
    "falsepositives",
    "level",
    "tags",
    "scope",
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(entries) = cx.root.entries() else {
        return;
    };
    for (key, span, _) in entries {
        if STANDARD.contains(&key.as_ref()) {
            continue;
        }
        let lower = key.to_lowercase();
        let chars = lower.chars().count();
        // the distance is at least the difference in length: most keys are too long or short
        // to be a standard one's misspelling, and need no distance worked out
        let near = |s: &str| {
            let limit = 2.min(s.len() / 4);
            chars.abs_diff(s.len()) <= limit && distance(&lower, s) <= limit
        };
        if let Some(standard) = STANDARD.iter().find(|s| **s == lower || near(s)) {
            out.report(
                span,
                format!("`{key}` looks like a misspelling of `{standard}`"),
            )
            .help(format!(
                "rename it to `{standard}`; as written it is ignored"
            ));
        }
    }
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
