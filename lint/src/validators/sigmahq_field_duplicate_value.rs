//! `sigmahq_field_duplicate_value`
//!
//! ## What it does
//! Reports a value listed twice for one detection item (compared case-insensitively unless the
//! item is `cased`, a regular expression or encoded).
//!
//! ## Why is this bad?
//! The duplicate adds nothing but query length; often it hides a value that was meant instead.
//!
//! ## Example
//! ```yaml
//! Image|endswith: ['\cmd.exe', '\CMD.exe']
//! ```

use crate::{Ctx, Out};
use sigc_compiler::modifier::Modifier;
use std::collections::HashSet;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        let exact = [
            Modifier::Cased,
            Modifier::Re,
            Modifier::Base64,
            Modifier::Base64Offset,
            Modifier::Utf16Le,
            Modifier::Utf16Be,
            Modifier::Utf16,
        ]
        .into_iter()
        .any(|m| item.has(m));
        let norm = |s: &str| {
            if exact {
                s.to_string()
            } else {
                s.to_lowercase()
            }
        };
        let mut seen = HashSet::new();
        for node in item.scalars() {
            if let Some(text) = node.as_str()
                && !seen.insert(norm(text))
            {
                out.report(node.span(), "value is listed twice for this field");
            }
        }
    }
}
