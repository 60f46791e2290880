//! The front end's entry point: a source file to compiled documents (rules, correlations,
//! filters), each on its own.

use crate::collection;
use crate::diagnostic::{Diagnostic, Source};
use crate::ir::{Document, Rule};
use crate::limits::Budget;
use crate::lower::lower_conditions;
use crate::model::{Errors, correlation, detection, filter, meta, test_cases};
use crate::span::Span;
use crate::yaml::{self, Node};
use std::sync::Arc;

/// The outcome for one YAML document: the document, or every error found in it.
pub type Compiled = Result<Document, Vec<Diagnostic>>;

/// Compiles every document of `source`, after its legacy collection actions
/// ([`collection::resolve`]). A file that is not valid YAML gives one `Err`.
pub fn compile(source: &Arc<Source>) -> Vec<Compiled> {
    match yaml::load(source) {
        Err(e) => vec![Err(vec![e])],
        Ok(docs) if docs.is_empty() => vec![Err(vec![Diagnostic::error(
            "empty_file",
            "file holds no YAML document",
            source,
            Span::new(0, 0),
        )])],
        Ok(docs) => {
            let mut budget = Budget::new();
            let docs = collection::resolve(source, docs);
            // A new vector: collected in place, the documents would keep the YAML documents'
            // larger buffer for their whole life.
            let mut compiled = Vec::with_capacity(docs.len());
            compiled.extend(docs.into_iter().map(|doc| match doc {
                Ok(doc) => compile_document(source, &doc, &mut budget),
                Err(e) => Err(vec![e]),
            }));
            compiled
        }
    }
}

/// Compiles every document of `source` for a consumer that handles rules only (`by`, e.g.
/// "`sigc test`"): a correlation or a filter is its one `unsupported_document` error.
pub fn compile_rules(source: &Arc<Source>, by: &str) -> Vec<Result<Rule, Vec<Diagnostic>>> {
    compile(source)
        .into_iter()
        .map(|c| c.and_then(|d| d.into_rule(by)))
        .collect()
}

/// Compiles one YAML document, charging what it builds to `budget` (one per file).
pub fn compile_document(
    source: &Arc<Source>,
    doc: &yaml::Document,
    budget: &mut Budget,
) -> Compiled {
    let root = doc.root();
    let mut errors = Errors::new(source, budget);
    if errors.budget.exhausted() {
        errors.add(
            "limit_exceeded",
            "an earlier rule of this file used up the file's budget (see above); this rule is not read",
            root.span(),
        );
        return Err(errors.list);
    }
    if !root.is_map() {
        errors.add(
            "invalid_rule",
            format!("a rule must be a YAML map, not {}", root.kind()),
            root.span(),
        );
        return Err(errors.list);
    }
    let document = match (root.get("correlation"), root.get("filter")) {
        (Some(_), Some(_)) => {
            errors.add(
                "invalid_rule",
                "a document is a correlation or a filter, not both",
                root.key_span("filter"),
            );
            None
        }
        (Some(_), None) => {
            let meta = meta::read_meta(root, meta::CORRELATION_KEYS, &mut errors);
            correlation::read_correlation(root, meta, &mut errors)
                .map(|c| Document::Correlation(Box::new(c)))
        }
        (None, Some(_)) => {
            let meta = meta::read_meta(root, meta::FILTER_KEYS, &mut errors);
            let logsource = meta::read_logsource(root, &mut errors);
            filter::read_filter(root, meta, logsource, &mut errors)
                .map(|f| Document::Filter(Box::new(f)))
        }
        (None, None) => Some(Document::Rule(Arc::new(rule(root, &mut errors)))),
    };
    match document {
        Some(mut document) if errors.list.is_empty() => {
            document.meta_mut().warnings = errors.warnings;
            Ok(document)
        }
        _ => Err(errors.list),
    }
}

/// A rule document (its errors in `errors`).
fn rule(root: Node<'_>, errors: &mut Errors<'_>) -> Rule {
    let meta = meta::read_meta(root, meta::RULE_KEYS, errors);
    let logsource = meta::read_logsource(root, errors);
    let detections = detection::read_detection(root, errors);
    let tests = test_cases::read_tests(root, errors);
    let conditions = lower_conditions(detections, errors);
    Rule {
        meta,
        logsource,
        conditions,
        tests,
        source: errors.source.clone(),
        span: root.span(),
    }
}
