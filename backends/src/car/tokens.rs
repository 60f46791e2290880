//! CAR pseudocode's token table.

use crate::text::{InList, Op, StringStyle, Tokens};

/// Pseudocode: `NOT` binds tightest, then `AND`, then `OR`; `field IN ["a", "b"]`; strings in
/// `"…"` where `\` escapes `\`, `"` and a literal `*` or `?`, and a bare `*`/`?` is a glob.
pub const CAR: Tokens = Tokens {
    precedence: [Op::Not, Op::And, Op::Or],
    and: " AND ",
    or: " OR ",
    not: "NOT ",
    group: ("(", ")"),
    eq: "=",
    field_quote: '"',
    field_keywords: &[],
    string: StringStyle {
        quote: '"',
        alt_quote: None,
        escape: Some('\\'),
        escaped: &['*', '?'],
        wildcard_multi: "*",
        wildcard_single: "?",
    },
    in_list: Some(InList {
        open: " IN [",
        close: "]",
        separator: ", ",
    }),
};

/// Characters escaped inside a regex literal besides the escape character itself.
pub const REGEX_ESCAPED: &[char] = &['"'];
