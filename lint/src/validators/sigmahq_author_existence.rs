//! `sigmahq_author_existence`
//!
//! ## What it does
//! Reports a rule without `author`.
//!
//! ## Why is this bad?
//! Reviewers and users need someone to ask about a rule; SigmaHQ credits every author.
//!
//! ## Example
//! ```yaml
//! title: Suspicious Cmd   # and no author:
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let present = cx
        .root
        .get("author")
        .is_some_and(|n| n.as_str().is_none_or(|s| !s.trim().is_empty()));
    if !present {
        out.report(cx.missing_span(), "rule has no `author`");
    }
}
