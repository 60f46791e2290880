//! `sigmahq_github_link`
//!
//! ## What it does
//! Reports a GitHub reference to a branch (`/blob/main/`, `/tree/master/`) instead of a commit.
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

use crate::lint::{Ctx, Out};

const BRANCHES: &[&str] = &[
    "/blob/main/",
    "/blob/master/",
    "/tree/main/",
    "/tree/master/",
    "/blob/dev/",
    "/tree/dev/",
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (text, node) in cx.strings("references") {
        if text.contains("github.com/")
            && let Some(b) = BRANCHES.iter().find(|b| text.contains(**b))
        {
            out.report(node.span(), format!("GitHub link to a branch (`{b}`)"))
                .help("use a permalink with a commit hash (press `y` on the GitHub page)");
        }
    }
}
