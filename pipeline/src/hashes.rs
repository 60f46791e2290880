//! `hashes_fields`: a `Hashes` detection item (Sysmon's `MD5=…,SHA256=…,IMPHASH=…`) split into
//! one field per hash algorithm, as pySigma's `HashesFieldsDetectionItemTransformation` does.
//!
//! Each value is read as `ALGO=hash` or `ALGO|hash` (the algorithm upper-cased, wildcards before
//! it dropped), or as a bare hash whose length names the algorithm (32 MD5, 40 SHA1, 64 SHA256,
//! 128 SHA512). Wildcards around the hash are stripped (`Hashes|contains` adds them), values of an
//! algorithm outside `valid_hash_algos` are dropped, and the rest become
//! `{field_prefix}{ALGO}: hash` items (`{field_prefix}` alone with `drop_algo_prefix`), grouped by
//! field in order of first appearance and OR-linked; a detection item with no valid value is an
//! error. The IR has no detection items, so a group of leaves under one AND/OR with the same
//! field stands for one (as `Field: [a, b]` lowers); under `|all` the groups stay AND-linked,
//! where pySigma OR-links them and loses the `all`.

use super::reader::Reader;
use super::tree::{Leaf, Node};
use super::{At, Context};
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::Value;
use sigc_compiler::model::sigma_string;
use sigc_compiler::yaml::Node as YamlNode;

/// A `hashes_fields` item's parameters.
#[derive(Debug)]
pub struct HashesFields {
    /// Algorithm names, upper-case (values of other algorithms are dropped).
    pub valid_hash_algos: Vec<String>,
    pub field_prefix: String,
    /// Name the new fields `field_prefix` alone.
    pub drop_algo_prefix: bool,
    /// The detection item fields split (pySigma's default: `Hashes`, `Hash`).
    pub field_to_parse: Vec<String>,
}

impl HashesFields {
    pub fn read(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<HashesFields> {
        let algos_node = r.required(n, "valid_hash_algos")?;
        let valid_hash_algos = r.strings(algos_node)?;
        if valid_hash_algos.is_empty() {
            r.error(
                algos_node.span(),
                "`valid_hash_algos` is empty: every hash value would be dropped",
            );
            return None;
        }
        if let Some(lower) = valid_hash_algos.iter().find(|a| a.to_uppercase() != **a) {
            r.error_help(
                algos_node.span(),
                format!("hash algorithm `{lower}` is not upper-case and would never match"),
                format!(
                    "algorithms are compared upper-case: write `{}`",
                    lower.to_uppercase()
                ),
            );
            return None;
        }
        let field_prefix = r.opt_string(n, "field_prefix").unwrap_or_default();
        let drop_algo_prefix = match n.get("drop_algo_prefix") {
            Some(b) => r.boolean(b)?,
            None => false,
        };
        if drop_algo_prefix && field_prefix.is_empty() {
            r.error(
                n.key_span("drop_algo_prefix"),
                "`drop_algo_prefix` without a `field_prefix` leaves the new fields without a name",
            );
            return None;
        }
        let field_to_parse = match n.get("field_to_parse") {
            Some(node) => r.strings(node)?,
            None => vec!["Hashes".to_string(), "Hash".to_string()],
        };
        Some(HashesFields {
            valid_hash_algos,
            field_prefix,
            drop_algo_prefix,
            field_to_parse,
        })
    }

    /// The field (`None`: keyword) and hash of one value in Sigma notation, or `None` when its
    /// algorithm is not valid.
    fn split(&self, text: &str) -> Option<(Option<String>, String)> {
        let parts: Vec<&str> = if text.contains('|') {
            text.split('|').collect()
        } else {
            text.split('=').collect()
        };
        let (algo, hash) = match parts[..] {
            [algo, hash] => (
                algo.trim_start_matches('*').to_uppercase(),
                strip_wildcards(hash),
            ),
            _ => {
                let hash = strip_wildcards(parts[0]);
                (algo_by_length(hash).unwrap_or_default().to_string(), hash)
            }
        };
        if !self.valid_hash_algos.contains(&algo) {
            return None;
        }
        let field = if self.drop_algo_prefix {
            self.field_prefix.clone()
        } else {
            format!("{}{algo}", self.field_prefix)
        };
        Some(((field != "keyword").then_some(field), hash.to_string()))
    }

    /// Replaces every selected `Hashes` detection item by its per-algorithm items.
    pub fn apply(&self, cx: &mut Context<'_>, at: At<'_>) -> Result<(), Vec<Diagnostic>> {
        let mut trees = std::mem::take(&mut cx.trees);
        let result = trees
            .iter_mut()
            .try_for_each(|tree| self.walk(cx, at, tree));
        cx.trees = trees;
        result.map_err(|e| vec![e])
    }

    /// Is `leaf` part of a detection item this item splits?
    fn selects(&self, cx: &Context<'_>, at: At<'_>, leaf: &Leaf) -> bool {
        leaf.m
            .field
            .as_ref()
            .is_some_and(|f| self.field_to_parse.contains(f))
            && at.item.conditions.item_matches(cx, leaf)
    }

    fn walk(&self, cx: &Context<'_>, at: At<'_>, node: &mut Node) -> Result<(), Diagnostic> {
        let (xs, all) = match node {
            Node::Leaf(leaf) => {
                if self.selects(cx, at, leaf)
                    && let Some(new) = self.replace(cx, at, &[&*leaf], false)?
                {
                    *node = new;
                }
                return Ok(());
            }
            Node::Not(x) => return self.walk(cx, at, x),
            Node::And(xs) => (xs, true),
            Node::Or(xs) => (xs, false),
        };
        if let Some(leaves) = self.group(cx, at, xs) {
            if let Some(new) = self.replace(cx, at, &leaves, all)? {
                *node = new;
            }
            return Ok(());
        }
        xs.iter_mut().try_for_each(|x| self.walk(cx, at, x))
    }

    /// The leaves of `xs` when they are one selected detection item: leaves only, one field.
    fn group<'a>(&self, cx: &Context<'_>, at: At<'_>, xs: &'a [Node]) -> Option<Vec<&'a Leaf>> {
        let leaves: Vec<&Leaf> = xs
            .iter()
            .map(|x| match x {
                Node::Leaf(l) => Some(l),
                Node::And(_) | Node::Or(_) | Node::Not(_) => None,
            })
            .collect::<Option<_>>()?;
        let first = leaves.first()?;
        leaves
            .iter()
            .all(|l| l.m.field == first.m.field && self.selects(cx, at, l))
            .then_some(leaves)
    }

    /// The per-algorithm items of one detection item (`all`: its values were AND-linked), or
    /// `None` when a value is not a string (pySigma leaves such an item alone).
    fn replace(
        &self,
        cx: &Context<'_>,
        at: At<'_>,
        leaves: &[&Leaf],
        all: bool,
    ) -> Result<Option<Node>, Diagnostic> {
        let mut groups: Vec<(Option<String>, Vec<Node>)> = Vec::new();
        for leaf in leaves {
            let Value::Str(p) = &leaf.m.value else {
                return Ok(None);
            };
            let Some((field, hash)) = self.split(&p.to_string()) else {
                continue;
            };
            let mut new = (*leaf).clone();
            let mut value = sigma_string::parse(&hash);
            value.cased = p.cased;
            new.m.field = field.clone();
            new.m.value = Value::Str(value);
            new.mark(cx.mark_id(at.item));
            match groups.iter_mut().find(|(f, _)| *f == field) {
                Some((_, nodes)) => nodes.push(Node::Leaf(new)),
                None => groups.push((field, vec![Node::Leaf(new)])),
            }
        }
        if groups.is_empty() {
            return Err(leaves[0].error(
                &cx.rule.source,
                "pipeline_error",
                format!(
                    "{}: no value of `{}` names a valid hash algorithm ({})",
                    at.describe(),
                    leaves[0].m.field.as_deref().unwrap_or_default(),
                    self.valid_hash_algos.join(", ")
                ),
            ));
        }
        let link = |nodes: Vec<Node>| {
            if all {
                Node::And(nodes)
            } else {
                Node::Or(nodes)
            }
        };
        let mut nodes: Vec<Node> = groups
            .into_iter()
            .map(|(_, mut nodes)| {
                if nodes.len() == 1 {
                    nodes.remove(0)
                } else {
                    link(nodes)
                }
            })
            .collect();
        Ok(Some(if nodes.len() == 1 {
            nodes.remove(0)
        } else {
            link(nodes)
        }))
    }
}

/// `text` without the `*` and `?` at either end.
fn strip_wildcards(text: &str) -> &str {
    text.trim_matches(['*', '?'])
}

/// The algorithm a bare hash's length names.
fn algo_by_length(hash: &str) -> Option<&'static str> {
    match hash.chars().count() {
        32 => Some("MD5"),
        40 => Some("SHA1"),
        64 => Some("SHA256"),
        128 => Some("SHA512"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(prefix: &str, drop: bool) -> HashesFields {
        HashesFields {
            valid_hash_algos: ["MD5", "SHA1", "SHA256", "IMPHASH"]
                .map(String::from)
                .to_vec(),
            field_prefix: prefix.to_string(),
            drop_algo_prefix: drop,
            field_to_parse: vec!["Hashes".to_string()],
        }
    }

    fn some(field: &str, hash: &str) -> Option<(Option<String>, String)> {
        Some((Some(field.to_string()), hash.to_string()))
    }

    #[test]
    fn values_name_their_algorithm() {
        let h = item("", false);
        assert_eq!(h.split("*IMPHASH=ab12*"), some("IMPHASH", "ab12"));
        assert_eq!(h.split("sha1|AB12"), some("SHA1", "AB12"));
        assert_eq!(h.split(&"f".repeat(32)), some("MD5", &"f".repeat(32)));
        assert_eq!(
            h.split(&format!("*{}*", "0".repeat(64))),
            some("SHA256", &"0".repeat(64))
        );
        // Not valid here, or no algorithm at all: dropped.
        assert_eq!(h.split("CRC32=1234"), None);
        assert_eq!(h.split(&"a".repeat(128)), None);
        assert_eq!(h.split("MD5=a=b"), None);
    }

    #[test]
    fn prefix_and_dropped_algorithm_name_the_field() {
        assert_eq!(item("File", false).split("MD5=ab"), some("FileMD5", "ab"));
        assert_eq!(item("hash", true).split("MD5=ab"), some("hash", "ab"));
        assert_eq!(
            item("keyword", true).split("MD5=ab"),
            Some((None, "ab".to_string()))
        );
    }
}
