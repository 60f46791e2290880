//! The detection as written: each search identifier, its items (field, modifiers, values),
//! each located, read with the compiler's own detection-item reader.

use serde::Serialize;
use sigc_compiler::Source;
use sigc_compiler::model::item::DetectionItem;
use sigc_compiler::yaml::Node;

/// A search identifier.
#[derive(Debug, Serialize)]
pub struct Identifier {
    pub name: String,
    /// `file:line:col` of its key.
    pub at: String,
    pub items: Vec<Item>,
}

/// One detection item: `Field|mod|mod: values`, or keywords (no field).
#[derive(Debug, Serialize)]
pub struct Item {
    pub field: Option<String>,
    pub modifiers: Vec<String>,
    pub values: Vec<Written>,
    pub at: String,
}

/// A value as written in the file.
#[derive(Debug, Serialize)]
pub struct Written {
    pub value: String,
    pub at: String,
}

/// The search identifiers of the rule document `root` (not `condition` or `timeframe`).
pub fn read(source: &Source, root: Node<'_>) -> Vec<Identifier> {
    let entries = root
        .get("detection")
        .and_then(|d| d.entries())
        .unwrap_or_default();
    entries
        .into_iter()
        .filter(|(name, _, _)| name != "condition" && name != "timeframe")
        .map(|(name, key_span, node)| {
            let mut items = Vec::new();
            collect(source, node, &mut items);
            Identifier {
                name: name.into_owned(),
                at: source.location(key_span),
                items,
            }
        })
        .collect()
}

/// The items of a search identifier's value: a map of items, a list of such maps, or keywords.
/// An item the front end cannot read is its compile error, reported already: it is left out.
fn collect(source: &Source, node: Node<'_>, out: &mut Vec<Item>) {
    if let Some(items) = DetectionItem::read_map(source, node) {
        out.extend(items.into_iter().flatten().map(|i| item(source, &i)));
    } else if let Some(list) = node.items() {
        let (maps, plain): (Vec<_>, Vec<_>) = list.into_iter().partition(|n| n.value.is_mapping());
        for map in maps {
            collect(source, map, out);
        }
        if !plain.is_empty() {
            out.push(item(source, &DetectionItem::keywords(node, plain)));
        }
    } else {
        out.push(item(source, &DetectionItem::keywords(node, vec![node])));
    }
}

fn item(source: &Source, i: &DetectionItem<'_>) -> Item {
    Item {
        field: i.field_name().map(str::to_string),
        modifiers: i.modifiers.iter().map(|m| m.name.clone()).collect(),
        values: i
            .values
            .iter()
            .map(|v| Written {
                value: v.written(source).to_string(),
                at: source.location(v.span()),
            })
            .collect(),
        at: source.location(i.key_span),
    }
}
