//! sigc-pipeline: pySigma's processing pipelines, applied to the sigc IR, and the built-in ones.
//!
//! It owns the pipeline engine (reading pySigma's YAML format, the transformations and their
//! conditions, applying several pipelines to a [`Rule`]) and the built-in YAML pipelines that the
//! targets apply by default ([`builtins`]). It depends only on sigc-compiler; the backends, the
//! evaluator and the command line build on it.
//!
//! A [`Pipeline`] is read from pySigma's YAML format ([`parse()`]): a name, a priority, the
//! backends it allows, variables and an ordered list of [`Item`]s. Each item is one
//! [`Transformation`] gated by conditions on the rule, on each detection item (a `Match` leaf
//! here) and on each field name ([`conditions`]). [`apply`] runs several pipelines on a rule,
//! lowest priority first (ties by name), as one concatenated pipeline: variables are merged, and
//! the state, the applied item ids and the field tracking are shared for that rule.
//!
//! A file is read by [`parse()`] with a [`reader::Reader`]; every transformation type is declared
//! once in [`transformation`], and the families live one per file: [`fields`] (field names),
//! [`hashes`] (the `Hashes` field split per algorithm), [`values`] (string and value rewrites),
//! [`placeholders`] (`|expand`), [`condition`] (added conditions), [`rule`] (log source),
//! [`detection_item`] (dropping) and [`failure`]. Modules depend one way: the reader knows none
//! of them, the families know the reader, and [`parse()`] knows the families.
//!
//! [`map_correlation_fields`] applies the field-name transformations to a correlation's names.
//!
//! [`logsource`] answers what the built-in Windows pipelines map a log source to (`Channel`
//! and `EventID`), for the evaluator.
//!
//! Known differences from pySigma, due to the IR: a detection item with several values is
//! several leaves here, so detection-item conditions and value rewrites see one value at a time;
//! values that a rewrite multiplies (one-to-many mappings, list variables) become an OR.

pub mod builtins;
pub mod condition;
pub mod conditions;
mod correlation;
pub mod detection_item;
pub mod failure;
pub mod fields;
pub mod hashes;
pub mod logsource;
mod names;
pub mod parse;
pub mod placeholders;
pub mod reader;
pub mod rule;
pub mod trace;
pub mod transformation;
pub mod tree;
pub mod values;

use conditions::Conditions;
use placeholders::Fill;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::{LogSource, PipelineItem, Rule};
use sigc_compiler::span::Span;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use tree::Node;

pub use correlation::map_correlation_fields;
pub use parse::parse;
pub use transformation::Transformation;

/// Values a pipeline publishes for the output stage (e.g. `data_model_set` for Splunk's tstats).
pub type State = BTreeMap<String, serde_json::Value>;

/// Pipeline variables: each name holds one or more values (a list gives alternatives).
pub type Vars = BTreeMap<String, Vec<String>>;

/// One processing pipeline, as read from its YAML file.
#[derive(Debug)]
pub struct Pipeline {
    /// `name:` from the file (the file name when absent).
    pub name: String,
    pub priority: i64,
    /// Targets this pipeline is meant for; empty means any.
    pub allowed_backends: Vec<String>,
    pub vars: Vars,
    pub items: Vec<Item>,
    /// The file the pipeline came from, for located errors.
    pub source: Arc<Source>,
    /// [`Pipeline::reads_marks`], found once when the pipeline is read rather than for each rule.
    reads_marks: bool,
}

/// One processing item: a transformation and the conditions that gate it.
#[derive(Debug)]
pub struct Item {
    pub id: Option<String>,
    /// The `type:` it was read from.
    pub kind: transformation::TransformationType,
    pub transformation: Transformation,
    pub conditions: Conditions,
    /// The item's node in the pipeline file.
    pub span: Span,
}

/// What one rule's processing accumulates, shared by every pipeline applied to it.
pub struct Context<'a> {
    pub rule: &'a mut Rule,
    /// One working tree per condition expression of the rule.
    pub trees: Vec<Node>,
    pub vars: &'a Vars,
    pub state: State,
    /// Ids of the items whose rule conditions matched.
    pub applied: BTreeSet<String>,
    /// Ids of the items that renamed each (current) field name.
    pub field_applied: HashMap<String, BTreeSet<String>>,
    /// For a correlation (then `rule` carries only its metadata): the log sources of the rules it
    /// references; `None` for a rule.
    pub correlated: Option<&'a [LogSource]>,
    /// Whether some item's conditions read which items transformed a leaf or a field name; when
    /// none does, nothing records it.
    pub marks: bool,
}

impl<'a> Context<'a> {
    /// The processing of `rule`'s condition `trees` by `pipelines`, before any item ran.
    pub fn new(
        rule: &'a mut Rule,
        trees: Vec<Node>,
        vars: &'a Vars,
        pipelines: &[Pipeline],
        correlated: Option<&'a [LogSource]>,
    ) -> Self {
        Context {
            rule,
            trees,
            vars,
            state: State::new(),
            applied: BTreeSet::new(),
            field_applied: HashMap::new(),
            correlated,
            marks: pipelines.iter().any(Pipeline::reads_marks),
        }
    }

    /// The id that a leaf or a field name `item` transforms is marked with: the item's own, when
    /// marks are read at all.
    pub fn mark_id<'i>(&self, item: &'i Item) -> Option<&'i String> {
        item.id.as_ref().filter(|_| self.marks)
    }
}

impl Pipeline {
    /// A pipeline of `items`, read from `source`.
    pub fn new(
        name: String,
        priority: i64,
        allowed_backends: Vec<String>,
        vars: Vars,
        items: Vec<Item>,
        source: Arc<Source>,
    ) -> Self {
        let reads_marks = items.iter().any(|item| item.conditions.reads_marks());
        Pipeline {
            name,
            priority,
            allowed_backends,
            vars,
            items,
            source,
            reads_marks,
        }
    }

    /// Whether an item's detection-item or field-name conditions ask which items transformed a
    /// leaf or a field name (`processing_item_applied` at those levels).
    pub fn reads_marks(&self) -> bool {
        self.reads_marks
    }
}

/// Where an item sits, for messages: its pipeline and id.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub pipeline: &'a Pipeline,
    pub item: &'a Item,
}

impl At<'_> {
    /// The item, by its id or its position in the pipeline.
    pub fn item_ref(&self) -> PipelineItem {
        match &self.item.id {
            Some(id) => PipelineItem::Id(id.clone()),
            None => PipelineItem::Position(
                self.pipeline
                    .items
                    .iter()
                    .position(|i| std::ptr::eq(i, self.item))
                    .map_or(0, |p| p + 1),
            ),
        }
    }

    /// `pipeline `p` item `id`` (or the item's position when it has no id).
    pub fn describe(&self) -> String {
        format!("pipeline `{}` {}", self.pipeline.name, self.item_ref())
    }
}

/// Sorts pipelines as pySigma's resolver does: by priority, lowest first, then by name.
pub fn order(pipelines: &mut [Pipeline]) {
    pipelines.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| a.name.cmp(&b.name))
    });
}

/// The variables of `pipelines` merged in order (later wins), then `overrides` (e.g. `--var`).
pub fn merged_vars(pipelines: &[Pipeline], overrides: &Vars) -> Vars {
    let mut vars = Vars::new();
    for p in pipelines {
        vars.extend(p.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    vars.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
    vars
}

/// Applies `pipelines`, in the given order, to `rule` in place and returns the final state.
/// `vars` are the merged variables ([`merged_vars`]). Errors point at the rule's offending node
/// (or at the pipeline file, for a condition the pipeline added) and name the item.
pub fn apply(
    pipelines: &[Pipeline],
    vars: &Vars,
    rule: &mut Rule,
) -> Result<State, Vec<Diagnostic>> {
    run(pipelines, vars, rule, None)
}

/// [`apply`], recording in `trace`, when given, what each item did ([`trace::Step`]).
fn run(
    pipelines: &[Pipeline],
    vars: &Vars,
    rule: &mut Rule,
    mut trace: Option<&mut Vec<trace::Step>>,
) -> Result<State, Vec<Diagnostic>> {
    let conditions = std::mem::take(&mut rule.conditions);
    let trees = conditions.into_iter().map(Node::from_expr).collect();
    let mut cx = Context::new(rule, trees, vars, pipelines, None);
    let mut result = Ok(());
    'all: for pipeline in pipelines {
        for item in &pipeline.items {
            let at = At { pipeline, item };
            let step = match &mut trace {
                Some(steps) => trace::traced(&mut cx, at, steps, apply_item),
                None => apply_item(&mut cx, at),
            };
            if let Err(errors) = step {
                result = Err(errors);
                break 'all;
            }
        }
    }
    let Context {
        rule, trees, state, ..
    } = cx;
    let mut errors = match result {
        Ok(()) => Vec::new(),
        Err(e) => e,
    };
    for tree in trees {
        match tree.into_expr() {
            Some(expr) => rule.conditions.push(expr),
            None if errors.is_empty() => errors.push(Diagnostic::error(
                "pipeline_error",
                "the pipelines dropped every detection item of a condition",
                &rule.source,
                rule.span,
            )),
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(state)
    } else {
        Err(errors)
    }
}

/// Runs one item if its rule conditions match.
fn apply_item(cx: &mut Context<'_>, at: At<'_>) -> Result<(), Vec<Diagnostic>> {
    if !at.item.conditions.rule_matches(cx) {
        return Ok(());
    }
    if let Some(id) = &at.item.id {
        cx.applied.insert(id.clone());
    }
    use Transformation as T;
    match &at.item.transformation {
        T::Rename(rename) => fields::rename(cx, at, rename),
        T::HashesFields(h) => h.apply(cx, at),
        T::AddField(names) => {
            fields::add(cx, names);
            Ok(())
        }
        T::RemoveField(names) => {
            cx.rule.meta.fields.retain(|f| !names.contains(f));
            Ok(())
        }
        T::SetField(names) => {
            cx.rule.meta.fields = names.clone();
            Ok(())
        }
        T::DropDetectionItem => {
            detection_item::drop(cx, at);
            Ok(())
        }
        T::AddCondition(add) => add.apply(cx, at),
        T::ChangeLogsource {
            category,
            product,
            service,
        } => {
            rule::change_logsource(cx, category, product, service);
            Ok(())
        }
        T::SetState { key, val } => {
            cx.state.insert(key.clone(), val.clone());
            Ok(())
        }
        T::SetCustomAttribute { attribute, value } => {
            cx.rule.meta.custom.insert(attribute.clone(), value.clone());
            Ok(())
        }
        T::Rewrite(rewrite) => values::apply(cx, at, rewrite),
        T::ValuePlaceholders(selection) => placeholders::apply(cx, at, selection, Fill::Vars),
        T::WildcardPlaceholders(selection) => {
            placeholders::apply(cx, at, selection, Fill::Wildcard)
        }
        T::RuleFailure(message) => Err(vec![failure::rule(cx, at, message)]),
        T::DetectionItemFailure(message) => failure::detection_items(cx, at, message),
    }
}
