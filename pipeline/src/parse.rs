//! Reading a pipeline file in pySigma's YAML format, with every error located in the file.
//!
//! Unknown keys, unknown or unsupported transformation and condition types, bad regexes and
//! wrongly typed values are all errors: a pipeline that sigc would apply differently from pySigma
//! must not be accepted silently.

use crate::reader::Reader;
use crate::transformation::{Transformation, TransformationType, Unsupported};
use crate::{Item, Pipeline, Vars, conditions};
use serde_yaml::Value as Yaml;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::span::Span;
use sigc_compiler::yaml::{self, Node};
use std::sync::Arc;

/// Keys of the pipeline document.
const TOP_KEYS: &[&str] = &[
    "name",
    "priority",
    "allowed_backends",
    "vars",
    "transformations",
    "postprocessing",
    "finalizers",
];

/// Reads a pipeline file. `source.name` names the pipeline when the file has no `name:`.
pub fn parse(source: &Arc<Source>) -> Result<Pipeline, Vec<Diagnostic>> {
    let docs = yaml::load(source).map_err(|e| vec![e])?;
    let mut r = Reader::new(source);
    let Some(doc) = docs.first() else {
        r.error(Span::new(0, 0), "pipeline file holds no YAML document");
        return Err(r.errors);
    };
    if let Some(extra) = docs.get(1) {
        r.error(
            extra.root().span(),
            "a pipeline file holds one YAML document",
        );
    }
    let root = doc.root();
    let Some(entries) = root.entries() else {
        r.error(
            root.span(),
            format!("a pipeline must be a YAML map, not {}", root.kind()),
        );
        return Err(r.errors);
    };
    for (key, span, _) in &entries {
        if !TOP_KEYS.contains(&key.as_ref()) {
            r.error_help(
                *span,
                format!("unknown pipeline key `{key}`"),
                format!("pipeline keys: {}", TOP_KEYS.join(", ")),
            );
        }
    }
    let name = match root.get("name") {
        Some(n) => r.string(n).unwrap_or_default(),
        None => stem(&source.name),
    };
    let priority = match root.get("priority") {
        Some(n) => match n.value.as_i64() {
            Some(p) => p,
            None => {
                r.error(
                    n.span(),
                    format!("`priority` must be an integer, not {}", n.kind()),
                );
                0
            }
        },
        None => 0,
    };
    let allowed_backends = match root.get("allowed_backends") {
        Some(n) => r.strings(n).unwrap_or_default(),
        None => Vec::new(),
    };
    let vars = root
        .get("vars")
        .map(|n| read_vars(&mut r, n))
        .unwrap_or_default();
    for stage in ["postprocessing", "finalizers"] {
        if let Some(n) = root.get(stage)
            && n.items().is_none_or(|items| !items.is_empty())
        {
            r.error_help(
                root.key_span(stage),
                format!("pipeline `{stage}` is not supported"),
                "sigc shapes the output with `-f FORMAT` or `--template FILE.j2` instead",
            );
        }
    }
    let mut items = Vec::new();
    if let Some(list) = root.get("transformations") {
        match list.items() {
            Some(nodes) => {
                for node in nodes {
                    if let Some(item) = read_item(&mut r, node) {
                        items.push(item);
                    }
                }
            }
            None => r.error(
                list.span(),
                format!("`transformations` must be a list, not {}", list.kind()),
            ),
        }
    }
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(Pipeline::new(
        name,
        priority,
        allowed_backends,
        vars,
        items,
        source.clone(),
    ))
}

/// The file name without directories and extension.
fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
}

fn read_vars(r: &mut Reader<'_>, node: Node<'_>) -> Vars {
    let mut vars = Vars::new();
    let Some(entries) = node.entries() else {
        r.error(
            node.span(),
            format!("`vars` must be a map, not {}", node.kind()),
        );
        return vars;
    };
    for (name, _, value) in entries {
        let items = value.items().unwrap_or_else(|| vec![value]);
        let mut list = Vec::new();
        for item in items {
            match scalar_text(item.value) {
                Some(text) => list.push(text),
                None => r.error(
                    item.span(),
                    format!(
                        "variable `{name}` must hold strings or numbers, not {}",
                        item.kind()
                    ),
                ),
            }
        }
        vars.insert(name.into_owned(), list);
    }
    vars
}

/// A string, number or boolean as text.
fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_item(r: &mut Reader<'_>, node: Node<'_>) -> Option<Item> {
    if !node.is_map() {
        r.error(
            node.span(),
            format!("a processing item must be a map, not {}", node.kind()),
        );
        return None;
    }
    let Some(ty_node) = node.get("type") else {
        r.error(node.span(), "processing item has no `type`");
        return None;
    };
    let name = r.string(ty_node)?;
    let Ok(ty) = name.parse::<TransformationType>() else {
        match name.parse::<Unsupported>() {
            Ok(u) => r.error(
                ty_node.span(),
                format!(
                    "transformation type `{name}` is not supported by sigc: {}",
                    u.reason()
                ),
            ),
            Err(_) => r.error_help(
                ty_node.span(),
                format!("unknown transformation type `{name}`"),
                format!("transformation types: {}", TransformationType::names()),
            ),
        }
        return None;
    };
    let keys = ty.params();
    let before = r.errors.len();
    let mut allowed = vec!["id", "type"];
    allowed.extend(
        conditions::read::LEVELS
            .iter()
            .flat_map(|level| level.all()),
    );
    allowed.extend_from_slice(keys);
    for (key, span, _) in node.entries().unwrap_or_default() {
        if !allowed.contains(&key.as_ref()) {
            r.error_help(
                span,
                format!("unknown key `{key}` in a `{ty}` item"),
                format!("`{ty}` takes: {}", keys.join(", ")),
            );
        }
    }
    let id = node.get("id").and_then(|n| r.string(n));
    let conditions = conditions::read(r, node);
    let transformation = Transformation::read(r, ty, node);
    if r.errors.len() != before {
        return None;
    }
    Some(Item {
        id,
        kind: ty,
        transformation: transformation?,
        conditions,
        span: node.span(),
    })
}
