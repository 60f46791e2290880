//! Go-to-definition: from a condition's identifier (or `x of pattern*`) to its search
//! identifiers, and from a correlation's `rules` entry to the rule it names, in any file.

use super::context;
use super::workspace::Workspace;
use sigc_compiler::Source;
use sigc_compiler::span::Span;
use std::sync::Arc;

/// Where the thing at `offset` of the open document `source` (its text `text`) is defined.
pub fn definition(
    workspace: &Workspace,
    source: &Arc<Source>,
    text: &str,
    offset: usize,
) -> Vec<(Arc<Source>, Span)> {
    let cx = context::at(text, offset);
    let word = cx.word.text;
    let in_condition = match cx.path.as_slice() {
        ["detection"] => cx.key.is_some_and(|k| k.text == "condition") && !cx.on_key,
        ["detection", "condition", ..] => true,
        _ => false,
    };
    if in_condition && !word.is_empty() {
        return context::entries(text, &cx.document, "detection")
            .iter()
            .filter(|e| e.key.text != "condition" && glob(word, e.key.text))
            .map(|e| (source.clone(), Span::new(e.key.start, e.key.range().end)))
            .collect();
    }
    if matches!(cx.path.as_slice(), ["correlation", "rules"]) && !word.is_empty() {
        return workspace.definitions(word);
    }
    Vec::new()
}

/// Does the condition's `pattern` (`*` is any text) name `name`?
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => name.strip_prefix(head).is_some_and(|rest| {
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob(tail, &rest[i..]))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn patterns_name_identifiers() {
        assert!(glob("sel_*", "sel_a"));
        assert!(glob("*_a", "sel_a"));
        assert!(glob("selection", "selection"));
        assert!(!glob("sel_*", "filter"));
    }
}
