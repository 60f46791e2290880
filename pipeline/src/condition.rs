//! `add_condition`: a detection (a map of `Field|modifiers: value(s)`, like a search
//! identifier) AND-ed in front of every condition of the rule, optionally negated. With
//! `template: true`, `$category`, `$product` and `$service` in string values are replaced by
//! the rule's log source. A `null` key adds keywords.

use super::reader::Reader;
use super::tree::{Leaf, Node};
use super::{At, Context};
use serde_yaml::Value as Yaml;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::{Match, Origin, Pattern, Value};
use sigc_compiler::model::item::{DetectionItem, is_scalar};
use sigc_compiler::model::sigma_string;
use sigc_compiler::modifier::{Modifier, Val};
use sigc_compiler::span::Span;
use sigc_compiler::yaml::Node as YamlNode;
use std::sync::Arc;

/// A parsed `add_condition` item.
#[derive(Debug)]
pub struct AddCondition {
    entries: Vec<Entry>,
    template: bool,
    negated: bool,
    source: Arc<Source>,
}

/// One `Field|modifiers: value(s)` of the added detection.
#[derive(Debug)]
struct Entry {
    field: Option<String>,
    modifiers: Vec<Modifier>,
    values: Vec<(Yaml, Span)>,
}

impl AddCondition {
    pub fn read(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<AddCondition> {
        let node = r.required(n, "conditions")?;
        let Some(items) = DetectionItem::read_map(r.source, node) else {
            r.error(
                node.span(),
                format!("`conditions` must be a map, not {}", node.kind()),
            );
            return None;
        };
        if items.is_empty() {
            r.error(node.span(), "`conditions` is empty");
            return None;
        }
        let mut out = Vec::new();
        for item in items {
            let item = match item {
                Ok(item) => item,
                Err(errors) => {
                    for e in errors {
                        match e.help() {
                            Some(help) => r.error_help(e.span(), e.message(), help),
                            None => r.error(e.span(), e.message()),
                        }
                    }
                    return None;
                }
            };
            let mut values = Vec::new();
            for value in &item.values {
                if !is_scalar(value.value) {
                    r.error(
                        value.span(),
                        format!("a condition value must be a scalar, not {}", value.kind()),
                    );
                    return None;
                }
                values.push((value.value.clone(), value.span()));
            }
            out.push(Entry {
                field: item.field.map(|f| f.name),
                modifiers: item.modifiers.iter().map(|m| m.modifier).collect(),
                values,
            });
        }
        let flag =
            |r: &mut Reader<'_>, key: &str| n.get(key).and_then(|b| r.boolean(b)).unwrap_or(false);
        Some(AddCondition {
            entries: out,
            template: flag(r, "template"),
            negated: flag(r, "negated"),
            source: r.source.clone(),
        })
    }

    /// Builds the detection for this rule and puts it in front of every condition.
    pub fn apply(&self, cx: &mut Context<'_>, at: At<'_>) -> Result<(), Vec<Diagnostic>> {
        let mut parts = Vec::new();
        for e in &self.entries {
            let mut leaves = Vec::new();
            for (raw, span) in &e.values {
                let value = self.value(cx, e, raw).map_err(|why| {
                    vec![Diagnostic::error(
                        "pipeline_error",
                        format!("{}: {why}", at.describe()),
                        &self.source,
                        *span,
                    )]
                })?;
                let mut leaf = Leaf::new(Match {
                    field: e.field.clone(),
                    value,
                    origin: Origin::pipeline(at.pipeline.name.clone(), at.item_ref(), cx.rule.span),
                });
                leaf.origin = Some((self.source.clone(), *span));
                leaf.mark(cx.mark_id(at.item));
                leaves.push(Node::Leaf(leaf));
            }
            let linked = if e.modifiers.contains(&Modifier::All) {
                group(leaves, Node::And)
            } else {
                group(leaves, Node::Or)
            };
            parts.push(if e.modifiers.contains(&Modifier::Neq) {
                Node::Not(Box::new(linked))
            } else {
                linked
            });
        }
        let mut added = group(parts, Node::And);
        if self.negated {
            added = Node::Not(Box::new(added));
        }
        for tree in &mut cx.trees {
            let old = std::mem::replace(tree, Node::And(Vec::new()));
            let mut items = vec![added.clone()];
            match old {
                Node::And(xs) => items.extend(xs),
                other => items.push(other),
            }
            *tree = Node::And(items);
        }
        Ok(())
    }

    /// One value of an entry, after templating and modifiers.
    fn value(&self, cx: &Context<'_>, e: &Entry, raw: &Yaml) -> Result<Value, String> {
        let regex_first = e.modifiers.first() == Some(&Modifier::Re);
        let initial = match raw {
            Yaml::String(s) => {
                let s = if self.template {
                    template(s, cx)
                } else {
                    s.clone()
                };
                Value::Str(if regex_first {
                    Pattern::literal(s)
                } else {
                    sigma_string::parse(&s)
                })
            }
            Yaml::Number(n) => Value::Num(super::reader::number(n)),
            Yaml::Bool(b) => Value::Bool(*b),
            _ => Value::Null,
        };
        let mut val = Val::Ir(initial);
        for m in &e.modifiers {
            if matches!(m, Modifier::All | Modifier::Neq) {
                continue;
            }
            val = m.apply(val)?;
        }
        Ok(match val {
            Val::Ir(v) => v,
            Val::Bytes(bytes) => Value::Str(Pattern::literal(
                bytes.iter().map(|&b| b as char).collect::<String>(),
            )),
        })
    }
}

fn group(mut xs: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Node {
    if xs.len() == 1 {
        xs.remove(0)
    } else {
        make(xs)
    }
}

/// Python's `string.Template.safe_substitute` with the rule's log source (`None` when unset).
fn template(text: &str, cx: &Context<'_>) -> String {
    let ls = &cx.rule.logsource;
    let mut out = text.to_string();
    for (name, value) in [
        ("category", &ls.category),
        ("product", &ls.product),
        ("service", &ls.service),
    ] {
        let v = value.as_deref().unwrap_or("None");
        out = out
            .replace(&format!("${{{name}}}"), v)
            .replace(&format!("${name}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use sigc_compiler::diagnostic::Source;
    use sigc_compiler::ir::{Origin, PipelineItem};

    /// The leaves `add_condition` puts in front of a rule say which item added them and point at
    /// the rule; the rule's own leaves keep their source spans.
    #[test]
    fn added_leaves_name_their_pipeline_item() {
        let pipe = Source::new(
            "p.yml",
            "name: p\ntransformations:\n  - type: add_condition\n    conditions: {index: win}\n  - id: second\n    type: add_condition\n    conditions: {source: x}\n",
        );
        let pipe = crate::parse(&pipe).expect("pipeline parses");
        let text = "title: t\nlogsource: {product: windows}\ndetection:\n  sel: {Image: a}\n  condition: sel\n";
        let value = text.find("a}").expect("the value");
        let rule = Source::new("r.yml", text);
        let mut rule = sigc_compiler::compile_rules(&rule, "this test")
            .remove(0)
            .expect("rule compiles");
        crate::apply(std::slice::from_ref(&pipe), &crate::Vars::new(), &mut rule).expect("applies");
        let origins: Vec<Origin> = rule.conditions[0]
            .leaves()
            .iter()
            .map(|m| m.origin.clone())
            .collect();
        let added = |item| Origin::pipeline("p".into(), item, rule.span);
        assert_eq!(
            origins,
            [
                added(PipelineItem::Id("second".into())),
                added(PipelineItem::Position(1)),
                Origin::Source(sigc_compiler::span::Span::new(value, value + 1)),
            ]
        );
    }
}
