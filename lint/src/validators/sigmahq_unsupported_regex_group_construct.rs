//! `sigmahq_unsupported_regex_group_construct`
//!
//! ## What it does
//! Reports lookahead `(?=`, `(?!`, lookbehind `(?<=`, `(?<!` and atomic groups `(?>` in `|re`
//! values.
//!
//! ## Why is this bad?
//! Sigma's regular expression subset has no such groups and many SIEM engines (RE2-based ones,
//! for example) reject them.
//!
//! ## Example
//! ```yaml
//! CommandLine|re: '^(?!.*legit).*\.exe'
//! ```

use crate::{Ctx, Out};
use sigc_compiler::modifier::Modifier;

const CONSTRUCTS: &[&str] = &["(?=", "(?!", "(?<=", "(?<!", "(?>"];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx.items.iter().filter(|i| i.has(Modifier::Re)) {
        for node in item.scalars() {
            let Some(text) = node.as_str() else { continue };
            if let Some((at, c)) = CONSTRUCTS
                .iter()
                .filter_map(|c| text.find(c).map(|at| (at, c)))
                .min()
            {
                out.report(
                    cx.value_span(node, at, at + c.len()),
                    format!("`{c}` is not in Sigma's regular expression subset"),
                );
            }
        }
    }
}
