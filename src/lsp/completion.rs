//! Completion: modifiers after `|`, field names from SigmaHQ's taxonomy for the rule's log
//! source, log-source values, ATT&CK tags, and search identifiers in `condition`.

use super::context::{self, Context};
use lsp_types::{CompletionItem, CompletionItemKind};
use sigc_compiler::model::attack::attack;
use sigc_compiler::modifier::MODIFIERS;
use sigc_lint::sigmahq_data;
use std::collections::BTreeSet;

/// What the condition grammar adds to the search identifiers.
const CONDITION_WORDS: &[&str] = &["and", "or", "not", "1 of", "all of", "them"];

/// The completions at `offset` of `text`.
pub fn complete(text: &str, offset: usize) -> Vec<CompletionItem> {
    let cx = context::at(text, offset);
    let key = cx.key.map(|k| k.text);
    match (cx.path.as_slice(), key) {
        (["detection", _, ..], Some(_) | None) if cx.on_key && cx.before.contains('|') => MODIFIERS
            .iter()
            .flat_map(|m| {
                m.names
                    .iter()
                    .map(|n| item(n, m.description, CompletionItemKind::OPERATOR))
            })
            .collect(),
        (["detection", _, ..], _) if cx.on_key => {
            let ls = logsource(text, &cx);
            let ls = (ls[0], ls[1], ls[2]);
            sigmahq_data::fields(ls)
                .unwrap_or_default()
                .iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|f| item(f, "SigmaHQ taxonomy", CompletionItemKind::FIELD))
                .collect()
        }
        (["detection"], Some("condition")) | (["detection", "condition"], _)
            if !cx.on_key || key.is_none() =>
        {
            let ids = context::entries(text, &cx.document, "detection");
            ids.iter()
                .map(|e| e.key.text)
                .filter(|k| *k != "condition")
                .map(|k| item(k, "search identifier", CompletionItemKind::VARIABLE))
                .chain(
                    CONDITION_WORDS
                        .iter()
                        .map(|w| item(w, "condition", CompletionItemKind::KEYWORD)),
                )
                .collect()
        }
        (["logsource"], Some(k @ ("product" | "category" | "service"))) if !cx.on_key => {
            let [product, ..] = logsource(text, &cx);
            let column = ["product", "category", "service"]
                .iter()
                .position(|c| *c == k)
                .unwrap_or(0);
            sigmahq_data::logsources()
                .filter(|ls| column == 0 || product.is_none() || ls.0 == product)
                .filter_map(|ls| [ls.0, ls.1, ls.2][column])
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|v| item(v, "SigmaHQ log source", CompletionItemKind::ENUM_MEMBER))
                .collect()
        }
        (["tags"], _) => attack()
            .iter()
            .filter(|(_, e)| e.status == "active" || e.status == "tactic")
            .map(|(id, e)| {
                item(
                    &format!("attack.{id}"),
                    e.name,
                    CompletionItemKind::CONSTANT,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The rule's product, category and service as written.
fn logsource<'a>(text: &'a str, cx: &Context<'_>) -> [Option<&'a str>; 3] {
    let entries = context::entries(text, &cx.document, "logsource");
    ["product", "category", "service"].map(|k| context::value(&entries, k))
}

fn item(label: &str, detail: &str, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        detail: Some(detail.to_string()),
        kind: Some(kind),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, marker: &str) -> Vec<String> {
        let offset = text.find(marker).unwrap() + marker.len();
        complete(text, offset)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    const RULE: &str = "logsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel_a:\n        Image|ends: x\n        Comm\n    sel_b: y\n    condition: sel_\ntags:\n    - attack.t10\n";

    #[test]
    fn completes_by_place() {
        assert!(labels(RULE, "Image|ends").contains(&"endswith".to_string()));
        assert!(labels(RULE, "Comm").contains(&"CommandLine".to_string()));
        let ids = labels(RULE, "condition: sel_");
        assert_eq!(&ids[..2], ["sel_a", "sel_b"]);
        assert!(labels(RULE, "category: proc").contains(&"process_creation".to_string()));
        assert!(labels(RULE, "attack.t10").contains(&"attack.t1059.001".to_string()));
        assert!(labels(RULE, "product").is_empty());
    }
}
