//! Compiling a rule's conditions: leaves prepared (patterns, regexes, networks), string leaves on
//! one field merged, field names numbered.

use super::{Leaf, Matcher, Node, Test};
use crate::fields::FieldId;
use crate::pattern::Wildcard;
use crate::set::PatternSet;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::{Expr, Match, Part, Pattern, Rule, Value};
use sigc_compiler::model::regex_check;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// The diagnostic code for what the evaluator cannot run.
const UNSUPPORTED: &str = "unsupported_feature";

/// Compiles a rule (see [`Matcher::new`]).
pub(super) fn matcher(rule: &Rule) -> Result<Matcher, Diagnostic> {
    let mut cx = Compiler {
        source: &rule.source,
        fields: Vec::new(),
        numbers: HashMap::new(),
    };
    let mut conditions = rule
        .conditions
        .iter()
        .map(|e| cx.compile(e))
        .collect::<Result<Vec<_>, _>>()?;
    conditions.iter_mut().for_each(prepare);
    let identity = (0..cx.fields.len() as u32).collect();
    Ok(Matcher {
        conditions,
        fields: cx.fields,
        identity,
    })
}

/// The state of compiling one rule.
struct Compiler<'a> {
    source: &'a Arc<Source>,
    /// Field names met so far, by number.
    fields: Vec<Box<str>>,
    /// The number of each name in `fields`.
    numbers: HashMap<Box<str>, FieldId>,
}

impl Compiler<'_> {
    /// The number of field `name`.
    fn field(&mut self, name: &str) -> FieldId {
        if let Some(&id) = self.numbers.get(name) {
            return id;
        }
        let id = self.fields.len() as FieldId;
        self.fields.push(name.into());
        self.numbers.insert(name.into(), id);
        id
    }

    fn compile(&mut self, expr: &Expr) -> Result<Node, Diagnostic> {
        let mut all = |xs: &[Expr]| {
            xs.iter()
                .map(|x| self.compile(x))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match expr {
            Expr::And(xs) => Node::And(merge(all(xs)?, true)),
            Expr::Or(xs) => Node::Or(merge(all(xs)?, false)),
            Expr::Not(x) => Node::Not(Box::new(self.compile(x)?)),
            Expr::Match(m) => Node::Leaf(self.leaf(m)?),
        })
    }

    fn leaf(&mut self, m: &Match) -> Result<Leaf, Diagnostic> {
        let source = self.source;
        let refuse = |message: String| {
            Diagnostic::error(
                UNSUPPORTED,
                message,
                m.origin.source(source),
                m.origin.span(),
            )
        };
        let keyword = m.field.is_none();
        let patterns = |ps: &[&Pattern]| {
            ps.iter()
                .map(|p| {
                    let p = if keyword {
                        as_substring(p)
                    } else {
                        (*p).clone()
                    };
                    Wildcard::new(&p).map_err(|name| {
                        refuse(format!(
                            "unresolved placeholder %{name}% cannot be evaluated"
                        ))
                        .with_help("resolve placeholders with a pipeline before testing the rule")
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let test = match &m.value {
            Value::Str(p) => Test::Patterns(PatternSet::any(patterns(&[p])?)),
            Value::Expansion(ps) => {
                Test::Patterns(PatternSet::any(patterns(&ps.iter().collect::<Vec<_>>())?))
            }
            Value::Num(n) => Test::Num(*n),
            Value::Bool(b) => Test::Bool(*b),
            Value::Null if keyword => {
                return Err(refuse("a null value must be bound to a field".into()));
            }
            Value::Null => Test::Null,
            Value::Regex { pattern, flags } => match regex_check::compile(pattern, *flags) {
                Ok(re) => Test::Regex(re),
                Err(e) => return Err(regex_refusal(refuse, pattern, &e)),
            },
            Value::Cidr(net) => Test::Cidr(net.trunc()),
            Value::Compare { op, value } => Test::Compare {
                op: *op,
                value: *value,
            },
            Value::Exists(_) | Value::FieldRef { .. } if keyword => {
                return Err(refuse("`exists` and `fieldref` need a field".into()));
            }
            Value::Exists(b) => Test::Exists(*b),
            Value::FieldRef { field, kind } => Test::FieldRef {
                field: self.field(field),
                kind: *kind,
            },
            Value::TimePart { part, value } => Test::TimePart {
                part: *part,
                value: *value,
            },
        };
        Ok(Leaf {
            field: m.field.as_deref().map(|f| self.field(f)),
            test,
        })
    }
}
/// Readies every pattern set once merging is done.
fn prepare(node: &mut Node) {
    match node {
        Node::And(xs) | Node::Or(xs) => xs.iter_mut().for_each(prepare),
        Node::Not(x) => prepare(x),
        Node::Leaf(Leaf {
            test: Test::Patterns(set),
            ..
        }) => set.prepare(),
        Node::Leaf(_) => {}
    }
}

/// Merges the string leaves of one `And` (`all`) or `Or` that test the same field into one leaf,
/// so that the field is looked up and case-folded once for all their patterns (a list of values
/// under one key becomes such an `Or`; `contains|all` such an `And`). Keywords merge only under
/// `Or`: under `And` each may match a different value of the event.
fn merge(nodes: Vec<Node>, all: bool) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    // field → index in `out` of its first mergeable leaf, which absorbs the others
    let mut first: HashMap<Option<FieldId>, usize> = HashMap::new();
    for node in nodes {
        let Node::Leaf(leaf) = node else {
            out.push(node);
            continue;
        };
        if !leaf.mergeable(all) {
            out.push(Node::Leaf(leaf));
            continue;
        }
        let target = match first.entry(leaf.field) {
            Entry::Occupied(at) => match &mut out[*at.get()] {
                Node::Leaf(prev) => Some(prev),
                _ => None,
            },
            Entry::Vacant(at) => {
                at.insert(out.len());
                None
            }
        };
        match (target, leaf.test) {
            (
                Some(Leaf {
                    test: Test::Patterns(set),
                    ..
                }),
                Test::Patterns(more),
            ) => set.absorb(more, all),
            (_, test) => out.push(Node::Leaf(Leaf {
                field: leaf.field,
                test,
            })),
        }
    }
    out
}

impl Leaf {
    /// Whether this leaf can be merged with others of an `And` (`all`) or `Or`.
    fn mergeable(&self, all: bool) -> bool {
        (self.field.is_some() || !all)
            && matches!(&self.test, Test::Patterns(set) if set.mergeable(all))
    }
}

/// Explains why a regex cannot be run; the `regex` crate has no look-around or backreferences.
fn regex_refusal(
    refuse: impl Fn(String) -> Diagnostic,
    pattern: &str,
    err: &regex::Error,
) -> Diagnostic {
    let text = err.to_string();
    let lower = text.to_ascii_lowercase();
    let what = if lower.contains("look-around") || lower.contains("lookaround") {
        "it uses look-around (look-ahead or look-behind)"
    } else if lower.contains("backreference") {
        "it uses a backreference"
    } else if matches!(err, regex::Error::CompiledTooBig(_)) {
        "it compiles to more than the size limit"
    } else {
        "it does not compile"
    };
    let first_line = text.lines().last().unwrap_or("").trim();
    refuse(format!("regex `{pattern}` cannot be evaluated: {what}"))
        .with_help(format!(
            "the evaluator uses the Rust `regex` crate, which supports neither look-around nor backreferences ({first_line})"
        ))
}

/// A keyword pattern as a substring pattern: `*…*` unless already there.
fn as_substring(p: &Pattern) -> Pattern {
    let mut parts = Vec::with_capacity(p.parts.len() + 2);
    if !p.starts_with_any() {
        parts.push(Part::AnyRun);
    }
    parts.extend(p.parts.iter().cloned());
    if !p.ends_with_any() {
        parts.push(Part::AnyRun);
    }
    Pattern {
        parts,
        cased: p.cased,
    }
}
