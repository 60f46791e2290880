//! `escaped_wildcard`
//!
//! ## What it does
//! Reports `\*` or `\?` in a string value: an escaped, literal star or question mark.
//!
//! ## Why is this bad?
//! In Sigma a backslash before `*` escapes it, so `C:\Windows\*` looks for the literal text
//! `C:\Windows*`. Almost always the author meant a path separator followed by a wildcard:
//! write `C:\Windows\\*`.
//!
//! ## Example
//! ```yaml
//! Image: 'C:\Windows\*'      # 'C:\Windows\\*'
//! ```

use super::wildcard_values;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (_, node, text) in wildcard_values(cx) {
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(i) = memchr::memchr(b'\\', &bytes[from..]).map(|i| from + i) {
            match bytes.get(i + 1) {
                Some(b'\\') => from = i + 2,
                Some(&c @ (b'*' | b'?')) => {
                    let c = c as char;
                    out.report(
                        cx.value_span(node, i, i + 2),
                        format!("`\\{c}` is a literal `{c}`, not a wildcard"),
                    )
                    .help(format!(
                        "for a backslash followed by a wildcard write `\\\\{c}`"
                    ));
                    break;
                }
                _ => from = i + 1,
            }
        }
    }
}
