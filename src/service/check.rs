//! `sigc check`'s findings: each file's validators and compile errors, the cross-file
//! validators, the references between documents and a target's refusals, in one order.

use super::{BadRequest, Located};
use sigc_backends::Target;
use sigc_compiler::ir::Rule;
use sigc_compiler::{Diagnostic, RuleSet, Source};
use sigc_lint::{Config, FileReport, Finding};
use std::collections::HashSet;

/// A finding's identity: file, position, code, message.
pub type Key = (String, usize, usize, &'static str, String);

/// The identity of `f`.
pub fn key(f: &Finding) -> Key {
    let span = f.diag.span.unwrap_or_default();
    let name = f
        .diag
        .source
        .as_ref()
        .map_or(String::new(), |s| s.name.clone());
    (
        name,
        span.start,
        span.end,
        f.diag.code,
        f.diag.message.clone(),
    )
}

/// What checking files found, and the documents it resolved to find it.
pub struct Checked {
    /// Sorted by file and position, without repeats.
    pub findings: Vec<Finding>,
    /// Given back to the caller, who may let a process's exit free it at once.
    pub documents: RuleSet,
}

/// Every finding of the checked files `reports` and across them, with `target`'s refusals of
/// each rule; sorted by file and position, without repeats (a file-level finding of a
/// multi-document file).
pub fn findings(reports: Vec<FileReport>, config: &Config, target: Option<&dyn Target>) -> Checked {
    let mut findings = Vec::new();
    let mut facts = Vec::new();
    let mut documents = Vec::new();
    for r in reports {
        findings.extend(r.findings);
        facts.extend(r.facts);
        documents.extend(r.documents);
    }
    let refusals = |rule: &Rule| -> Vec<Diagnostic> {
        target.map_or_else(Vec::new, |t| t.convert(rule).err().into_iter().collect())
    };
    // the cross-file validators run while the documents are resolved and asked about
    let (collection, (documents, refused)) = rayon::join(
        || sigc_lint::check_collection(&facts, config),
        || {
            let documents = RuleSet::resolve(documents);
            let refused = sigc_lint::check_documents(&documents, &refusals);
            (documents, refused)
        },
    );
    findings.extend(collection);
    findings.extend(refused);
    let mut seen = HashSet::with_capacity(findings.len());
    findings.retain(|f| seen.insert(key(f)));
    findings.sort_by_cached_key(key);
    Checked {
        findings,
        documents,
    }
}

/// The findings of `rule` with the default configuration, and the refusals of the target
/// called `target`, if any. Without a file `name`, the validators of file names pass over it.
pub fn check(
    rule: &str,
    name: Option<&str>,
    target: Option<&str>,
) -> Result<Vec<Located>, BadRequest> {
    let target = target.map(super::target).transpose()?;
    let config = Config::default();
    let source = Source::new(name.unwrap_or(super::RULE_NAME), rule);
    let report = sigc_lint::check_file(&source, &config);
    Ok(findings(vec![report], &config, target)
        .findings
        .iter()
        .map(Located::finding)
        .collect())
}
