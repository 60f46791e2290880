//! The conversion plan: one target, its pipelines in order, their variables, its correlation
//! method and the output layout, built once per run. [`convert`] takes every rule through the
//! same steps (pipelines, backend, the format's checks), in parallel, then writes each
//! correlation, its field names mapped by the same pipelines, from the queries of what it
//! references; the command line, its export, the CAR formats' other implementations and the
//! conformance tests all convert through it.

use crate::correlation::{Method, Referenced};
use crate::format::{self, Compiled, Layout};
use crate::{Options, Query, Target};
use rayon::prelude::*;
use sigc_compiler::ir::{Correlation, Document, LogSource, Meta, Rule, RuleRef};
use sigc_compiler::limits::MAX_CORRELATION_DEPTH;
use sigc_compiler::span::Span;
use sigc_compiler::{Diagnostic, DocId, RuleSet, Source};
use sigc_pipeline::{Pipeline, State, Vars, builtins, map_correlation_fields};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// Everything one target needs after the front end.
pub struct Plan {
    /// The target converted to.
    pub target: &'static dyn Target,
    /// In the order they are applied.
    pipelines: Vec<Pipeline>,
    /// The pipelines' variables, overridden by the user's.
    vars: Vars,
    /// What the converted rules are rendered with, and checked against (private: its template
    /// is compiled once, into `compiled`).
    layout: Layout,
    /// How correlations are written: the target's method, `None` when it has none.
    pub method: Option<&'static Method>,
    /// The target's backend options (`-O`), read by the formats.
    pub options: Options,
    /// The layout's template, compiled when first used, for every render of the run.
    compiled: OnceLock<Result<Compiled, String>>,
}

/// One rule after pipelines and conversion, or one correlation over such rules, ready to be
/// rendered.
pub struct Converted {
    /// What was converted.
    pub subject: Subject,
    /// One query per condition of a rule (a correlation has one), in parts.
    pub queries: Arc<[Query]>,
    /// The pipeline state left for this rule (empty for a correlation).
    pub state: State,
    /// Whether it is written on its own: not for a rule that a correlation uses without
    /// `generate: true` (pySigma's rule). It is still converted, so its errors are reported.
    pub output: bool,
}

/// A converted document.
pub enum Subject {
    Rule {
        /// The rule after the pipelines: the compiled rule itself when no pipeline ran.
        rule: Arc<Rule>,
        /// The rule as compiled, before any pipeline (the CAR formats convert it for other
        /// targets).
        original: Arc<Rule>,
    },
    Correlation(Box<Correlation>),
}

impl Converted {
    /// A rule converted by `plan`-like steps, written on its own.
    pub fn rule(rule: Arc<Rule>, original: Arc<Rule>, queries: Vec<Query>, state: State) -> Self {
        Converted {
            subject: Subject::Rule { rule, original },
            queries: queries.into(),
            state,
            output: true,
        }
    }

    /// The rule, if it is one.
    pub fn as_rule(&self) -> Option<&Rule> {
        match &self.subject {
            Subject::Rule { rule, .. } => Some(rule),
            Subject::Correlation(_) => None,
        }
    }

    pub fn meta(&self) -> &Meta {
        match &self.subject {
            Subject::Rule { rule, .. } => &rule.meta,
            Subject::Correlation(c) => &c.meta,
        }
    }

    /// The file it came from.
    pub fn source(&self) -> &Arc<Source> {
        match &self.subject {
            Subject::Rule { rule, .. } => &rule.source,
            Subject::Correlation(c) => &c.source,
        }
    }

    /// The whole document.
    pub fn span(&self) -> Span {
        match &self.subject {
            Subject::Rule { rule, .. } => rule.span,
            Subject::Correlation(c) => c.span,
        }
    }
}

/// A document a correlation references: the reference, its conversion, its queries without
/// the closing `table`, and where it is in the set.
type Input<'a> = (&'a RuleRef, &'a Converted, Vec<Query>, Option<DocId>);

/// What became of one document: converted, or the located errors of the step that refused it.
pub type Outcome = Result<Converted, Vec<Diagnostic>>;

/// Every document of `set` through `plan`: one outcome per document, in the set's order
/// ([`Conversion::convert`] of them all).
pub fn convert(set: &RuleSet, plan: &Plan) -> Vec<Outcome> {
    let ids: Vec<DocId> = set.documents().map(|(id, _)| id).collect();
    Conversion::new(set).convert(set, plan, &ids)
}

/// What converting a rule set needs to know of it as a whole, so that it converts whole or part
/// by part (an export converts a chunk of files at a time, so that their outputs never pile up,
/// and may give the set back rules it set aside in between): the rules that only correlations
/// write, and the order in which correlations convert.
pub struct Conversion {
    hidden: HashSet<DocId>,
    correlations: Vec<DocId>,
}

impl Conversion {
    pub fn new(set: &RuleSet) -> Self {
        Conversion {
            hidden: hidden(set),
            correlations: correlation_order(set),
        }
    }

    /// The documents `ids` (each once) through `plan`: one outcome each, in order. The rules
    /// convert in parallel; then each correlation, after the documents it references (converted
    /// with it when they are not among `ids`), from their queries ([`Target::correlation`]). A
    /// document with a reference error, or a filter, is refused.
    /// `set` is the set this conversion was made from, with the same references.
    pub fn convert(&self, set: &RuleSet, plan: &Plan, ids: &[DocId]) -> Vec<Outcome> {
        let needed = set.with_references(ids);
        let mut outcomes: HashMap<DocId, Outcome> = needed
            .par_iter()
            .filter_map(|&id| match set.get(id) {
                Document::Correlation(_) if set.errors(id).is_empty() => None,
                Document::Rule(_) | Document::Correlation(_) | Document::Filter(_) => {
                    let outcome = set.rule_for(id, "`sigc convert`").and_then(|rule| {
                        plan.convert(rule).map(|mut c| {
                            c.output = !self.hidden.contains(&id);
                            c
                        })
                    });
                    Some((id, outcome))
                }
            })
            .collect();
        // How many correlations each one stacks, itself included (0 for other documents).
        let mut depth: HashMap<DocId, usize> = HashMap::new();
        let correlations = self.correlations.iter().filter(|id| needed.contains(id));
        for &id in correlations {
            let Document::Correlation(c) = set.get(id) else {
                continue;
            };
            let deepest = c
                .rules
                .iter()
                .filter_map(|r| {
                    let t = set.find(&r.reference)?;
                    Some((r, depth.get(&t).copied().unwrap_or(0)))
                })
                .max_by_key(|&(_, d)| d);
            depth.insert(id, deepest.map_or(0, |(_, d)| d) + 1);
            let outcome = match deepest {
                Some((r, d)) if d >= MAX_CORRELATION_DEPTH => Err(vec![too_deep(c, r)]),
                Some(_) | None => plan.correlate(set, c, &outcomes),
            };
            outcomes.insert(id, outcome);
        }
        ids.iter()
            .map(|id| {
                outcomes
                    .remove(id)
                    .expect("each correlation without reference errors is in correlation_order")
            })
            .collect()
    }
}

/// The error of a correlation whose reference `r` crosses [`MAX_CORRELATION_DEPTH`].
fn too_deep(c: &Correlation, r: &RuleRef) -> Diagnostic {
    Diagnostic::error(
        "limit_exceeded",
        format!(
            "`{}` stacks {MAX_CORRELATION_DEPTH} correlations already; a correlation over it is \
             deeper than sigc writes",
            r.reference
        ),
        &c.source,
        r.span,
    )
    .with_help("correlate the base rules of the chain directly")
}

/// The log sources, after their pipelines, of the rules that `c` references, directly or through
/// the correlations it references (what a pipeline's `logsource` condition sees on `c`).
fn logsources(
    set: &RuleSet,
    c: &Correlation,
    outcomes: &HashMap<DocId, Outcome>,
) -> Vec<LogSource> {
    let mut seen: HashSet<DocId> = HashSet::new();
    let mut pending: Vec<&RuleRef> = c.rules.iter().collect();
    let mut found = Vec::new();
    while let Some(r) = pending.pop() {
        let Some(id) = set.find(&r.reference).filter(|&id| seen.insert(id)) else {
            continue;
        };
        if let Some(Ok(converted)) = outcomes.get(&id) {
            match &converted.subject {
                Subject::Rule { rule, .. } => found.push(rule.logsource.clone()),
                Subject::Correlation(inner) => pending.extend(&inner.rules),
            }
        }
    }
    found
}

/// The rules that a correlation without `generate: true` references: pySigma writes them only
/// as part of the correlation (a referenced correlation is still written).
fn hidden(set: &RuleSet) -> HashSet<DocId> {
    set.documents()
        .filter_map(|(_, doc)| match doc {
            Document::Correlation(c) if !c.generate => Some(c),
            Document::Correlation(_) | Document::Rule(_) | Document::Filter(_) => None,
        })
        .flat_map(|c| c.rules.iter().filter_map(|r| set.find(&r.reference)))
        .filter(|id| matches!(set.get(*id), Document::Rule(_)))
        .collect()
}

/// The correlations without reference errors, each after the correlations it references (depth
/// first, without recursion; the reference errors already exclude cycles).
fn correlation_order(set: &RuleSet) -> Vec<DocId> {
    let pending = |id: DocId| match set.get(id) {
        Document::Correlation(c) if set.errors(id).is_empty() => Some(&**c),
        Document::Correlation(_) | Document::Rule(_) | Document::Filter(_) => None,
    };
    let mut placed: HashSet<DocId> = HashSet::new();
    let mut order = Vec::new();
    for (start, _) in set.documents() {
        let Some(first) = pending(start).filter(|_| !placed.contains(&start)) else {
            continue;
        };
        let mut open: HashSet<DocId> = HashSet::from([start]);
        // (correlation, its next reference to follow)
        let mut stack = vec![(start, first, 0)];
        while let Some(top) = stack.last_mut() {
            let (id, c, next) = *top;
            match c.rules.get(next) {
                Some(r) => {
                    top.2 += 1;
                    let target = set.find(&r.reference);
                    if let Some((t, inner)) = target.and_then(|t| pending(t).map(|c| (t, c)))
                        && !placed.contains(&t)
                        && open.insert(t)
                    {
                        stack.push((t, inner, 0));
                    }
                }
                None => {
                    stack.pop();
                    placed.insert(id);
                    order.push(id);
                }
            }
        }
    }
    order
}

/// The default pipelines of `target`, loaded.
pub fn default_pipelines(target: &dyn Target) -> Result<Vec<Pipeline>, Vec<Diagnostic>> {
    target
        .default_pipelines()
        .iter()
        .map(|name| match builtins::builtin(name) {
            Some(b) => b.load(),
            None => Err(vec![Diagnostic::unlocated(
                "unknown_pipeline",
                format!(
                    "target `{}` names `{name}`, which is not a built-in pipeline",
                    target.name()
                ),
            )]),
        })
        .collect()
}

impl Plan {
    /// A plan applying `pipelines` (ordered here by priority, then name) with their variables
    /// overridden by `vars`.
    pub fn new(
        target: &'static dyn Target,
        mut pipelines: Vec<Pipeline>,
        vars: &Vars,
        layout: Layout,
    ) -> Plan {
        sigc_pipeline::order(&mut pipelines);
        let vars = sigc_pipeline::merged_vars(&pipelines, vars);
        Plan {
            target,
            pipelines,
            vars,
            layout,
            method: target.correlation_methods().first(),
            options: Options::defaults(target.options()),
            compiled: OnceLock::new(),
        }
    }

    /// The pipelines, in the order they are applied.
    pub fn pipelines(&self) -> &[Pipeline] {
        &self.pipelines
    }

    /// The pipelines' variables, overridden by the user's.
    pub fn vars(&self) -> &Vars {
        &self.vars
    }

    /// The target's default pipelines and its default format.
    pub fn defaults(target: &'static dyn Target) -> Result<Plan, Vec<Diagnostic>> {
        let pipelines = default_pipelines(target)?;
        Ok(Plan::new(
            target,
            pipelines,
            &Vars::new(),
            Layout::Builtin(&format::DEFAULT),
        ))
    }

    /// `original` after the plan's pipelines, with the state they left; `original` itself,
    /// shared, when the plan has no pipeline.
    pub fn process(
        &self,
        original: &Arc<Rule>,
    ) -> Result<(Arc<Rule>, sigc_pipeline::State), Vec<Diagnostic>> {
        if self.pipelines.is_empty() {
            return Ok((Arc::clone(original), State::new()));
        }
        let mut rule = Rule::clone(original);
        let state = sigc_pipeline::apply(&self.pipelines, &self.vars, &mut rule)?;
        Ok((Arc::new(rule), state))
    }

    /// Pipelines, conversion and the format's checks for one rule.
    pub fn convert(&self, original: &Arc<Rule>) -> Outcome {
        let (rule, state) = self.process(original)?;
        let queries = self.target.queries(&rule).map_err(|e| vec![e])?;
        self.checked(Converted::rule(rule, Arc::clone(original), queries, state))
    }

    /// Correlation `c` of `set`, from the outcomes of the documents it references (each already
    /// converted by this plan) and with its field names mapped by the plan's pipelines: the
    /// target's queries for it, or the located error of the first reference that did not convert
    /// or of its pipelines.
    pub fn correlate(
        &self,
        set: &RuleSet,
        c: &Correlation,
        outcomes: &HashMap<DocId, Outcome>,
    ) -> Outcome {
        if let Layout::Builtin(f) = &self.layout {
            f.check_correlation(c).map_err(|e| vec![e])?;
        }
        let (c, inputs) = match self.method {
            // A target without a method refuses every correlation, whatever it references.
            None => (Cow::Borrowed(c), Vec::new()),
            Some(_) => {
                let inputs = self.inputs(set, c, outcomes)?;
                let referenced = logsources(set, c, outcomes);
                let mapped = map_correlation_fields(&self.pipelines, &self.vars, c, &referenced)?;
                (Cow::Owned(mapped), inputs)
            }
        };
        let c = &*c;
        let referenced: Vec<Referenced<'_>> = inputs
            .iter()
            .map(|(r, converted, queries, id)| {
                let meta = converted.meta();
                Referenced {
                    name: meta
                        .name
                        .as_deref()
                        .or(meta.id.as_deref())
                        .unwrap_or(&r.reference),
                    at: r,
                    queries,
                    correlation: converted.as_rule().is_none(),
                    renames: c
                        .aliases
                        .iter()
                        .flat_map(|a| {
                            a.fields
                                .iter()
                                .filter(|(rule, _)| set.find(&rule.reference) == *id)
                                .map(move |(_, field)| (field, &a.name))
                        })
                        .collect(),
                }
            })
            .collect();
        let queries = self
            .target
            .correlation(c, self.method, &referenced)
            .map_err(|e| vec![e])?;
        self.checked(Converted {
            subject: Subject::Correlation(Box::new(c.clone())),
            queries: queries.into(),
            state: State::default(),
            output: true,
        })
    }

    /// The documents correlation `c` references, each with its queries without the closing
    /// `table`; or the located error of the first that did not convert.
    fn inputs<'a>(
        &self,
        set: &RuleSet,
        c: &'a Correlation,
        outcomes: &'a HashMap<DocId, Outcome>,
    ) -> Result<Vec<Input<'a>>, Vec<Diagnostic>> {
        let mut inputs = Vec::with_capacity(c.rules.len());
        for r in &c.rules {
            let id = set.find(&r.reference);
            let Some(Ok(converted)) = id.and_then(|id| outcomes.get(&id)) else {
                return Err(vec![
                    Diagnostic::error(
                        "reference_failed",
                        format!(
                            "`{}` did not convert for target `{}`, so this correlation cannot",
                            r.reference,
                            self.target.name()
                        ),
                        &c.source,
                        r.span,
                    )
                    .with_help("its own errors are reported with it"),
                ]);
            };
            let queries: Vec<Query> = converted
                .queries
                .iter()
                .map(|q| Query {
                    table: None,
                    ..q.clone()
                })
                .collect();
            inputs.push((r, converted, queries, id));
        }
        Ok(inputs)
    }

    /// `converted`, if the format can carry it.
    fn checked(&self, converted: Converted) -> Outcome {
        if let Layout::Builtin(f) = &self.layout {
            let compiled = self.compiled().as_ref().map_err(String::as_str);
            f.check(compiled, self.target.name(), &self.options, &converted)
                .map_err(|e| vec![e])?;
        }
        Ok(converted)
    }

    /// Renders the converted documents written on their own with this plan's layout.
    pub fn render(&self, converted: &[Converted]) -> Result<String, String> {
        let shown: Vec<&Converted> = converted.iter().filter(|c| c.output).collect();
        let compiled = self.compiled().as_ref().map_err(Clone::clone);
        compiled
            .and_then(|compiled| {
                let target = self.target.name();
                self.layout.render(compiled, target, &self.options, &shown)
            })
            .map_err(|e| format!("template error: {e}"))
    }

    /// What the converted rules are rendered with.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The layout's template, compiled once.
    fn compiled(&self) -> &Result<Compiled, String> {
        self.compiled.get_or_init(|| self.layout.compile())
    }

    /// The extension of a file of rendered rules: the format's, else the target's (`txt` for a
    /// user's template, which may write anything).
    pub fn extension(&self) -> &'static str {
        match &self.layout {
            Layout::Builtin(f) => f.extension.unwrap_or(self.target.extension()),
            Layout::User { .. } => "txt",
        }
    }
}

#[cfg(test)]
mod tests;
