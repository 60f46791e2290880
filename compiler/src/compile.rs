//! The front end's entry point: a source file to compiled rules.

use crate::condition;
use crate::diagnostic::{Diagnostic, Source};
use crate::ir::Rule;
use crate::limits::Budget;
use crate::lower::{LowerError, lower};
use crate::model::{Errors, detection, meta, test_cases};
use crate::span::Span;
use crate::yaml;
use std::sync::Arc;

/// The outcome for one rule document: the rule, or every error found in it.
pub type Compiled = Result<Rule, Vec<Diagnostic>>;

/// Compiles every rule document of `source`. A file that is not valid YAML gives one `Err`.
pub fn compile(source: &Arc<Source>) -> Vec<Compiled> {
    match yaml::load(source) {
        Err(e) => vec![Err(vec![e])],
        Ok(docs) if docs.is_empty() => vec![Err(vec![Diagnostic::error(
            "empty-file",
            "file holds no YAML document",
            source,
            Span::new(0, 0),
        )])],
        Ok(docs) => {
            let mut budget = Budget::new();
            docs.iter()
                .map(|d| compile_document(source, d, &mut budget))
                .collect()
        }
    }
}

/// Compiles one YAML document into a rule, charging what it builds to `budget` (one per file).
pub fn compile_document(
    source: &Arc<Source>,
    doc: &yaml::Document,
    budget: &mut Budget,
) -> Compiled {
    let root = doc.root();
    let mut errors = Errors::new(source, budget);
    if errors.budget.exhausted() {
        errors.add(
            "limit-exceeded",
            "an earlier rule of this file used up the file's budget (see above); this rule is not read",
            root.span(),
        );
        return Err(errors.list);
    }
    if root.entries().is_none() {
        errors.add(
            "invalid-rule",
            format!("a rule must be a YAML map, not {}", root.kind()),
            root.span(),
        );
        return Err(errors.list);
    }
    let meta = meta::read_meta(root, &mut errors);
    let logsource = meta::read_logsource(root, &mut errors);
    let detections = detection::read_detection(root, &mut errors);
    let tests = test_cases::read_tests(root, &errors);
    let mut conditions = Vec::new();
    for text in &detections.conditions {
        let parsed = match condition::parse(&text.text) {
            Ok(c) => c,
            Err(e) => {
                errors.add(
                    "invalid-condition",
                    e.message,
                    e.span.shift(text.content_start),
                );
                continue;
            }
        };
        match lower(&parsed, &detections.identifiers, errors.budget) {
            Ok(expr) => conditions.push(expr),
            Err(LowerError::Invalid { span, message }) => errors.add(
                "undefined-identifier",
                message,
                span.shift(text.content_start),
            ),
            Err(LowerError::OverBudget { span, message }) => {
                errors.add("limit-exceeded", message, span.shift(text.content_start));
                break;
            }
            Err(LowerError::Broken) => {}
        }
    }
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    Ok(Rule {
        meta,
        logsource,
        conditions,
        tests,
        source: source.clone(),
        span: root.span(),
    })
}
