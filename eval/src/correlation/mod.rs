//! Correlation rules evaluated over the matches of the rules they reference, with the meaning of
//! the Splunk query that sigc writes for them (`| bin _time span=… | stats … by _time <group-by>
//! | search …`; docs/compat.md, "Correlation evaluation"):
//!
//! - time is cut into tumbling [`Window`]s aligned to multiples of the timespan;
//! - the matches of one window with equal values of every `group-by` field form a group; a match
//!   that lacks a group-by field (or whose alias names no field for its rule) belongs to no group,
//!   as `stats … by` drops it; a multi-valued group-by field puts the match in a group per value
//!   (at most [`MAX_GROUPS_PER_MATCH`] groups);
//! - each group's aggregate ([`aggregate::value`]) is compared with the condition.
//!
//! A correlation of correlations sees each firing of the inner one as a match at the start of its
//! window, whose fields are the inner group-by values and the aggregate (`event_count`,
//! `value_count`, `event_type_count`, `value_sum`, `value_avg`, `value_percentile`).
//!
//! Use: [`Correlator::new`] over a resolved run, [`Correlator::observe`] on each event that
//! matched rules (any thread), [`Correlator::add`] its records in input order, then
//! [`Correlator::finish`]. At most [`MAX_KEPT_MATCHES`] matches are kept.

mod aggregate;
mod window;

pub use window::Window;

use super::event::JsonEvent;
use super::timestamp::TimestampFields;
use aggregate::Hit;
use serde_json::Value;
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::{Correlation, CorrelationType, Document, RuleRef};
use sigc_compiler::ruleset::{DocId, RuleSet};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

/// Matches kept for correlations in one run (each a few dozen bytes plus its field values);
/// those beyond are counted, not correlated.
pub const MAX_KEPT_MATCHES: usize = 1_000_000;
/// Groups one match may join through multi-valued group-by fields; the first ones are kept.
pub const MAX_GROUPS_PER_MATCH: usize = 64;

/// A correlation ready to evaluate.
#[derive(Debug)]
struct Plan {
    /// The correlation's document in the set.
    id: DocId,
    correlation: Correlation,
    /// Per entry of `rules`: what it names.
    inputs: Vec<Input>,
    /// Per entry of `rules`, per `group-by` name: the field that holds the group's value
    /// (`None` when an alias names no field for that rule).
    group_fields: Vec<Vec<Option<String>>>,
    /// Per entry of `rules`: the field whose values the value types aggregate.
    value_field: Vec<Option<String>>,
    /// Per entry of `rules`: the document it names, as a number equal for equal documents.
    documents: Vec<usize>,
    /// `percentile` (value_percentile).
    percentile: u8,
}

/// What an entry of a correlation's `rules` names.
#[derive(Clone, Copy, Debug)]
enum Input {
    /// A rule, by its number among the evaluated rules.
    Rule(usize),
    /// An earlier plan.
    Correlation(usize),
}

/// A rule match as a correlation needs it.
#[derive(Clone, Debug)]
pub struct Record {
    plan: usize,
    input: usize,
    time: i64,
    group: Vec<String>,
    values: Vec<String>,
}

/// A correlation that fired: one group in one window.
#[derive(Clone, Debug)]
pub struct Firing {
    /// The correlation's number; see [`Correlator::correlation`].
    pub correlation: usize,
    pub window: Window,
    /// Each `group-by` name and the group's value.
    pub group: Vec<(String, String)>,
    /// The aggregate compared with the condition.
    pub value: f64,
}

/// An event that matched correlated rules but has no readable timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoTimestamp;

/// Every correlation of a run that can be evaluated, and the matches seen so far.
#[derive(Debug)]
pub struct Correlator {
    plans: Vec<Plan>,
    /// Per evaluated rule: the (plan, entry of `rules`) that reference it.
    by_rule: HashMap<usize, Vec<(usize, usize)>>,
    timestamps: TimestampFields,
    /// Kept matches, in input order.
    records: Vec<Record>,
    /// Matches beyond [`MAX_KEPT_MATCHES`].
    dropped: u64,
    /// Groups beyond [`MAX_GROUPS_PER_MATCH`] that matches would have joined.
    groups_dropped: AtomicU64,
}

impl Correlator {
    /// Plans every correlation of `set` that has no reference error. `rule_index` gives the
    /// number of an evaluated rule; a correlation that references a rule that is not evaluated,
    /// or a correlation that is refused, is refused with a located error at the reference, and
    /// so is one that the evaluator cannot compute.
    pub fn new(
        set: &RuleSet,
        rule_index: impl Fn(DocId) -> Option<usize>,
        timestamps: TimestampFields,
    ) -> (Correlator, Vec<Diagnostic>) {
        let mut refused = Vec::new();
        let mut pending: Vec<(DocId, &Correlation)> = Vec::new();
        for (id, doc) in set.documents() {
            if let Document::Correlation(c) = doc
                && set.errors(id).is_empty()
            {
                match unsupported(c) {
                    Some(d) => refused.push(d),
                    None => pending.push((id, c)),
                }
            }
        }
        let mut plans: Vec<Plan> = Vec::new();
        let mut planned: HashMap<DocId, usize> = HashMap::new();
        // Plans in dependency order: each pass plans the correlations whose inputs are planned.
        loop {
            let before = pending.len();
            let mut waiting = Vec::new();
            for (id, c) in pending {
                let mut targets = Vec::new();
                let mut inputs = Vec::new();
                let mut blocked = false;
                let mut failed = None;
                for reference in &c.rules {
                    // Resolved: the set reported no reference error for this correlation.
                    let Some(target) = set.find(&reference.reference) else {
                        failed = failed.or(Some(reference));
                        continue;
                    };
                    targets.push(target);
                    match set.get(target) {
                        Document::Rule(_) => match rule_index(target) {
                            Some(i) => inputs.push(Input::Rule(i)),
                            None => failed = failed.or(Some(reference)),
                        },
                        Document::Correlation(_) => match planned.get(&target) {
                            Some(&p) => inputs.push(Input::Correlation(p)),
                            None if pending_or_later(target, set) => blocked = true,
                            None => failed = failed.or(Some(reference)),
                        },
                        Document::Filter(_) => failed = failed.or(Some(reference)),
                    }
                }
                if let Some(reference) = failed {
                    refused.push(not_evaluated(c, reference));
                } else if blocked {
                    waiting.push((id, c));
                } else {
                    planned.insert(id, plans.len());
                    plans.push(plan(id, c, inputs, &targets, set));
                }
            }
            pending = waiting;
            if pending.len() == before || pending.is_empty() {
                break;
            }
        }
        for (_, c) in pending {
            let blocked = c.rules.iter().find(|r| {
                set.find(&r.reference).is_some_and(|t| {
                    matches!(set.get(t), Document::Correlation(_)) && !planned.contains_key(&t)
                })
            });
            refused.extend(blocked.map(|r| not_evaluated(c, r)));
        }
        let mut by_rule: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (p, plan) in plans.iter().enumerate() {
            for (k, input) in plan.inputs.iter().enumerate() {
                if let Input::Rule(r) = input {
                    by_rule.entry(*r).or_default().push((p, k));
                }
            }
        }
        let correlator = Correlator {
            plans,
            by_rule,
            timestamps,
            records: Vec::new(),
            dropped: 0,
            groups_dropped: AtomicU64::new(0),
        };
        (correlator, refused)
    }

    /// The number of correlations that are evaluated.
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// Correlation `i` of a [`Firing`].
    pub fn correlation(&self, i: usize) -> &Correlation {
        &self.plans[i].correlation
    }

    /// The number of the correlation that is document `id` of the set, when it is evaluated.
    pub fn number(&self, id: DocId) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    /// Whether a match of evaluated rule `rule` is correlated.
    pub fn correlates(&self, rule: usize) -> bool {
        self.by_rule.contains_key(&rule)
    }

    /// The records of an event that matched `rules` (evaluated rule numbers): none when no
    /// correlation references them, [`NoTimestamp`] when one does and the event has no time.
    pub fn observe(&self, event: &Value, rules: &[usize]) -> Result<Vec<Record>, NoTimestamp> {
        let uses: Vec<&(usize, usize)> = rules
            .iter()
            .filter_map(|r| self.by_rule.get(r))
            .flatten()
            .collect();
        if uses.is_empty() {
            return Ok(Vec::new());
        }
        let event = JsonEvent::new(event);
        let time = self.timestamps.read(&event).ok_or(NoTimestamp)?;
        let mut records = Vec::new();
        for &&(p, k) in &uses {
            let plan = &self.plans[p];
            let values = plan.value_field[k]
                .as_deref()
                .and_then(|f| event.lookup(f))
                .map_or_else(Vec::new, texts);
            let columns = plan.group_fields[k]
                .iter()
                .map(|f| f.as_deref().and_then(|f| event.lookup(f)).map(texts));
            let (kept, dropped) = groups(columns);
            if dropped > 0 {
                self.groups_dropped.fetch_add(dropped, Ordering::Relaxed);
            }
            for group in kept {
                records.push(Record {
                    plan: p,
                    input: k,
                    time,
                    group,
                    values: values.clone(),
                });
            }
        }
        Ok(records)
    }

    /// Keeps the records of one event (events in input order), within [`MAX_KEPT_MATCHES`].
    pub fn add(&mut self, records: Vec<Record>) {
        let room = MAX_KEPT_MATCHES - self.records.len();
        if records.len() > room {
            self.dropped += (records.len() - room) as u64;
        }
        self.records.extend(records.into_iter().take(room));
    }

    /// Matches not kept because the budget was spent.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Groups that matches did not join because one match joins at most
    /// [`MAX_GROUPS_PER_MATCH`] (through multi-valued group-by fields).
    pub fn groups_dropped(&self) -> u64 {
        self.groups_dropped.load(Ordering::Relaxed)
    }

    /// Evaluates every correlation on the records kept, and forgets them (the correlator is then
    /// ready for another run of events); firings in the order of the
    /// correlations (referenced ones first), then of windows, then of group values.
    pub fn finish(&mut self) -> Vec<Firing> {
        let mut per_plan: Vec<Vec<Record>> = vec![Vec::new(); self.plans.len()];
        for record in std::mem::take(&mut self.records) {
            per_plan[record.plan].push(record);
        }
        let mut fired: Vec<Vec<Firing>> = Vec::with_capacity(self.plans.len());
        for (p, plan) in self.plans.iter().enumerate() {
            let mut records = std::mem::take(&mut per_plan[p]);
            for (k, input) in plan.inputs.iter().enumerate() {
                if let Input::Correlation(inner) = *input {
                    let kind = self.plans[inner].correlation.kind;
                    for firing in &fired[inner] {
                        records.extend(firing_records(plan, p, k, firing, kind));
                    }
                }
            }
            fired.push(evaluate(plan, p, records));
        }
        fired.into_iter().flatten().collect()
    }
}

/// What the evaluator cannot compute: a `field` list of several fields, a percentile without
/// `percentile`.
fn unsupported(c: &Correlation) -> Option<Diagnostic> {
    let refuse = |message: &str, span| {
        Diagnostic::error(
            "unsupported_correlation",
            message.to_string(),
            &c.source,
            span,
        )
    };
    if let Some(second) = c.condition.field.get(1) {
        return Some(refuse(
            "`sigc test` aggregates one `field`; this correlation names several",
            second.span,
        ));
    }
    let at = c.condition.span.unwrap_or(c.keyword);
    (c.kind == CorrelationType::ValuePercentile && c.condition.percentile.is_none())
        .then(|| refuse("a `value_percentile` correlation needs `percentile` in its `condition` for `sigc test` to compute it", at))
}

/// Whether `target` is a correlation that may still be planned (it had no error of its own).
fn pending_or_later(target: DocId, set: &RuleSet) -> bool {
    match set.get(target) {
        Document::Correlation(c) => set.errors(target).is_empty() && unsupported(c).is_none(),
        Document::Rule(_) | Document::Filter(_) => false,
    }
}

fn not_evaluated(c: &Correlation, reference: &RuleRef) -> Diagnostic {
    Diagnostic::error(
        "unsupported_correlation",
        format!(
            "`{}` cannot be evaluated, so neither can this correlation",
            reference.reference
        ),
        &c.source,
        reference.span,
    )
}

/// The plan of `c` (document `id`), whose `rules` name `targets` and are `inputs`.
fn plan(id: DocId, c: &Correlation, inputs: Vec<Input>, targets: &[DocId], set: &RuleSet) -> Plan {
    // The field a name stands for in the events of `target`: an alias's field for it, else
    // the name itself; `None` when an alias names no field for it.
    let field_for = |name: &str, target: DocId| -> Option<String> {
        match c.aliases.iter().find(|a| a.name.name == name) {
            Some(alias) => alias
                .fields
                .iter()
                .find(|(r, _)| set.find(&r.reference) == Some(target))
                .map(|(_, f)| f.name.clone()),
            None => Some(name.to_string()),
        }
    };
    let value = c.condition.field.first();
    Plan {
        group_fields: targets
            .iter()
            .map(|&t| c.group_by.iter().map(|g| field_for(&g.name, t)).collect())
            .collect(),
        value_field: targets
            .iter()
            .map(|&t| value.and_then(|v| field_for(&v.name, t)))
            .collect(),
        documents: targets.iter().map(|t| t.0).collect(),
        // read by value_percentile only, which `unsupported` refuses without one
        percentile: c.condition.percentile.unwrap_or_default(),
        id,
        correlation: c.clone(),
        inputs,
    }
}

/// The texts of a field's value: a scalar's, each element's of a list; none for null or an
/// object without `#text`.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Object(element) => element.get("#text").map_or_else(Vec::new, texts),
    }
}

/// Every combination of one value per group-by field, at most [`MAX_GROUPS_PER_MATCH`] of them,
/// and how many combinations there were beyond those; none when a field is missing or empty.
fn groups(columns: impl Iterator<Item = Option<Vec<String>>>) -> (Vec<Vec<String>>, u64) {
    let mut groups = vec![Vec::new()];
    let mut all: u64 = 1;
    for column in columns {
        let values = column.unwrap_or_default();
        all = all.saturating_mul(values.len() as u64);
        groups = groups
            .iter()
            .flat_map(|g| {
                values.iter().map(move |v| {
                    let mut g = g.clone();
                    g.push(v.clone());
                    g
                })
            })
            .take(MAX_GROUPS_PER_MATCH)
            .collect();
    }
    let beyond = all.saturating_sub(groups.len() as u64);
    (groups, beyond)
}

/// An inner correlation's firing as a match of entry `k` of `plan` (number `p`).
fn firing_records(
    plan: &Plan,
    p: usize,
    k: usize,
    firing: &Firing,
    kind: CorrelationType,
) -> Vec<Record> {
    let lookup = |field: &str| -> Option<Vec<String>> {
        if let Some((_, v)) = firing.group.iter().find(|(name, _)| name == field) {
            return Some(vec![v.clone()]);
        }
        (field == kind.aggregate()).then(|| vec![number_text(firing.value)])
    };
    let columns = plan.group_fields[k]
        .iter()
        .map(|f| f.as_deref().and_then(lookup));
    let values = plan.value_field[k]
        .as_deref()
        .and_then(lookup)
        .unwrap_or_default();
    // A firing has one value per group-by field: one group, never beyond the budget.
    groups(columns)
        .0
        .into_iter()
        .map(|group| Record {
            plan: p,
            input: k,
            time: firing.window.start,
            group,
            values: values.clone(),
        })
        .collect()
}

/// A number as Splunk shows it: without a fraction when it is whole.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// The firings of plan `p` over its records.
fn evaluate(plan: &Plan, p: usize, mut records: Vec<Record>) -> Vec<Firing> {
    // Input order breaks ties between equal times (a stable sort).
    records.sort_by_key(|r| r.time);
    let c = &plan.correlation;
    let mut cells: BTreeMap<(Window, &[String]), Vec<Hit<'_>>> = BTreeMap::new();
    for r in &records {
        cells
            .entry((Window::of(r.time, &c.timespan), r.group.as_slice()))
            .or_default()
            .push(Hit {
                input: plan.documents[r.input],
                time: r.time,
                values: &r.values,
            });
    }
    cells
        .into_iter()
        .filter_map(|((window, group), hits)| {
            let value = aggregate::value(c.kind, &hits, &plan.documents, plan.percentile)?;
            aggregate::holds(&c.condition, value).then(|| Firing {
                correlation: p,
                window,
                group: c
                    .group_by
                    .iter()
                    .map(|g| g.name.clone())
                    .zip(group.iter().cloned())
                    .collect(),
                value,
            })
        })
        .collect()
}
