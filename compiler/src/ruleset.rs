//! The documents of one run, with the references between them resolved and the filters
//! applied.
//!
//! Each file compiles on its own (in parallel); a correlation or a filter may name documents of
//! any file of the run by `id` or `name`. [`RuleSet::resolve`] indexes every document once, then
//! checks each reference with a hash lookup and the correlation graph for cycles. A reference of
//! a correlation that names nothing, names several documents, names the wrong kind of document
//! or closes a cycle is a located error of the document that wrote it.
//!
//! A filter's references only select the rules it applies to, as in pySigma: one naming no rule
//! of the run applies to nothing, one naming several documents applies to each rule among them;
//! naming a correlation or a filter is an error. Every filter without errors is then ANDed into
//! each rule it applies to, in input order (pySigma `SigmaCollection.apply_filters`), so every
//! consumer of the set sees the filtered rules; the filter itself has nothing left to convert.

use crate::compile::Compiled;
use crate::diagnostic::Diagnostic;
use crate::ir::{Document, Expr, Filter, Rule, RuleRef};
use crate::limits::{MAX_FILTERED_NODES, MAX_NAMED_DOCUMENTS, Size};
use crate::span::Span;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A document's place in a [`RuleSet`]: its position in the documents given to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub usize);

/// The compiled documents of a run, indexed by id and name, their references checked.
#[derive(Debug)]
pub struct RuleSet {
    documents: Vec<Document>,
    /// Each `id` and `name` (once per document), and the documents that carry it.
    index: HashMap<String, Vec<DocId>>,
    /// The errors the run finds in each document: its references, and filters past their
    /// budget ([`MAX_FILTERED_NODES`]).
    errors: Vec<Vec<Diagnostic>>,
    /// Each filter without errors, the condition it adds and its size, in document order: kept
    /// to filter a rule given back to the set ([`RuleSet::reinstate`]).
    filters: Vec<(Filter, Expr, usize)>,
}

/// What each file of a run compiled to: per document, its id in the set or its front-end errors.
pub type Slots = Vec<Vec<Result<DocId, Vec<Diagnostic>>>>;

impl RuleSet {
    /// Indexes `documents` and resolves every reference between them.
    pub fn resolve(documents: Vec<Document>) -> RuleSet {
        let mut index: HashMap<String, Vec<DocId>> = HashMap::new();
        for (i, doc) in documents.iter().enumerate() {
            let meta = doc.meta();
            let mut keys: Vec<&String> = meta.id.iter().chain(&meta.name).collect();
            keys.dedup();
            for key in keys {
                index.entry(key.clone()).or_default().push(DocId(i));
            }
        }
        let mut set = RuleSet {
            errors: vec![Vec::new(); documents.len()],
            documents,
            index,
            filters: Vec::new(),
        };
        set.check_references();
        set.check_cycles();
        set.apply_filters();
        set
    }

    /// Resolves the documents of a run compiled file by file (`files`, in input order): each
    /// document that compiled is given its id in the set, one that did not keeps its errors.
    pub fn from_files(files: Vec<Vec<Compiled>>) -> (RuleSet, Slots) {
        let mut documents = Vec::new();
        let slots = files
            .into_iter()
            .map(|file| {
                file.into_iter()
                    .map(|compiled| {
                        compiled.map(|doc| {
                            documents.push(doc);
                            DocId(documents.len() - 1)
                        })
                    })
                    .collect()
            })
            .collect();
        (RuleSet::resolve(documents), slots)
    }

    /// Every document, in the order given.
    pub fn documents(&self) -> impl Iterator<Item = (DocId, &Document)> {
        self.documents
            .iter()
            .enumerate()
            .map(|(i, d)| (DocId(i), d))
    }

    /// Every rule (not correlation or filter), in the order given.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.documents.iter().filter_map(Document::as_rule)
    }

    pub fn get(&self, id: DocId) -> &Document {
        &self.documents[id.0]
    }

    /// The one document whose `id` or `name` is `reference`; `None` when none or several are.
    pub fn find(&self, reference: &str) -> Option<DocId> {
        match self.index.get(reference).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            Some(_) | None => None,
        }
    }

    /// `ids`, and every document their correlations reference, directly or through other
    /// correlations.
    pub fn with_references(&self, ids: &[DocId]) -> HashSet<DocId> {
        let mut needed: HashSet<DocId> = ids.iter().copied().collect();
        let mut pending = ids.to_vec();
        while let Some(id) = pending.pop() {
            if let Document::Correlation(c) = self.get(id) {
                let referenced = c.rules.iter().filter_map(|r| self.find(&r.reference));
                pending.extend(referenced.filter(|&t| needed.insert(t)));
            }
        }
        needed
    }

    /// The errors of a document in the run (empty when every reference resolved).
    pub fn errors(&self, id: DocId) -> &[Diagnostic] {
        &self.errors[id.0]
    }

    /// Every reference error, document by document.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors.iter().flatten()
    }

    /// Whether document `id` is a filter applied to the rules of the set: a consumer has nothing
    /// of its own to do with it. (A filter with reference errors is not applied; its errors are
    /// given by [`RuleSet::rule_for`].)
    pub fn is_applied_filter(&self, id: DocId) -> bool {
        matches!(self.get(id), Document::Filter(_)) && self.errors(id).is_empty()
    }

    /// The rule `id` for a consumer that handles rules only (`by`, e.g. "`sigc convert`"): its
    /// reference errors, or [`Document::rule_for`].
    pub fn rule_for(&self, id: DocId, by: &str) -> Result<&Arc<Rule>, Vec<Diagnostic>> {
        match self.errors(id) {
            [] => self.get(id).rule_for(by),
            errors => Err(errors.to_vec()),
        }
    }

    /// Every reference names exactly one document, of a kind that the referring one can use.
    fn check_references(&mut self) {
        for (i, doc) in self.documents.iter().enumerate() {
            for reference in doc.references() {
                let found = self.index.get(&reference.reference).map(Vec::as_slice);
                let errors = match (doc, found) {
                    (Document::Filter(_), None) => Vec::new(),
                    (Document::Filter(_), Some(targets)) => targets
                        .iter()
                        .filter_map(|t| wrong_kind(doc, reference, &self.documents[t.0]))
                        .collect(),
                    (Document::Rule(_) | Document::Correlation(_), None | Some([])) => {
                        vec![missing(doc, reference)]
                    }
                    (Document::Rule(_) | Document::Correlation(_), Some([one])) => {
                        wrong_kind(doc, reference, &self.documents[one.0])
                            .into_iter()
                            .collect()
                    }
                    (Document::Rule(_) | Document::Correlation(_), Some(several)) => {
                        vec![ambiguous(doc, reference, several, &self.documents)]
                    }
                };
                self.errors[i].extend(errors);
            }
        }
    }

    /// ANDs each filter without errors into every rule it applies to, in document order: each
    /// condition `c` of the rule becomes `c and f` (pySigma writes `(c) and (f)`), `f` being the
    /// filter's condition with its leaves pointing into the filter's file. Bounded by
    /// [`MAX_FILTERED_NODES`] over the whole set.
    fn apply_filters(&mut self) {
        self.filters = self
            .documents
            .iter()
            .zip(&self.errors)
            .filter_map(|(doc, errors)| match doc {
                Document::Filter(f) if errors.is_empty() => {
                    let added = f.added_condition();
                    let nodes = Size::of_expr(&added).nodes;
                    Some((Filter::clone(f), added, nodes))
                }
                Document::Filter(_) | Document::Rule(_) | Document::Correlation(_) => None,
            })
            .collect();
        let mut added = 0usize;
        for (doc, errors) in self.documents.iter_mut().zip(&mut self.errors) {
            let Document::Rule(shared) = doc else {
                continue;
            };
            for (filter, condition, nodes) in &self.filters {
                if !filter.applies_to(shared) {
                    continue;
                }
                added = added.saturating_add(nodes.saturating_mul(shared.conditions.len()));
                if added > MAX_FILTERED_NODES {
                    errors.push(filter_limit(filter));
                    break;
                }
                and_into(shared, condition);
            }
        }
    }

    /// Holds rule `id` as its [`Rule::outline`], to hold less memory: references and filters
    /// resolve the same, but the rule cannot be converted until [`RuleSet::reinstate`] gives it
    /// back. A correlation or a filter is always held whole.
    pub fn set_aside(&mut self, id: DocId) {
        if let Document::Rule(rule) = &mut self.documents[id.0] {
            *rule = Arc::new(rule.outline());
        }
    }

    /// Gives back rule `id`, set aside ([`RuleSet::set_aside`] or outlined before the set was
    /// made), compiled again: it is filtered as its outline was. `None`, or a rule that its
    /// outline does not outline (its file changed during the run), leaves the outline in place
    /// and refuses the rule with a `file_changed` error.
    pub fn reinstate(&mut self, id: DocId, rule: Option<Arc<Rule>>) {
        let Document::Rule(outline) = &self.documents[id.0] else {
            return;
        };
        let Some(mut rule) = rule.filter(|rule| outline.outlines(rule)) else {
            let error = changed(outline);
            self.errors[id.0].push(error);
            return;
        };
        // a rule past the filters' budget is refused, whatever its conditions
        if self.errors[id.0].is_empty() {
            for (filter, condition, _) in &self.filters {
                if filter.applies_to(&rule) {
                    and_into(&mut rule, condition);
                }
            }
        }
        self.documents[id.0] = Document::Rule(rule);
    }

    /// No correlation reaches itself through its `rules`. Each cycle is reported once, at the
    /// reference that closes it (depth first, in document order, without recursion).
    fn check_cycles(&mut self) {
        for (at, error) in self.cycles() {
            self.errors[at].push(error);
        }
    }

    fn cycles(&self) -> Vec<(usize, Diagnostic)> {
        let edges: Vec<Vec<(&RuleRef, usize)>> = self
            .documents
            .iter()
            .map(|doc| match doc {
                Document::Correlation(c) => c
                    .rules
                    .iter()
                    .filter_map(|r| self.find(&r.reference).map(|t| (r, t.0)))
                    .filter(|&(_, t)| matches!(self.documents[t], Document::Correlation(_)))
                    .collect(),
                Document::Rule(_) | Document::Filter(_) => Vec::new(),
            })
            .collect();
        #[derive(Clone, Copy, PartialEq)]
        enum Visit {
            New,
            Open,
            Done,
        }
        let mut state = vec![Visit::New; self.documents.len()];
        let mut depth = vec![0; self.documents.len()];
        let mut found = Vec::new();
        for start in 0..self.documents.len() {
            if state[start] != Visit::New || edges[start].is_empty() {
                continue;
            }
            state[start] = Visit::Open;
            // (document, its next edge to follow); `depth` is each open document's place in it
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            depth[start] = 0;
            while let Some(top) = stack.last_mut() {
                let (doc, next) = *top;
                let Some(&(reference, target)) = edges[doc].get(next) else {
                    state[doc] = Visit::Done;
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                match state[target] {
                    Visit::New => {
                        state[target] = Visit::Open;
                        depth[target] = stack.len();
                        stack.push((target, 0));
                    }
                    Visit::Open => {
                        let path = stack[depth[target]..].iter().map(|&(d, _)| d);
                        let names = path.chain([target]).map(|d| label(&self.documents[d]));
                        let message = format!(
                            "correlations refer to each other in a cycle: {}",
                            shortened(names, stack.len() - depth[target] + 1, " → ")
                        );
                        let doc_ref = &self.documents[doc];
                        found.push((doc, error(doc_ref, "reference_cycle", message, reference)));
                    }
                    Visit::Done => {}
                }
            }
        }
        found
    }
}

/// How a message names a document: its name, else its id, else its title.
fn label(doc: &Document) -> String {
    let meta = doc.meta();
    let text = meta
        .name
        .as_ref()
        .or(meta.id.as_ref())
        .unwrap_or(&meta.title);
    format!("`{text}`")
}

/// The first [`MAX_NAMED_DOCUMENTS`] of the `total` `names` joined by `separator`, then how many
/// are left.
fn shortened(names: impl Iterator<Item = String>, total: usize, separator: &str) -> String {
    let shown: Vec<String> = names.take(MAX_NAMED_DOCUMENTS).collect();
    let mut text = shown.join(separator);
    if total > shown.len() {
        text.push_str(&format!("{separator}… ({} more)", total - shown.len()));
    }
    text
}

fn error(doc: &Document, code: &'static str, message: String, at: &RuleRef) -> Diagnostic {
    Diagnostic::error(code, message, doc.source(), at.span)
}

/// ANDs a filter's `condition` into each condition of `rule`.
fn and_into(rule: &mut Arc<Rule>, condition: &Expr) {
    for c in &mut Arc::make_mut(rule).conditions {
        let original = std::mem::replace(c, Expr::And(Vec::new()));
        *c = Expr::And(vec![original, condition.clone()]);
    }
}

/// The error of a rule that was set aside and is no longer in its file as the run resolved it.
fn changed(outline: &Rule) -> Diagnostic {
    Diagnostic::error(
        "file_changed",
        format!(
            "rule `{}` is no longer in this file as it was when the run began (the file changed \
             during the run, which reads the rules of a large run again to convert them); it is \
             not converted",
            outline.meta.title
        ),
        &outline.source,
        Span::new(0, 0),
    )
    .with_help("convert again once the file no longer changes")
}

/// The filter's copies into the run's rules would pass [`MAX_FILTERED_NODES`].
fn filter_limit(filter: &Filter) -> Diagnostic {
    Diagnostic::error(
        "limit_exceeded",
        format!(
            "the filters of this run add more than {MAX_FILTERED_NODES} nodes to its rules; this filter is not applied to this rule, which is not converted"
        ),
        &filter.source,
        filter.keyword,
    )
}

fn missing(doc: &Document, reference: &RuleRef) -> Diagnostic {
    error(
        doc,
        "unknown_reference",
        format!(
            "no document of this run has the id or name `{}`",
            reference.reference
        ),
        reference,
    )
    .with_help("add the file that defines it to the inputs, or fix the reference")
}

fn ambiguous(
    doc: &Document,
    reference: &RuleRef,
    several: &[DocId],
    documents: &[Document],
) -> Diagnostic {
    let names = several.iter().map(|id| {
        let d = &documents[id.0];
        format!("{} `{}` in {}", d.kind(), d.meta().title, d.source().name)
    });
    error(
        doc,
        "ambiguous_reference",
        format!(
            "`{}` is the id or name of {} documents of this run: {}",
            reference.reference,
            several.len(),
            shortened(names, several.len(), "; ")
        ),
        reference,
    )
    .with_help("ids and names must be unique across the inputs")
}

/// A correlation correlates rules and correlations; a filter applies to rules.
fn wrong_kind(doc: &Document, reference: &RuleRef, target: &Document) -> Option<Diagnostic> {
    let message = match (doc, target) {
        (Document::Correlation(_), Document::Filter(_)) => {
            "a correlation correlates rules and correlations, not filters"
        }
        (Document::Filter(_), Document::Correlation(_) | Document::Filter(_)) => {
            "a filter applies to rules only"
        }
        (Document::Correlation(_), Document::Rule(_) | Document::Correlation(_))
        | (Document::Filter(_), Document::Rule(_))
        | (Document::Rule(_), _) => return None,
    };
    let what = format!(
        "`{}` is a {}: {message}",
        reference.reference,
        target.kind()
    );
    Some(error(doc, "invalid_reference", what, reference))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;

    const RULE_A: &str = "title: Failed Logon\nname: failed_logon\nid: 0e95725d-7320-415d-80f7-004da920fc11\nlogsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 4625}\n  condition: sel\n";
    const RULE_B: &str = "title: Successful Logon\nname: successful_logon\nlogsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 4624}\n  condition: sel\n";

    fn correlation(name: &str, rules: &[&str]) -> String {
        format!(
            "title: {name}\nname: {name}\ncorrelation:\n  type: temporal\n  rules: [{}]\n  group-by: [User]\n  timespan: 5m\n",
            rules.join(", ")
        )
    }

    /// Compiles each text as one file and resolves them together.
    fn resolve(files: &[&str]) -> (RuleSet, Slots) {
        let compiled = files
            .iter()
            .enumerate()
            .map(|(i, text)| crate::compile(&Source::new(format!("f{i}.yml"), *text)))
            .collect();
        RuleSet::from_files(compiled)
    }

    /// Each reference error: its code and the text it points at.
    fn errors(set: &RuleSet) -> Vec<(&'static str, String)> {
        set.diagnostics()
            .map(|d| {
                let text = &d.source.as_ref().expect("a file").text;
                let span = d.span.expect("located");
                (d.code, text[span.start..span.end].to_string())
            })
            .collect()
    }

    #[test]
    fn references_resolve_by_id_and_by_name_across_files() {
        let c = correlation(
            "c",
            &["0e95725d-7320-415d-80f7-004da920fc11", "successful_logon"],
        );
        let (set, slots) = resolve(&[&format!("{RULE_A}---\n{c}"), RULE_B]);
        assert_eq!(errors(&set), []);
        assert_eq!(set.rules().count(), 2);
        let ids: Vec<DocId> = slots
            .iter()
            .flatten()
            .map(|s| *s.as_ref().expect("compiled"))
            .collect();
        assert_eq!(ids, [DocId(0), DocId(1), DocId(2)]);
        assert_eq!(set.find("failed_logon"), Some(DocId(0)));
        assert_eq!(
            set.find("0e95725d-7320-415d-80f7-004da920fc11"),
            Some(DocId(0))
        );
        assert_eq!(set.find("successful_logon"), Some(DocId(2)));
        let Document::Correlation(corr) = set.get(DocId(1)) else {
            panic!("the correlation")
        };
        let targets: Vec<Option<DocId>> =
            corr.rules.iter().map(|r| set.find(&r.reference)).collect();
        assert_eq!(targets, [Some(DocId(0)), Some(DocId(2))]);
        let unsupported = set
            .rule_for(DocId(1), "`sigc convert`")
            .expect_err("not a rule");
        assert_eq!(unsupported[0].code, "unsupported_document");
        assert!(set.rule_for(DocId(2), "`sigc convert`").is_ok());
    }

    #[test]
    fn a_rule_set_aside_is_refused_until_it_is_given_back() {
        let (mut set, _) = resolve(&[RULE_A, RULE_B]);
        let whole = Arc::clone(set.rule_for(DocId(0), "x").expect("a rule"));
        set.set_aside(DocId(0));
        let refused = set.rule_for(DocId(0), "x").expect_err("an outline");
        assert_eq!(refused[0].code, "internal_error");
        set.reinstate(DocId(0), Some(whole));
        assert!(set.rule_for(DocId(0), "x").is_ok());
        // a rule that is not the one set aside is refused, and its outline stays
        set.set_aside(DocId(1));
        let other = Arc::clone(set.rule_for(DocId(0), "x").expect("a rule"));
        set.reinstate(DocId(1), Some(other));
        let changed = set.rule_for(DocId(1), "x").expect_err("another rule");
        assert_eq!(changed[0].code, "file_changed");
    }

    #[test]
    fn a_missing_reference_is_located() {
        let (set, _) = resolve(&[RULE_A, &correlation("c", &["failed_logon", "nowhere"])]);
        assert_eq!(errors(&set), [("unknown_reference", "nowhere".to_string())]);
        assert_eq!(
            set.rule_for(DocId(1), "x").expect_err("refused")[0].code,
            "unknown_reference"
        );
    }

    #[test]
    fn an_ambiguous_reference_is_located() {
        let twin = RULE_B.replace("Successful", "Other");
        let (set, _) = resolve(&[RULE_B, &twin, &correlation("c", &["successful_logon"])]);
        assert_eq!(
            errors(&set),
            [("ambiguous_reference", "successful_logon".to_string())]
        );
        assert_eq!(set.find("successful_logon"), None);
        let message = &set.diagnostics().next().expect("one").message;
        assert!(
            message.contains("rule `Successful Logon` in f0.yml; rule `Other Logon` in f1.yml"),
            "{message}"
        );
    }

    #[test]
    fn cycles_are_reported_once_at_the_closing_reference() {
        let (set, _) = resolve(&[
            RULE_A,
            &correlation("a", &["failed_logon", "b"]),
            &correlation("b", &["a"]),
            &correlation("self", &["self"]),
            &correlation("top", &["a"]),
        ]);
        assert_eq!(
            errors(&set),
            [
                ("reference_cycle", "a".to_string()),
                ("reference_cycle", "self".to_string())
            ]
        );
        let messages: Vec<&str> = set.diagnostics().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "correlations refer to each other in a cycle: `a` → `b` → `a`",
                "correlations refer to each other in a cycle: `self` → `self`"
            ]
        );
        assert!(
            set.errors(DocId(4)).is_empty(),
            "a correlation above a cycle is not part of it"
        );
    }

    #[test]
    fn a_long_cycle_names_its_first_documents_only() {
        let names: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
        let files: Vec<String> = (0..20)
            .map(|i| correlation(&names[i], &[&names[(i + 1) % 20]]))
            .collect();
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        let (set, _) = resolve(&files);
        let messages: Vec<&str> = set.diagnostics().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "correlations refer to each other in a cycle: `c0` → `c1` → `c2` → `c3` → `c4` → `c5` → `c6` → `c7` → … (13 more)"
            ]
        );
    }

    #[test]
    fn references_name_the_right_kind_of_document() {
        let filter = "title: f\nname: f\nlogsource: {product: windows}\nfilter:\n  rules: [c]\n  sel: {User: x}\n  condition: not sel\n";
        let (set, _) = resolve(&[RULE_A, &correlation("c", &["failed_logon", "f"]), filter]);
        assert_eq!(
            errors(&set),
            [
                ("invalid_reference", "f".to_string()),
                ("invalid_reference", "c".to_string())
            ]
        );
        let messages: Vec<&str> = set.diagnostics().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`f` is a filter: a correlation correlates rules and correlations, not filters",
                "`c` is a correlation: a filter applies to rules only"
            ]
        );
    }

    #[test]
    fn a_filter_selects_rules_by_reference_without_errors_and_is_anded_into_them() {
        let filter = "title: f\nlogsource: {product: windows}\nfilter:\n  rules: [successful_logon, nowhere]\n  sel: {User: x}\n  condition: not sel\n";
        let twin = RULE_B.replace("Successful", "Other");
        let (set, _) = resolve(&[RULE_A, RULE_B, &twin, filter]);
        assert_eq!(
            errors(&set),
            [],
            "unknown and shared names only select rules"
        );
        assert!(set.is_applied_filter(DocId(3)));
        let conditions = |id| match set.get(DocId(id)) {
            Document::Rule(r) => r.conditions.clone(),
            other => panic!("a {}", other.kind()),
        };
        let unfiltered = conditions(0);
        assert!(
            matches!(unfiltered.as_slice(), [Expr::Match(_)]),
            "not listed"
        );
        for id in [1, 2] {
            let filtered = conditions(id);
            let [Expr::And(parts)] = filtered.as_slice() else {
                panic!("filtered: {filtered:?}")
            };
            let [Expr::Match(_), Expr::Not(added)] = parts.as_slice() else {
                panic!("`rule and not sel`: {parts:?}")
            };
            let Expr::Match(m) = added.as_ref() else {
                panic!("one match")
            };
            let source = m.origin.source(set.get(DocId(id)).source());
            assert_eq!(source.name, "f3.yml", "the leaf points into the filter");
            assert_eq!(&filter[m.origin.span().start..m.origin.span().end], "x");
        }
    }

    #[test]
    fn a_filter_over_another_log_source_does_not_apply() {
        let filter = "title: f\nlogsource: {product: windows, category: process_creation}\nfilter:\n  rules: any\n  sel: {User: x}\n  condition: not sel\n";
        let (set, _) = resolve(&[RULE_A, filter]);
        let Document::Rule(rule) = set.get(DocId(0)) else {
            panic!("a rule")
        };
        assert!(matches!(rule.conditions.as_slice(), [Expr::Match(_)]));
    }

    #[test]
    fn alias_rule_names_are_references() {
        let c = format!(
            "{}  aliases:\n    ip:\n      failed_logon: IpAddress\n      missing_rule: SourceIp\n",
            correlation("c", &["failed_logon"])
        );
        let (set, _) = resolve(&[RULE_A, &c]);
        assert_eq!(
            errors(&set),
            [("unknown_reference", "missing_rule".to_string())]
        );
    }
}
