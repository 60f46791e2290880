//! What each processing item did to one rule, for `sigc explain`: whether its rule conditions
//! held (and each condition's value when they did not), and what it changed, leaf by leaf: a field
//! renamed, a value rewritten, detection items added or dropped, the log source, the `fields`
//! list, the state. A field-name item that ran also says, for each field it left alone, why:
//! not in its mapping, or its detection-item or field-name conditions did not hold.
//!
//! Tracing compares the rule before and after each item, so it costs only when asked for
//! ([`apply_traced`]); [`apply`](crate::apply) does not record anything.

use crate::conditions::RuleCond;
use crate::transformation::Transformation;
use crate::{At, Context, Pipeline, State, Vars};
use serde::Serialize;
use serde_json::Value as Json;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::{LogSource, Match, Origin, Rule, print};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One item of one pipeline, as it ran on the rule.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// The pipeline's name.
    pub pipeline: String,
    /// `item `id`` or `item #n`.
    pub item: String,
    /// Its `type:`.
    pub transformation: &'static str,
    /// The item in its pipeline file, `file:line:col`.
    pub at: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What became of an item.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Its rule conditions did not hold: each one with its value (they are linked as the item
    /// says: all, any, or an expression, possibly negated).
    Skipped { conditions: Vec<Checked> },
    /// It ran: what it changed (nothing, when no detection item or field was for it), and the
    /// fields a field-name item left alone.
    Applied {
        changes: Vec<Change>,
        untouched: Vec<Untouched>,
    },
    /// It refused the rule.
    Failed { errors: Vec<String> },
}

/// A rule condition and whether it held.
#[derive(Clone, Debug, Serialize)]
pub struct Checked {
    pub condition: String,
    pub holds: bool,
}

/// One change an item made.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub what: Changed,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Where the changed leaf was written (`file:line:col`), or the pipeline item that added it.
    pub at: Option<String>,
}

/// What a [`Change`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Changed {
    /// A leaf's field name.
    Field,
    /// A leaf's value.
    Value,
    /// The leaves from one place, added, dropped or multiplied.
    Detection,
    Logsource,
    /// The rule's `fields` list.
    Fields,
    /// One key of the pipeline state.
    State,
    /// One custom attribute of the rule.
    CustomAttribute,
}

/// A field that a field-name item left as it was.
#[derive(Clone, Debug, Serialize)]
pub struct Untouched {
    pub field: String,
    pub why: String,
}

/// [`apply`](crate::apply), recording what every item did, in order. The steps stop at the
/// item that failed, if one did.
pub fn apply_traced(
    pipelines: &[Pipeline],
    vars: &Vars,
    rule: &mut Rule,
) -> (Result<State, Vec<Diagnostic>>, Vec<Step>) {
    let mut steps = Vec::new();
    let result = crate::run(pipelines, vars, rule, Some(&mut steps));
    (result, steps)
}

/// Runs `apply` for the item `at` and records its step.
pub(crate) fn traced(
    cx: &mut Context<'_>,
    at: At<'_>,
    steps: &mut Vec<Step>,
    apply: fn(&mut Context<'_>, At<'_>) -> Result<(), Vec<Diagnostic>>,
) -> Result<(), Vec<Diagnostic>> {
    let step = |outcome| Step {
        pipeline: at.pipeline.name.clone(),
        item: at.item_ref().to_string(),
        transformation: at.item.kind.name(),
        at: at.pipeline.source.location(at.item.span),
        outcome,
    };
    if !at.item.conditions.rule_matches(cx) {
        let conditions = at
            .item
            .conditions
            .rule
            .list
            .iter()
            .map(|c| Checked {
                condition: describe(c),
                holds: c.matches(cx),
            })
            .collect();
        steps.push(step(Outcome::Skipped { conditions }));
        return apply(cx, at);
    }
    let before = Snapshot::of(cx);
    let result = apply(cx, at);
    let outcome = match &result {
        Ok(()) => {
            let after = Snapshot::of(cx);
            let changes = before.changes(&after);
            let untouched = if let Transformation::Rename(rename) = &at.item.transformation {
                let renamed = before.changed_fields(&after);
                before
                    .fields()
                    .filter(|f| !renamed.contains(*f))
                    .map(|f| Untouched {
                        field: f.to_string(),
                        why: match rename.map(f) {
                            None => "not in the item's mapping".to_string(),
                            Some(_) => "the item's detection-item or field-name conditions did \
                                        not hold"
                                .to_string(),
                        },
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Outcome::Applied { changes, untouched }
        }
        Err(errors) => Outcome::Failed {
            errors: errors.iter().map(|e| e.to_string()).collect(),
        },
    };
    steps.push(step(outcome));
    result
}

/// A rule condition, as a pipeline file would name it.
fn describe(c: &RuleCond) -> String {
    match c {
        RuleCond::Logsource {
            category,
            product,
            service,
        } => format!(
            "logsource {}",
            logsource(&[
                ("category", category),
                ("product", product),
                ("service", service)
            ])
        ),
        RuleCond::ContainsDetectionItem { field, value } => format!(
            "contains_detection_item {} {}",
            field.as_deref().unwrap_or("keyword"),
            print::value(value)
        ),
        RuleCond::ContainsField(field) => {
            format!("contains_field {}", field.as_deref().unwrap_or("keyword"))
        }
        RuleCond::Applied(id) => format!("processing_item_applied {id}"),
        RuleCond::State(s) => format!("processing_state {} {} {}", s.key, s.op, s.val),
        RuleCond::IsSigmaRule(true) => "is_sigma_rule".to_string(),
        RuleCond::IsSigmaRule(false) => "is_sigma_correlation_rule".to_string(),
        RuleCond::Attribute {
            attribute,
            value,
            op,
        } => format!("rule_attribute {attribute} {op} {value}"),
        RuleCond::Tag(tag) => format!("tag {tag}"),
    }
}

/// `category=x product=y` for the keys that are set (`any` when none is).
fn logsource(keys: &[(&str, &Option<String>)]) -> String {
    let set: Vec<String> = keys
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect();
    if set.is_empty() {
        "any".to_string()
    } else {
        set.join(" ")
    }
}

/// Where a leaf of a rule from `source` came from: the `file:line:col` it was written at, or
/// the pipeline item that added it.
pub fn place(source: &Arc<Source>, m: &Match) -> String {
    match &m.origin {
        Origin::Pipeline(added) => format!("pipeline `{}` {}", added.pipeline, added.item),
        Origin::Source(_) | Origin::Filter { .. } => {
            m.origin.source(source).location(m.origin.span())
        }
    }
}

/// A leaf as the trace compares it: its field and its printed form.
type Printed = (Option<String>, String);

/// The parts of a rule under processing that an item may change.
struct Snapshot {
    /// The leaves by where they came from ([`place`]), in tree order.
    leaves: Vec<(String, Vec<Printed>)>,
    fields: Vec<String>,
    logsource: String,
    state: State,
    custom: BTreeMap<String, Json>,
}

impl Snapshot {
    fn of(cx: &Context<'_>) -> Snapshot {
        let rule = &*cx.rule;
        let mut leaves: Vec<(String, Vec<Printed>)> = Vec::new();
        for leaf in cx.trees.iter().flat_map(|t| t.leaves()) {
            let m = &leaf.m;
            let place = place(&rule.source, m);
            let entry = (m.field.clone(), print::leaf(m));
            match leaves.iter_mut().find(|(p, _)| *p == place) {
                Some((_, list)) => list.push(entry),
                None => leaves.push((place, vec![entry])),
            }
        }
        let LogSource {
            category,
            product,
            service,
            ..
        } = &rule.logsource;
        Snapshot {
            leaves,
            fields: rule.meta.fields.clone(),
            logsource: logsource(&[
                ("category", category),
                ("product", product),
                ("service", service),
            ]),
            state: cx.state.clone(),
            custom: rule.meta.custom.clone(),
        }
    }

    /// The distinct field names of the leaves, in order.
    fn fields(&self) -> impl Iterator<Item = &str> {
        let mut seen = BTreeSet::new();
        self.leaves
            .iter()
            .flat_map(|(_, list)| list)
            .filter_map(|(field, _)| field.as_deref())
            .filter(move |f| seen.insert(*f))
    }

    /// The fields of the leaves whose place has other leaves in `after`.
    fn changed_fields(&self, after: &Snapshot) -> BTreeSet<String> {
        self.leaves
            .iter()
            .filter(|(place, list)| !after.leaves.iter().any(|(p, l)| p == place && l == list))
            .flat_map(|(_, list)| list.iter().filter_map(|(field, _)| field.clone()))
            .collect()
    }

    /// What changed from `self` to `after`.
    fn changes(&self, after: &Snapshot) -> Vec<Change> {
        let mut out = Vec::new();
        let none = Vec::new();
        let places = self.leaves.iter().map(|(p, _)| p).chain(
            after
                .leaves
                .iter()
                .map(|(p, _)| p)
                .filter(|p| !self.leaves.iter().any(|(q, _)| q == *p)),
        );
        let find = |s: &'_ Snapshot, place: &str| {
            s.leaves
                .iter()
                .find(|(p, _)| p == place)
                .map(|(_, l)| l.clone())
        };
        for place in places {
            let b = find(self, place).unwrap_or_else(|| none.clone());
            let a = find(after, place).unwrap_or_else(|| none.clone());
            if a == b {
                continue;
            }
            let at = Some(place.clone());
            if a.len() == b.len() {
                for ((bf, bl), (af, al)) in b.iter().zip(&a) {
                    if bf != af {
                        out.push(Change {
                            what: Changed::Field,
                            before: bf.clone(),
                            after: af.clone(),
                            at: at.clone(),
                        });
                    } else if bl != al {
                        out.push(change(Changed::Value, bl, al, at.clone()));
                    }
                }
            } else {
                let joined = |l: &[Printed]| {
                    (!l.is_empty()).then(|| {
                        l.iter()
                            .map(|(_, text)| text.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                };
                out.push(Change {
                    what: Changed::Detection,
                    before: joined(&b),
                    after: joined(&a),
                    at,
                });
            }
        }
        if self.logsource != after.logsource {
            out.push(change(
                Changed::Logsource,
                &self.logsource,
                &after.logsource,
                None,
            ));
        }
        if self.fields != after.fields {
            let (b, a) = (self.fields.join(", "), after.fields.join(", "));
            out.push(change(Changed::Fields, &b, &a, None));
        }
        out.extend(map_changes(Changed::State, &self.state, &after.state));
        out.extend(map_changes(
            Changed::CustomAttribute,
            &self.custom,
            &after.custom,
        ));
        out
    }
}

fn change(what: Changed, before: &str, after: &str, at: Option<String>) -> Change {
    Change {
        what,
        before: Some(before.to_string()),
        after: Some(after.to_string()),
        at,
    }
}

/// The keys whose values differ, as `key = value`.
fn map_changes(
    what: Changed,
    before: &BTreeMap<String, Json>,
    after: &BTreeMap<String, Json>,
) -> Vec<Change> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| Change {
            what,
            before: before.get(k).map(|v| format!("{k} = {v}")),
            after: after.get(k).map(|v| format!("{k} = {v}")),
            at: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pipeline: &str, rule: &str) -> (Rule, Vec<Step>) {
        let p = crate::parse(&Source::new("p.yml", pipeline)).expect("pipeline");
        let source = Source::new("r.yml", rule);
        let mut rule = sigc_compiler::compile_rules(&source, "test")
            .pop()
            .expect("one document")
            .expect("a rule");
        let vars = crate::merged_vars(std::slice::from_ref(&p), &Vars::new());
        let (result, steps) = apply_traced(std::slice::from_ref(&p), &vars, &mut rule);
        result.expect("pipelines apply");
        (rule, steps)
    }

    const RULE: &str = "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image: a\n    User: b\n  condition: sel\n";

    #[test]
    fn records_renames_additions_and_fields_left_alone() {
        let (rule, steps) = run(
            "name: p\ntransformations:\n  - id: map\n    type: field_name_mapping\n    mapping: {Image: [NewImage, OtherImage]}\n  - id: add\n    type: add_condition\n    conditions: {EventID: 1}\n",
            RULE,
        );
        assert_eq!(rule.conditions.len(), 1);
        let Outcome::Applied { changes, untouched } = &steps[0].outcome else {
            panic!("{steps:?}");
        };
        // a one-to-many mapping makes two leaves of one: the place's leaves are shown whole
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].what, Changed::Detection);
        assert_eq!(changes[0].at.as_deref(), Some("r.yml:5:12"));
        assert_eq!(
            changes[0].after.as_deref(),
            Some("NewImage = 'a'; OtherImage = 'a'")
        );
        assert_eq!(untouched.len(), 1);
        assert_eq!(untouched[0].field, "User");
        assert_eq!(untouched[0].why, "not in the item's mapping");
        let Outcome::Applied { changes, .. } = &steps[1].outcome else {
            panic!("{steps:?}");
        };
        assert_eq!(changes[0].before, None);
        assert_eq!(changes[0].after.as_deref(), Some("EventID = 1"));
        assert_eq!(steps[1].at, "p.yml:6:5");
        assert_eq!(steps[1].transformation, "add_condition");
    }

    #[test]
    fn a_skipped_item_gives_each_rule_condition_its_value() {
        let (_, steps) = run(
            "name: p\ntransformations:\n  - type: field_name_suffix\n    suffix: _x\n    rule_cond_op: or\n    rule_conditions:\n      - type: logsource\n        product: linux\n      - type: tag\n        tag: attack.t1059\n",
            RULE,
        );
        assert_eq!(steps[0].item, "item #1");
        let Outcome::Skipped { conditions } = &steps[0].outcome else {
            panic!("{steps:?}");
        };
        let shown: Vec<(&str, bool)> = conditions
            .iter()
            .map(|c| (c.condition.as_str(), c.holds))
            .collect();
        assert_eq!(
            shown,
            [
                ("logsource product=linux", false),
                ("tag attack.t1059", false)
            ]
        );
    }
}
