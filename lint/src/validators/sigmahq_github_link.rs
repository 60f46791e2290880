//! `sigmahq_github_link`
//!
//! ## What it does
//! Reports a GitHub link to a file (a name ending in a 1–3 character extension) whose path has
//! no commit hash (40 hexadecimal digits): a link to a branch, not a permalink.
//!
//! ## Why is this bad?
//! Branch links change under the rule: lines move, files are renamed or deleted. A permalink
//! with a commit hash keeps pointing at what the author read.
//!
//! ## Example
//! ```yaml
//! references:
//!   - https://github.com/org/repo/blob/main/src/tool.ps1
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("references") {
        if text.starts_with("https://github.com/") && is_file(text) && !has_commit(text) {
            out.report(
                node.span(),
                "GitHub link to a file on a branch, not at a commit",
            )
            .help("use a permalink with a commit hash (press `y` on the GitHub page)");
        }
    }
}

/// Does the link end in a file name with a 1–3 character extension?
fn is_file(link: &str) -> bool {
    let last = link.rsplit('/').next().unwrap_or("");
    last.rsplit_once('.').is_some_and(|(_, ext)| {
        (1..=3).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// Does a path segment look like a commit hash?
fn has_commit(link: &str) -> bool {
    link.split('/').any(|seg| {
        seg.len() == 40
            && seg
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}
