//! Placeholders (`%name%` under `|expand`): `value_placeholders` puts in the values of the
//! pipeline variable `name` (several values give an OR), `wildcard_placeholders` puts in `*`.
//! `include`/`exclude` (exclusive) choose the placeholders an item handles.

use super::reader::Reader;
use super::tree::{Leaf, Node};
use super::{At, Context};
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::{Part, Pattern, Value};
use sigc_compiler::limits::{Budget, MAX_ALTERNATIVES, MAX_VALUE_BYTES, Size, pattern_bytes};
use sigc_compiler::model::sigma_string;
use sigc_compiler::yaml::Node as YamlNode;

/// What a handled placeholder is replaced by.
#[derive(Clone, Copy, Debug)]
pub enum Fill {
    /// The values of the pipeline variable of the same name (`value_placeholders`).
    Vars,
    /// `*` (`wildcard_placeholders`).
    Wildcard,
}

/// Which placeholders an item handles.
#[derive(Debug, Default)]
pub struct Selection {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
}

impl Selection {
    pub fn read(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<Selection> {
        let mut list = |key: &str| match n.get(key) {
            Some(node) => r.strings(node).map(Some),
            None => Some(None),
        };
        let include = list("include")?;
        let exclude = list("exclude")?;
        if include.is_some() && exclude.is_some() {
            r.error(n.span(), "`include` and `exclude` exclude each other");
            return None;
        }
        Some(Selection { include, exclude })
    }

    fn handles(&self, name: &str) -> bool {
        match (&self.include, &self.exclude) {
            (Some(inc), _) => inc.iter().any(|n| n == name),
            (_, Some(exc)) => !exc.iter().any(|n| n == name),
            _ => true,
        }
    }
}

/// Every pattern `p` becomes once each handled placeholder is replaced (the cartesian product).
fn expand(
    p: &Pattern,
    sel: &Selection,
    replace: &dyn Fn(&str) -> Result<Vec<Pattern>, String>,
) -> Result<Vec<Pattern>, String> {
    let mut out = vec![Pattern {
        parts: Vec::new(),
        cased: p.cased,
    }];
    for part in &p.parts {
        match part {
            Part::Placeholder(name) if sel.handles(name) => {
                let options = replace(name)?;
                if out.len().saturating_mul(options.len()) > MAX_ALTERNATIVES {
                    return Err(format!(
                        "its placeholders would expand into over {MAX_ALTERNATIVES} alternatives, the limit"
                    ));
                }
                out = out
                    .iter()
                    .flat_map(|prefix| {
                        options.iter().map(move |o| {
                            let mut q = prefix.clone();
                            o.parts.iter().for_each(|x| q.push(x.clone()));
                            q
                        })
                    })
                    .collect();
                let bytes = out.iter().map(pattern_bytes).sum::<usize>();
                if bytes > MAX_VALUE_BYTES {
                    return Err(format!(
                        "its placeholders would expand into {bytes} bytes; the limit is {} MiB",
                        MAX_VALUE_BYTES >> 20
                    ));
                }
            }
            other => out.iter_mut().for_each(|q| q.push(other.clone())),
        }
    }
    Ok(out)
}

/// Replaces the placeholders `sel` handles in every selected leaf by `fill`.
pub fn apply(
    cx: &mut Context<'_>,
    at: At<'_>,
    sel: &Selection,
    fill: Fill,
) -> Result<(), Vec<Diagnostic>> {
    let vars = cx.vars;
    let replace = |name: &str| -> Result<Vec<Pattern>, String> {
        match fill {
            Fill::Wildcard => Ok(vec![Pattern {
                parts: vec![Part::AnyRun],
                cased: false,
            }]),
            Fill::Vars => match vars.get(name) {
                Some(values) => Ok(values.iter().map(|v| sigma_string::parse(v)).collect()),
                None => Err(format!(
                    "placeholder `%{name}%` has no value: no pipeline variable `{name}` (set one with `--var {name}=VALUE`)"
                )),
            },
        }
    };
    let mut trees = std::mem::take(&mut cx.trees);
    let source = cx.rule.source.clone();
    let held = trees
        .iter()
        .flat_map(|t| t.leaves())
        .map(|l| Size::of_match(&l.m));
    let mut budget = Budget::spent(held.fold(Size::default(), Size::plus));
    let result = trees.iter_mut().try_for_each(|tree| {
        tree.rewrite(&mut |leaf: &mut Leaf| {
            let Value::Str(p) = &leaf.m.value else {
                return Ok(None);
            };
            let handled = p
                .parts
                .iter()
                .any(|part| matches!(part, Part::Placeholder(n) if sel.handles(n)));
            if !handled || !at.item.conditions.item_matches(cx, leaf) {
                return Ok(None);
            }
            let error =
                |code, why: String| leaf.error(&source, code, format!("{}: {why}", at.describe()));
            let patterns = expand(p, sel, &replace).map_err(|why| error("pipeline_error", why))?;
            let added = Size {
                nodes: patterns.len(),
                bytes: patterns.iter().map(pattern_bytes).sum(),
            };
            budget
                .charge(added)
                .map_err(|why| error("limit_exceeded", why))?;
            Ok(Some(
                patterns
                    .into_iter()
                    .map(|q| {
                        let mut l = leaf.clone();
                        l.m.value = Value::Str(q);
                        l.mark(cx.mark_id(at.item));
                        Node::Leaf(l)
                    })
                    .collect(),
            ))
        })
    });
    cx.trees = trees;
    result.map_err(|e| vec![e])
}
