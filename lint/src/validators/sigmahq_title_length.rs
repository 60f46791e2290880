//! `sigmahq_title_length`
//!
//! ## What it does
//! Reports a title longer than 120 characters (setting `max_length`).
//!
//! ## Why is this bad?
//! Titles are alert names: long ones are cut off in consoles and notifications.
//!
//! ## Example
//! ```yaml
//! title: Detects A Very Long Description Of Everything This Rule Does …
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((title, node)) = cx.string("title") else {
        return;
    };
    let max = cx.config.number("sigmahq_title_length", "max_length", 120);
    let len = title.chars().count();
    if len > max {
        out.report(
            node.span(),
            format!("title is {len} characters long; at most {max}"),
        );
    }
}
