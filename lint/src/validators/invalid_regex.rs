//! `invalid_regex`
//!
//! ## What it does
//! Checks every `|re` value with the compiler's own syntax check and reports one that is not a
//! valid regular expression, pointing at the column inside the pattern where it breaks. Lookaround and backreferences are left to
//! `sigmahq_unsupported_regex_group_construct`.
//!
//! ## Why is this bad?
//! A pattern that does not compile fails the whole query in the SIEM, or worse, is accepted by a
//! lenient backend and matches something else.
//!
//! ## Example
//! ```yaml
//! CommandLine|re: 'cmd(\.exe'      # unclosed group
//! ```

use crate::{Ctx, Out};
use sigc_compiler::ir::RegexFlags;
use sigc_compiler::model::regex_check;
use sigc_compiler::modifier::Modifier;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx.items.iter().filter(|i| i.starts_with(Modifier::Re)) {
        let flags = RegexFlags {
            ignore_case: item.has(Modifier::IgnoreCase),
            multi_line: item.has(Modifier::MultiLine),
            dot_all: item.has(Modifier::DotAll),
        };
        for node in item.scalars() {
            let Some(pattern) = node.as_str() else {
                continue;
            };
            if let Err((range, why)) = regex_check::syntax(pattern, flags) {
                let at = cx.value_span(node, range.start, range.end);
                out.report(at, format!("invalid regular expression: {why}"));
            }
        }
    }
}
