//! LogPoint's token table (pySigma-backend-logpoint `Logpoint`).

use crate::text::{InList, Op, StringStyle, Tokens};

/// LogPoint: implicit AND binds loosest, `-x` for NOT, `field IN ["a", "b"]`; strings in `"…"`,
/// or `'…'` when they hold `"`, with no escape character at all (a backslash is literal).
pub const LOGPOINT: Tokens = Tokens {
    precedence: [Op::Not, Op::Or, Op::And],
    and: " ",
    not: "-",
    field_keywords: &["process", "filter", "search", "chart", "and", "in", "or"],
    string: StringStyle {
        alt_quote: Some('\''),
        escape: None,
        ..Tokens::COMMON.string
    },
    in_list: Some(InList::BRACKETS),
    null: Some("!=*"),
    compare_space: " ",
    ..Tokens::COMMON
};
