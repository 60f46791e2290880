//! `double_wildcard`
//!
//! ## What it does
//! Reports `**` in a string value.
//!
//! ## Why is this bad?
//! Two wildcards in a row match the same as one, and some backends turn them into slow or
//! invalid patterns; the doubled star is usually an editing mistake.
//!
//! ## Example
//! ```yaml
//! CommandLine: '**\cmd.exe'
//! ```

use super::wildcard_values;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (_, node, text) in wildcard_values(cx) {
        if let Some(at) = unescaped(text, "**") {
            out.report(
                cx.value_span(node, at, at + 2),
                "`**` in a value: one `*` matches the same",
            );
        }
    }
}

/// The byte offset of `needle` where its first character is not escaped by a backslash.
fn unescaped(text: &str, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'*' | b'?' | b'\\')) {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(needle.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}
