//! Value transformations on the leaves the item's conditions select: `replace_string`,
//! `map_string`, `set_value`, `convert_type` and `case`. String rewrites work on the Sigma
//! notation of a value (`*`, `?`, `\*`, `%placeholder%`), as pySigma's do on `str(value)`.

use super::names::{named, or_list};
use super::reader::Reader;
use super::tree::{Leaf, Node};
use super::{At, Context};
use regex::Regex;
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::{Number, Part, Pattern, Value};
use sigc_compiler::model::sigma_string;
use sigc_compiler::modifier::{Modifier, Val};
use sigc_compiler::yaml::Node as YamlNode;

/// `replace_string`: a regex substitution (Python replacement syntax: `\1`, `\g<name>`).
#[derive(Debug)]
pub struct ReplaceString {
    regex: Regex,
    /// The replacement in `regex` crate syntax.
    replacement: String,
    /// Rewrite only the literal text, leaving wildcards and placeholders alone.
    skip_special: bool,
    /// With `skip_special`: read wildcards in the replaced text.
    interpret_special: bool,
}

impl ReplaceString {
    pub fn read(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<ReplaceString> {
        let node = r.required(n, "regex")?;
        let regex = r.regex(node)?;
        let replacement = python_replacement(&r.req_string(n, "replacement")?);
        let flag =
            |r: &mut Reader<'_>, key: &str| n.get(key).and_then(|b| r.boolean(b)).unwrap_or(false);
        Some(ReplaceString {
            regex,
            replacement,
            skip_special: flag(r, "skip_special"),
            interpret_special: flag(r, "interpret_special"),
        })
    }

    /// The rewritten pattern, or `None` when nothing matched.
    pub fn apply(&self, p: &Pattern) -> Option<Pattern> {
        if self.skip_special {
            let mut out = Pattern {
                parts: Vec::new(),
                cased: p.cased,
            };
            let mut changed = false;
            for part in &p.parts {
                let Part::Lit(text) = part else {
                    out.push(part.clone());
                    continue;
                };
                let replaced = self.regex.replace_all(text, self.replacement.as_str());
                changed |= replaced != text.as_str();
                if self.interpret_special {
                    sigma_string::parse(&replaced)
                        .parts
                        .into_iter()
                        .for_each(|q| out.push(q));
                } else {
                    out.push(Part::Lit(replaced.into_owned()));
                }
            }
            return changed.then_some(out);
        }
        let text = p.to_string();
        let replaced = self.regex.replace_all(&text, self.replacement.as_str());
        if replaced == text.as_str() {
            return None;
        }
        let mut out = sigma_string::parse(&replaced);
        out.cased = p.cased;
        if p.has_placeholder()
            && let Ok(Val::Ir(Value::Str(q))) =
                Modifier::Expand.apply(Val::Ir(Value::Str(out.clone())))
        {
            out = q;
        }
        Some(out)
    }
}

/// Python `re.sub` replacement text in `regex` crate syntax.
fn python_replacement(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => out.push_str("$$"),
            '\\' => match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    let mut n = String::new();
                    while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                        n.push(d);
                        chars.next();
                    }
                    out.push_str(&format!("${{{n}}}"));
                }
                Some('g') => {
                    chars.next();
                    if chars.peek() == Some(&'<') {
                        chars.next();
                        let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
                        out.push_str(&format!("${{{name}}}"));
                    } else {
                        out.push_str("\\g");
                    }
                }
                Some('\\') => {
                    chars.next();
                    out.push('\\');
                }
                Some('n') => {
                    chars.next();
                    out.push('\n');
                }
                Some('t') => {
                    chars.next();
                    out.push('\t');
                }
                _ => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

named! {
    /// `convert_type` targets.
    pub enum TargetType {
        Str = "str",
        Num = "num",
    }
}

impl TargetType {
    pub fn read(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<TargetType> {
        let name = r.string(n)?;
        let target = name.parse().ok();
        if target.is_none() {
            let all: Vec<String> = TargetType::ALL.iter().map(|t| format!("`{t}`")).collect();
            r.error(
                n.span(),
                format!("`target_type` must be {}, not `{name}`", or_list(&all)),
            );
        }
        target
    }
}

named! {
    /// `case` methods.
    pub enum CaseMethod {
        Lower = "lower",
        Upper = "upper",
        SnakeCase = "snake_case",
    }
}

impl CaseMethod {
    pub fn read(r: &mut Reader<'_>, n: Option<YamlNode<'_>>) -> Option<CaseMethod> {
        let Some(n) = n else {
            return Some(CaseMethod::Lower);
        };
        let name = r.string(n)?;
        let method = name.parse().ok();
        if method.is_none() {
            let all: Vec<String> = CaseMethod::ALL.iter().map(|m| m.to_string()).collect();
            r.error(
                n.span(),
                format!("`method` must be {}, not `{name}`", or_list(&all)),
            );
        }
        method
    }

    fn apply(self, text: &str) -> String {
        match self {
            CaseMethod::Lower => text.to_lowercase(),
            CaseMethod::Upper => text.to_uppercase(),
            CaseMethod::SnakeCase => {
                let mut out = String::new();
                let mut prev: Option<char> = None;
                for c in text.chars() {
                    if c.is_uppercase()
                        && prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                    {
                        out.push('_');
                    }
                    out.extend(c.to_lowercase());
                    prev = Some(c);
                }
                out
            }
        }
    }
}

/// `set_value` with its optional `force_type`.
pub fn read_set_value(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<Value> {
    let node = r.required(n, "value")?;
    let value = r.value(node)?;
    let Some(force) = n.get("force_type") else {
        return Some(value);
    };
    let text = match &value {
        Value::Str(p) => p.to_string(),
        Value::Num(x) => x.to_string(),
        _ => {
            r.error(node.span(), "`force_type` needs a string or number value");
            return None;
        }
    };
    match TargetType::read(r, force)? {
        TargetType::Str => Some(Value::Str(sigma_string::parse(&text))),
        TargetType::Num => match parse_number(&text) {
            Some(x) => Some(Value::Num(x)),
            None => {
                r.error(node.span(), format!("`{text}` is not a number"));
                None
            }
        },
    }
}

fn parse_number(text: &str) -> Option<Number> {
    let t = text.trim();
    t.parse::<i64>().map(Number::Int).ok().or_else(|| {
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Number::Float)
    })
}

/// The value transformations.
#[derive(Debug)]
pub enum Rewrite {
    /// `replace_string`.
    ReplaceString(ReplaceString),
    /// `map_string`: a whole string value to one or several.
    MapString(Vec<(String, Vec<String>)>),
    /// `set_value`.
    SetValue(Value),
    /// `convert_type`.
    ConvertType(TargetType),
    /// `case`.
    Case(CaseMethod),
}

impl Rewrite {
    /// The new values of `value`: `Ok(None)` when it is left alone (string rewrites leave
    /// other values alone, and a conversion values of its own type).
    fn values(&self, value: &Value) -> Result<Option<Vec<Value>>, String> {
        Ok(match self {
            Rewrite::ReplaceString(rs) => {
                string(value).and_then(|p| rs.apply(p).map(|q| vec![Value::Str(q)]))
            }
            Rewrite::MapString(map) => string(value).and_then(|p| {
                let key = p.to_string();
                map.iter().find(|(k, _)| *k == key).map(|(_, to)| {
                    to.iter()
                        .map(|s| {
                            let mut q = sigma_string::parse(s);
                            q.cased = p.cased;
                            Value::Str(q)
                        })
                        .collect()
                })
            }),
            Rewrite::SetValue(v) => Some(vec![v.clone()]),
            Rewrite::ConvertType(TargetType::Str) => match value {
                Value::Num(x) => Some(vec![Value::Str(Pattern::literal(x.to_string()))]),
                Value::Bool(b) => Some(vec![Value::Str(Pattern::literal(b.to_string()))]),
                _ => None,
            },
            Rewrite::ConvertType(TargetType::Num) => match string(value) {
                Some(p) => match p.as_plain().as_deref().and_then(parse_number) {
                    Some(x) => Some(vec![Value::Num(x)]),
                    None => return Err(format!("value `{p}` cannot be converted to a number")),
                },
                None => None,
            },
            Rewrite::Case(method) => string(value).and_then(|p| {
                let parts = p
                    .parts
                    .iter()
                    .map(|part| match part {
                        Part::Lit(s) => Part::Lit(method.apply(s)),
                        other => other.clone(),
                    })
                    .collect::<Vec<_>>();
                (parts != p.parts).then(|| {
                    vec![Value::Str(Pattern {
                        parts,
                        cased: p.cased,
                    })]
                })
            }),
        })
    }
}

/// The pattern of a string value.
fn string(value: &Value) -> Option<&Pattern> {
    match value {
        Value::Str(p) => Some(p),
        _ => None,
    }
}

/// Applies a value transformation to every selected leaf.
pub fn apply(cx: &mut Context<'_>, at: At<'_>, t: &Rewrite) -> Result<(), Vec<Diagnostic>> {
    let mut trees = std::mem::take(&mut cx.trees);
    let source = cx.rule.source.clone();
    let result = trees.iter_mut().try_for_each(|tree| {
        tree.rewrite(&mut |leaf: &mut Leaf| {
            if !at.item.conditions.item_matches(cx, leaf) {
                return Ok(None);
            }
            let values = t.values(&leaf.m.value).map_err(|why| {
                leaf.error(
                    &source,
                    "pipeline_error",
                    format!("{}: {why}", at.describe()),
                )
            })?;
            Ok(values.map(|vs| {
                vs.into_iter()
                    .map(|v| {
                        let mut l = leaf.clone();
                        l.m.value = v;
                        l.mark(cx.mark_id(at.item));
                        Node::Leaf(l)
                    })
                    .collect()
            }))
        })
    });
    cx.trees = trees;
    result.map_err(|e| vec![e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_replacements_become_regex_crate_syntax() {
        assert_eq!(python_replacement(r"\1-\g<name>$"), "${1}-${name}$$");
        assert_eq!(python_replacement(r"a\\b"), r"a\b");
    }

    #[test]
    fn names_round_trip() {
        crate::names::assert_round_trip(TargetType::ALL);
        crate::names::assert_round_trip(CaseMethod::ALL);
    }

    #[test]
    fn snake_case_splits_words() {
        assert_eq!(CaseMethod::SnakeCase.apply("CommandLine"), "command_line");
        assert_eq!(CaseMethod::SnakeCase.apply("EventID"), "event_id");
    }
}
