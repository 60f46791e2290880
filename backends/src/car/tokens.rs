//! CAR pseudocode's token table.

use crate::text::{InList, StringStyle, Tokens};

/// Pseudocode: `NOT` binds tightest, then `AND`, then `OR`; `field IN ["a", "b"]`; strings in
/// `"…"` where `\` escapes `\`, `"` and a literal `*` or `?`, and a bare `*`/`?` is a glob.
pub const CAR: Tokens = Tokens {
    string: StringStyle {
        escaped: &['*', '?'],
        ..Tokens::COMMON.string
    },
    in_list: Some(InList::BRACKETS),
    exists: " exists",
    null: Some("=null"),
    ..Tokens::COMMON
};

/// Characters escaped inside a regex literal besides the escape character itself.
pub const REGEX_ESCAPED: &[char] = &['"'];
