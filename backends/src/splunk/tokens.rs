//! Splunk SPL's token table (pySigma-backend-splunk `SplunkBackend`).

use crate::text::{InList, Op, StringStyle, Tokens};

/// SPL: implicit AND binds loosest, `NOT x`, `field IN ("a", "b")`, `\` escapes `\`, `"` and a
/// literal `*`; a Sigma `?` has no SPL equivalent and widens to `*`.
pub const SPLUNK: Tokens = Tokens {
    precedence: [Op::Not, Op::Or, Op::And],
    and: " ",
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
        escaped: &['*'],
        wildcard_multi: "*",
        wildcard_single: "*",
    },
    in_list: Some(InList {
        open: " IN (",
        close: ")",
        separator: ", ",
    }),
};

/// Characters escaped inside a regex literal besides the escape character itself.
pub const REGEX_ESCAPED: &[char] = &['"'];
