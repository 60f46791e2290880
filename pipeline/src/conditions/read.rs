//! Reading the three condition levels of a processing item, every error located in the file.

use super::compare::{CompareOp, StateCond};
use super::field::{FieldCond, FieldCondType};
use super::item::{ItemCond, ItemCondType};
use super::rule::{RuleCond, RuleCondType};
use super::{Conditions, Link, Set};
use crate::reader::{Reader, regex_error};
use regex::Regex;
use sigc_compiler::condition::{Name, parse_boolean};
use sigc_compiler::yaml::Node as Yaml;
use std::fmt::Display;
use std::str::FromStr;

/// The keys of one condition level in a processing item.
pub struct LevelKeys {
    /// The conditions, a list or a map of named ones.
    pub conditions: &'static str,
    pub op: &'static str,
    pub not: &'static str,
    pub expr: &'static str,
}

impl LevelKeys {
    pub fn all(&self) -> [&'static str; 4] {
        [self.conditions, self.op, self.not, self.expr]
    }
}

/// The keys of the rule, detection-item and field-name levels.
pub const LEVELS: [LevelKeys; 3] = [
    LevelKeys {
        conditions: "rule_conditions",
        op: "rule_cond_op",
        not: "rule_cond_not",
        expr: "rule_cond_expr",
    },
    LevelKeys {
        conditions: "detection_item_conditions",
        op: "detection_item_cond_op",
        not: "detection_item_cond_not",
        expr: "detection_item_cond_expr",
    },
    LevelKeys {
        conditions: "field_name_conditions",
        op: "field_name_cond_op",
        not: "field_name_cond_not",
        expr: "field_name_cond_expr",
    },
];

/// Reads the three levels of conditions of an item map.
pub fn read(r: &mut Reader<'_>, item: Yaml<'_>) -> Conditions {
    let [rule, detection_item, field_name] = &LEVELS;
    Conditions {
        rule: read_level(r, item, rule, rule_cond),
        item: read_level(r, item, detection_item, item_cond),
        field: read_level(r, item, field_name, field_cond),
    }
}

fn read_level<C>(
    r: &mut Reader<'_>,
    item: Yaml<'_>,
    keys: &LevelKeys,
    one: fn(&mut Reader<'_>, Yaml<'_>) -> Option<C>,
) -> Set<C> {
    let key = keys.conditions;
    let mut set = Set::default();
    let mut names = Vec::new();
    if let Some(node) = item.get(key) {
        if let Some(items) = node.items() {
            for c in items {
                if let Some(cond) = one(r, c) {
                    set.list.push(cond);
                }
            }
        } else if let Some(entries) = node.entries() {
            for (name, _, c) in entries {
                if let Some(cond) = one(r, c) {
                    set.list.push(cond);
                    names.push(name.into_owned());
                }
            }
        } else {
            r.error(
                node.span(),
                format!(
                    "`{key}` must be a list or a map of conditions, not {}",
                    node.kind()
                ),
            );
        }
    }
    let op = item.get(keys.op);
    let expr = item.get(keys.expr);
    if let Some(op) = op {
        match op.as_str() {
            Some("and") => set.link = Link::All,
            Some("or") => set.link = Link::Any,
            _ => r.error(op.span(), format!("`{}` must be `and` or `or`", keys.op)),
        }
    }
    if let Some(expr) = expr {
        if op.is_some() {
            r.error(
                expr.span(),
                format!("`{}` and `{}` exclude each other", keys.expr, keys.op),
            );
        } else if let Some(text) = r.string(expr) {
            match read_expr(&text, &names, keys.expr) {
                Ok(e) => set.link = Link::Expr(e),
                Err(message) => r.error(expr.span(), message),
            }
        }
    }
    if let Some(not) = item.get(keys.not) {
        set.negate = r.boolean(not).unwrap_or(false);
    }
    set
}

/// A `*_cond_expr` over the condition `names`, parsed by the rule-condition grammar (without
/// selectors, within its limits), each name resolved to its condition's index.
fn read_expr(
    text: &str,
    names: &[String],
    key: &str,
) -> Result<sigc_compiler::condition::BoolExpr<usize>, String> {
    let parsed = parse_boolean(text).map_err(|e| format!("`{key}`: {}", e.message))?;
    parsed.try_map(&mut |n: Name| {
        names.iter().position(|known| *known == n.name).ok_or_else(|| {
            format!(
                "the condition expression names `{}`, which is not one of the named conditions ({})",
                n.name,
                names.join(", ")
            )
        })
    })
}

/// Reads a condition's `type`, checks its keys against the type's parameters and returns it.
fn head<T: FromStr + Display + Copy>(
    r: &mut Reader<'_>,
    c: Yaml<'_>,
    level: &str,
    names: fn() -> String,
    params: fn(T) -> &'static [&'static str],
) -> Option<T> {
    let Some(ty) = c.get("type") else {
        r.error(c.span(), format!("{level} condition has no `type`"));
        return None;
    };
    let name = r.string(ty)?;
    let Ok(t) = name.parse::<T>() else {
        r.error_help(
            ty.span(),
            format!("unknown {level} condition type `{name}`"),
            format!("{level} conditions: {}", names()),
        );
        return None;
    };
    r.check_keys(c, "type", params(t), &format!("`{t}` condition"))?;
    Some(t)
}

fn rule_cond(r: &mut Reader<'_>, c: Yaml<'_>) -> Option<RuleCond> {
    use RuleCondType as T;
    let ty = head(r, c, "rule", RuleCondType::names, RuleCondType::params)?;
    Some(match ty {
        T::Logsource => RuleCond::Logsource {
            category: r.opt_string(c, "category"),
            product: r.opt_string(c, "product"),
            service: r.opt_string(c, "service"),
        },
        T::ContainsDetectionItem => RuleCond::ContainsDetectionItem {
            field: r.opt_string(c, "field"),
            value: r.req_value(c, "value")?,
        },
        T::ContainsField => RuleCond::ContainsField(r.opt_string(c, "field")),
        T::ProcessingItemApplied => RuleCond::Applied(r.req_string(c, "processing_item_id")?),
        T::ProcessingState => RuleCond::State(state_cond(r, c)?),
        T::IsSigmaRule => RuleCond::IsSigmaRule(true),
        T::IsSigmaCorrelationRule => RuleCond::IsSigmaRule(false),
        T::RuleAttribute => RuleCond::Attribute {
            attribute: r.req_string(c, "attribute")?,
            value: r.req_json(c, "value")?,
            op: op(r, c, CompareOp::ALL)?,
        },
        T::Tag => RuleCond::Tag(r.req_string(c, "tag")?),
    })
}

fn item_cond(r: &mut Reader<'_>, c: Yaml<'_>) -> Option<ItemCond> {
    use ItemCondType as T;
    let ty = head(
        r,
        c,
        "detection item",
        ItemCondType::names,
        ItemCondType::params,
    )?;
    if let Some(cond) = c.get("cond")
        && !matches!(cond.as_str(), Some("any" | "all"))
    {
        r.error(cond.span(), "`cond` must be `any` or `all`");
    }
    Some(match ty {
        T::MatchString => {
            let node = r.required(c, "pattern")?;
            ItemCond::MatchString {
                regex: r.regex(node)?,
                negate: c.get("negate").and_then(|n| r.boolean(n)).unwrap_or(false),
            }
        }
        T::MatchValue => ItemCond::MatchValue(r.req_value(c, "value")?),
        T::ContainsWildcard => ItemCond::ContainsWildcard,
        T::IsNull => ItemCond::IsNull,
        T::ProcessingItemApplied => ItemCond::Applied(r.req_string(c, "processing_item_id")?),
        T::ProcessingState => ItemCond::State(state_cond(r, c)?),
    })
}

fn field_cond(r: &mut Reader<'_>, c: Yaml<'_>) -> Option<FieldCond> {
    use FieldCondType as T;
    let ty = head(
        r,
        c,
        "field name",
        FieldCondType::names,
        FieldCondType::params,
    )?;
    Some(match ty {
        T::IncludeFields | T::ExcludeFields => {
            let node = r.required(c, "fields")?;
            let names = r.strings(node)?;
            let mode = c
                .get("mode")
                .map_or(Some("plain".to_string()), |m| r.string(m))?;
            let regexes = match mode.as_str() {
                "plain" => None,
                "re" => {
                    let mut out = Vec::new();
                    for n in &names {
                        match Regex::new(&format!("^(?:{n})")) {
                            Ok(re) => out.push(re),
                            Err(e) => {
                                r.error(
                                    node.span(),
                                    format!(
                                        "invalid regular expression `{n}`: {}",
                                        regex_error(&e)
                                    ),
                                );
                                return None;
                            }
                        }
                    }
                    Some(out)
                }
                _ => {
                    let span = c.get("mode").map_or(c.span(), |m| m.span());
                    r.error(span, "`mode` must be `plain` or `re`");
                    return None;
                }
            };
            FieldCond::Fields {
                names,
                regexes,
                exclude: ty == T::ExcludeFields,
            }
        }
        T::ProcessingItemApplied => FieldCond::Applied(r.req_string(c, "processing_item_id")?),
        T::ProcessingState => FieldCond::State(state_cond(r, c)?),
    })
}

fn state_cond(r: &mut Reader<'_>, c: Yaml<'_>) -> Option<StateCond> {
    Some(StateCond {
        key: r.req_string(c, "key")?,
        val: r.req_json(c, "val")?,
        op: op(r, c, CompareOp::ORDERING)?,
    })
}

/// `op`, one of `allowed` (`eq` when absent).
fn op(r: &mut Reader<'_>, c: Yaml<'_>, allowed: &[CompareOp]) -> Option<CompareOp> {
    let Some(node) = c.get("op") else {
        return Some(CompareOp::Eq);
    };
    let name = r.string(node)?;
    match name.parse() {
        Ok(op) if allowed.contains(&op) => Some(op),
        _ => {
            let names: Vec<&str> = allowed.iter().map(|op| op.name()).collect();
            r.error(
                node.span(),
                format!("`op` must be one of {}", names.join(", ")),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::condition::BoolExpr::{And, Leaf, Not, Or};

    fn names() -> Vec<String> {
        ["windows", "security", "sigma"].map(String::from).to_vec()
    }

    #[test]
    fn expressions_resolve_names_with_the_rule_precedence() {
        let e = read_expr(
            "windows and not (security or not sigma)",
            &names(),
            "rule_cond",
        );
        let want = And(vec![
            Leaf(0),
            Not(Box::new(Or(vec![Leaf(1), Not(Box::new(Leaf(2)))]))),
        ]);
        assert_eq!(e, Ok(want));
        let e = read_expr("sigma or windows and security", &names(), "rule_cond_expr");
        assert_eq!(e, Ok(Or(vec![Leaf(2), And(vec![Leaf(0), Leaf(1)])])));
    }

    #[test]
    fn expression_errors_name_the_problem() {
        let e = read_expr("windows and linux", &names(), "rule_cond_expr");
        assert_eq!(
            e.unwrap_err(),
            "the condition expression names `linux`, which is not one of the named conditions (windows, security, sigma)"
        );
        let e = read_expr("1 of them", &names(), "field_name_cond_expr");
        assert_eq!(
            e.unwrap_err(),
            "`field_name_cond_expr`: `x of …` selectors are not allowed here: name each condition"
        );
        let deep = format!("{}windows{}", "(".repeat(129), ")".repeat(129));
        let e = read_expr(&deep, &names(), "detection_item_cond_expr");
        assert_eq!(
            e.unwrap_err(),
            "`detection_item_cond_expr`: nesting deeper than 128 levels"
        );
        let e = read_expr(&"(".repeat(100_000), &names(), "rule_cond_expr");
        assert_eq!(
            e.unwrap_err(),
            "`rule_cond_expr`: condition is 100000 bytes long; the limit is 65536"
        );
    }
}
