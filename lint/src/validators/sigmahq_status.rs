//! `sigmahq_status`
//!
//! ## What it does
//! Reports a rule with `status: deprecated` outside a `deprecated/` folder, or with
//! `status: unsupported` outside an `unsupported/` folder.
//!
//! ## Why is this bad?
//! SigmaHQ moves such rules out of `rules/` so that they are not deployed by accident.
//!
//! ## Example
//! `rules/windows/x.yml` with `status: deprecated`.

use crate::{Ctx, Out};
use sigc_compiler::vocabulary::Status;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some((status, node)) = cx.string("status") else {
        return;
    };
    let Ok(Status::Deprecated | Status::Unsupported) = status.parse() else {
        return;
    };
    if cx.file_name().is_none() {
        return;
    }
    let path = cx.source.name.replace('\\', "/");
    if !path.split('/').any(|dir| dir == status) {
        out.report(
            node.span(),
            format!("`status: {status}` rule outside a `{status}/` folder"),
        );
    }
}
