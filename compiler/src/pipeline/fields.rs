//! Field-name transformations: `field_name_mapping`, `field_name_prefix_mapping`,
//! `field_name_prefix`, `field_name_suffix` (on detection items, on field references in values
//! and on the rule's `fields` list), and `add_field` for that list.

use super::tree::{Leaf, Node};
use super::{At, Context, Transformation};
use crate::diagnostic::Diagnostic;
use crate::ir::Value;

/// The new names for `field`, or `None` when the transformation leaves it alone.
fn map_name(t: &Transformation, field: &str) -> Option<Vec<String>> {
    match t {
        Transformation::FieldNameMapping(map) => {
            map.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone())
        }
        Transformation::FieldNamePrefixMapping(map) => map.iter().find_map(|(prefix, repl)| {
            field
                .strip_prefix(prefix.as_str())
                .map(|rest| vec![format!("{repl}{rest}")])
        }),
        Transformation::FieldNamePrefix(prefix) => Some(vec![format!("{prefix}{field}")]),
        Transformation::FieldNameSuffix(suffix) => Some(vec![format!("{field}{suffix}")]),
        _ => None,
    }
}

/// Records that `id` renamed `from` into `to`, for field-name `processing_item_applied`.
fn track(cx: &mut Context<'_>, from: &str, to: &[String], id: Option<&String>) {
    if to.len() == 1 && to[0] == from {
        return;
    }
    let mut ids = cx.field_applied.remove(from).unwrap_or_default();
    if let Some(id) = id {
        ids.insert(id.clone());
    }
    for name in to {
        cx.field_applied.insert(name.clone(), ids.clone());
    }
}

/// Renames fields of the detection items, of field references and of the `fields` list.
pub fn rename(cx: &mut Context<'_>, at: At<'_>) -> Result<(), Vec<Diagnostic>> {
    let item = at.item;
    let t = &item.transformation;
    let id = item.id.as_ref();

    let mut fields = Vec::new();
    for f in std::mem::take(&mut cx.rule.meta.fields) {
        match map_name(t, &f).filter(|_| item.conditions.field_matches(cx, Some(&f))) {
            Some(names) => {
                track(cx, &f, &names, id);
                fields.extend(names);
            }
            None => fields.push(f),
        }
    }
    cx.rule.meta.fields = fields;

    let mut trees = std::mem::take(&mut cx.trees);
    let mut renames: Vec<(String, Vec<String>)> = Vec::new();
    let result = trees.iter_mut().try_for_each(|tree| {
        tree.rewrite(&mut |leaf: &mut Leaf| {
            if !item.conditions.item_matches(cx, leaf) {
                return Ok(None);
            }
            let mut out = vec![leaf.clone()];
            let mut changed = false;
            if let Value::FieldRef { field, kind } = &leaf.m.value
                && let Some(names) =
                    map_name(t, field).filter(|_| item.conditions.field_matches(cx, Some(field)))
            {
                changed = true;
                out = names
                    .iter()
                    .map(|name| {
                        let mut l = leaf.clone();
                        l.m.value = Value::FieldRef {
                            field: name.clone(),
                            kind: *kind,
                        };
                        l
                    })
                    .collect();
            }
            if let Some(field) = leaf.m.field.clone()
                && let Some(names) =
                    map_name(t, &field).filter(|_| item.conditions.field_matches(cx, Some(&field)))
            {
                changed = true;
                renames.push((field, names.clone()));
                out = out
                    .into_iter()
                    .flat_map(|l| {
                        names.iter().map(move |name| {
                            let mut l = l.clone();
                            l.m.field = Some(name.clone());
                            l
                        })
                    })
                    .collect();
            }
            if !changed {
                return Ok::<_, Diagnostic>(None);
            }
            Ok(Some(
                out.into_iter()
                    .map(|mut l| {
                        l.mark(id);
                        Node::Leaf(l)
                    })
                    .collect(),
            ))
        })
    });
    cx.trees = trees;
    for (from, to) in renames {
        track(cx, &from, &to, id);
    }
    result.map_err(|e| vec![e])
}

/// `add_field`: names appended to the rule's `fields`, skipping those already there.
pub fn add(cx: &mut Context<'_>, names: &[String]) {
    for n in names {
        if !cx.rule.meta.fields.contains(n) {
            cx.rule.meta.fields.push(n.clone());
        }
    }
}
