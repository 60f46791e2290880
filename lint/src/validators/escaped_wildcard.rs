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
        let mut i = 0;
        while i + 1 < bytes.len() {
            if bytes[i] == b'\\' {
                match bytes[i + 1] {
                    b'\\' => i += 2,
                    c @ (b'*' | b'?') => {
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
                    _ => i += 1,
                }
            } else {
                i += 1;
            }
        }
    }
}
