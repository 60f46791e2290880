//! `sigmahq_description_length`
//!
//! ## What it does
//! Reports a description shorter than 16 characters (setting `min_length`).
//!
//! ## Why is this bad?
//! A one-word description tells an analyst nothing when the alert fires at night.
//!
//! ## Example
//! ```yaml
//! description: Detects cmd
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((text, node)) = cx.string("description") else {
        return;
    };
    let min = cx
        .config
        .number("sigmahq_description_length", "min_length", 16);
    if text.trim().chars().count() < min {
        out.report(
            node.span(),
            format!("description is shorter than {min} characters"),
        );
    }
}
