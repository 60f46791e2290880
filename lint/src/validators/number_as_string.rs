//! `number_as_string`
//!
//! ## What it does
//! Reports a whole-value match against a number written as a quoted string (`EventID: '4688'`).
//!
//! ## Why is this bad?
//! A string and a number compare differently in many backends: `'4688'` may not match a numeric
//! field. Write the number unquoted.
//!
//! ## Example
//! ```yaml
//! EventID: '4688'      # EventID: 4688
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx
        .items
        .iter()
        .filter(|i| i.field.is_some() && i.modifiers.is_empty())
    {
        for node in item.scalars() {
            let Some(text) = node.as_str() else { continue };
            let digits = text.strip_prefix('-').unwrap_or(text);
            if !digits.is_empty() && digits.len() < 19 && digits.bytes().all(|b| b.is_ascii_digit())
            {
                out.report(
                    node.span(),
                    format!("number `{text}` is written as a string"),
                )
                .help(format!("write it unquoted: {text}"));
            }
        }
    }
}
