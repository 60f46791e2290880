//! `tag_format`
//!
//! ## What it does
//! Reports a tag that is not `namespace.name` in lower-case letters, digits, `_`, `-` and `.`.
//! When lowering the case is enough, `--fix` does it.
//!
//! ## Why is this bad?
//! Tags are matched as exact strings by tools and dashboards: `attack.T1059` and `attack.t1059`
//! count as two different techniques.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - attack.T1059.001      # attack.t1059.001
//! ```

use crate::{Ctx, Edit, Out};

/// `^[a-z0-9_-]+\.[a-z0-9._-]+$`
pub fn valid(tag: &str) -> bool {
    let Some((ns, name)) = tag.split_once('.') else {
        return false;
    };
    let ok = |s: &str, dot: bool| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'_'
                    || b == b'-'
                    || (dot && b == b'.')
            })
    };
    ok(ns, false) && ok(name, true)
}

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        // A tag without a namespace is already a compile error.
        if !tag.contains('.') || valid(tag) {
            continue;
        }
        let lower = tag.to_lowercase();
        let finding = out.report(
            node.span(),
            format!("tag `{tag}` does not match `namespace.name` in [a-z0-9_-.]"),
        );
        if valid(&lower) {
            finding.help(format!("write `{lower}`"));
            if cx.verbatim(node) {
                finding.fix(vec![Edit::new(cx.value_span(node, 0, tag.len()), lower)]);
            }
        }
    }
}
