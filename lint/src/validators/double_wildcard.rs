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
        if let Some(at) = double_star(text) {
            out.report(
                cx.value_span(node, at, at + 2),
                "`**` in a value: one `*` matches the same",
            );
        }
    }
}

/// The byte offset of the first `**` whose first `*` is not escaped by a backslash.
fn double_star(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    // only a backslash or a `*` can change the answer
    while let Some(i) = memchr::memchr2(b'\\', b'*', &bytes[from..]).map(|i| from + i) {
        from = match (bytes[i], bytes.get(i + 1)) {
            (b'\\', Some(b'*' | b'?' | b'\\')) => i + 2,
            (b'*', Some(b'*')) => return Some(i),
            _ => i + 1,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::double_star;

    /// The definition, one byte at a time: a backslash before `*`, `?` or `\` escapes it.
    fn one_byte_at_a_time(text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'*' | b'?' | b'\\')) {
                i += 2;
            } else if bytes[i..].starts_with(b"**") {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    #[test]
    fn escapes_are_skipped() {
        assert_eq!(double_star("a**"), Some(1));
        assert_eq!(double_star(r"\**"), None);
        assert_eq!(double_star(r"\\**"), Some(2));
        assert_eq!(double_star(r"\a**"), Some(2));
        assert_eq!(double_star("*?*"), None);
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_definition(text in r"[a\\*?é]{0,16}") {
            proptest::prop_assert_eq!(double_star(&text), one_byte_at_a_time(&text));
        }
    }
}
