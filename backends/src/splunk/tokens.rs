//! Splunk SPL's token table (pySigma-backend-splunk `SplunkBackend`).

use crate::text::{Op, StringStyle, Tokens};

/// SPL: implicit AND binds loosest, `NOT x`, `field IN ("a", "b")`, `\` escapes `\`, `"` and a
/// literal `*`; a Sigma `?` has no SPL equivalent and widens to `*`. A field named like an
/// operator is quoted, so that it is not read as one.
pub const SPLUNK: Tokens = Tokens {
    precedence: [Op::Not, Op::Or, Op::And],
    and: " ",
    field_keywords: &["and", "or", "not", "in"],
    string: StringStyle {
        escaped: &['*'],
        wildcard_single: "*",
        ..Tokens::COMMON.string
    },
    ..Tokens::COMMON
};

/// Characters escaped inside a regex literal besides the escape character itself.
pub const REGEX_ESCAPED: &[char] = &['"'];
