//! `filename_length`
//!
//! ## What it does
//! Reports a rule file whose name is shorter than 10 or longer than 90 characters (settings
//! `min_size`, `max_size`).
//!
//! ## Why is this bad?
//! File names are how rules are found and deployed; a very short name says nothing, a very long
//! one breaks path limits of some tools.
//!
//! ## Example
//! `cmd.yml`

use crate::{Ctx, Out};
use sigc_compiler::span::Span;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(name) = cx.file_name() else { return };
    let min = cx.config.number("filename_length", "min_size", 10);
    let max = cx.config.number("filename_length", "max_size", 90);
    let len = name.chars().count();
    if len < min || len > max {
        out.report(
            Span::new(0, 0),
            format!("file name `{name}` is {len} characters long; expected {min} to {max}"),
        );
    }
}
