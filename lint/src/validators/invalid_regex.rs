//! `invalid_regex`
//!
//! ## What it does
//! Compiles every `|re` value and reports one that is not a valid regular expression, pointing
//! at the column inside the pattern where it breaks. Lookaround and backreferences are left to
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
use regex_syntax::ast::ErrorKind;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx
        .items
        .iter()
        .filter(|i| i.modifiers.first().is_some_and(|(m, _)| m == "re"))
    {
        for node in &item.values {
            let Some(pattern) = node.as_str() else {
                continue;
            };
            let (message, span) = match regex_syntax::ast::parse::Parser::new().parse(pattern) {
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference
                    ) =>
                {
                    continue;
                }
                Err(e) => (e.kind().to_string(), *e.span()),
                Ok(ast) => {
                    match regex_syntax::hir::translate::Translator::new().translate(pattern, &ast) {
                        Ok(_) => continue,
                        Err(e) => (e.kind().to_string(), *e.span()),
                    }
                }
            };
            let at = cx.value_span(*node, span.start.offset, span.end.offset);
            out.report(at, format!("invalid regular expression: {message}"));
        }
    }
}
