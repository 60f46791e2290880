//! `sigmahq_filename_convention`
//!
//! ## What it does
//! Reports a rule file name that is not lower-case `[a-z0-9_]`, 10 to 90 characters, ending in
//! `.yml` (settings `min_size`, `max_size`).
//!
//! ## Why is this bad?
//! SigmaHQ file names are predictable so that people and scripts can find a rule by its log
//! source and subject.
//!
//! ## Example
//! `Proc-Creation Win Cmd.yaml`

use crate::{Ctx, Out};
use sigc_compiler::span::Span;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(name) = cx.file_name() else { return };
    let min = cx
        .config
        .number("sigmahq_filename_convention", "min_size", 10);
    let max = cx
        .config
        .number("sigmahq_filename_convention", "max_size", 90);
    let ok = name.strip_suffix(".yml").is_some_and(|stem| {
        (min..=max).contains(&name.len())
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    if !ok {
        out.report(
            Span::new(0, 0),
            format!("file name `{name}` is not [a-z0-9_]{{{min},{max}}}.yml"),
        );
    }
}
