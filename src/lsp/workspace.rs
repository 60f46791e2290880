//! The workspace index: every rule file of the workspace folder, and every open document, checked
//! on its own (`sigc_lint::check_file`) and kept with its compiled documents, so that the
//! findings that compare files (duplicate ids, titles and file names, the references of
//! correlations and filters) are found without reading or compiling anything again.

use crate::cli::inputs::{self, ReadError};
use crate::service::check;
use rayon::prelude::*;
use sigc_compiler::ir::Document;
use sigc_compiler::{RuleSet, Source, span::Span};
use sigc_lint::{Config, FileReport, Finding, RuleFacts};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The most rule files read from a workspace folder (SigmaHQ has about 3,100): a folder with
/// more (a home directory opened by mistake) is indexed up to this many, and the user told.
pub const MAX_WORKSPACE_FILES: usize = 50_000;

/// Every indexed file's report, by its source name (the file's path), in name order: the order
/// `sigc check` reads a folder in, so a finding that compares files (a duplicate title) lands on
/// the same file as there, every time.
pub struct Workspace {
    files: BTreeMap<String, FileReport>,
    config: Config,
}

impl Workspace {
    pub fn new(config: Config) -> Self {
        Workspace {
            files: BTreeMap::new(),
            config,
        }
    }

    /// Indexes the rule files under `root`, in parallel; returns what could not be read.
    pub fn scan(&mut self, root: &Path) -> Vec<String> {
        let mut collected = inputs::collect(&[root.to_path_buf()], false);
        if collected.inputs.len() > MAX_WORKSPACE_FILES {
            collected.errors.push(format!(
                "{}: more than {MAX_WORKSPACE_FILES} rule files; only the first are indexed",
                root.display()
            ));
            collected.inputs.truncate(MAX_WORKSPACE_FILES);
        }
        let config = &self.config;
        let reports: Vec<Result<FileReport, String>> = collected
            .inputs
            .par_iter()
            .map(|input| match inputs::read(input) {
                Ok(source) => Ok(sigc_lint::check_file(&source, config)),
                Err(ReadError::Text(diag)) => Ok(FileReport::unreadable(diag)),
                Err(ReadError::Io(e)) => Err(e),
            })
            .collect();
        for report in reports {
            match report {
                Ok(r) => {
                    self.files.insert(r.source.name.clone(), r);
                }
                Err(e) => collected.errors.push(e),
            }
        }
        collected.errors
    }

    /// The validator configuration the files are checked with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Number of indexed files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Checks `source` and keeps it in place of the file of the same name.
    pub fn update(&mut self, source: Arc<Source>) {
        let report = sigc_lint::check_file(&source, &self.config);
        self.files.insert(source.name.clone(), report);
    }

    /// Forgets a file (a closed document outside the workspace folder).
    pub fn remove(&mut self, name: &str) {
        self.files.remove(name);
    }

    /// Checks every file again with another validator configuration.
    pub fn configure(&mut self, config: Config) {
        self.config = config;
        let config = &self.config;
        self.files.par_iter_mut().for_each(|(_, report)| {
            *report = sigc_lint::check_file(&report.source, config);
        });
    }

    /// The indexed report of a file.
    pub fn report(&self, name: &str) -> Option<&FileReport> {
        self.files.get(name)
    }

    /// Every finding of a file: its own, those that compare it with the other files, and the
    /// errors of its references; in `sigc check`'s order, without repeats.
    pub fn findings(&self, name: &str) -> Vec<Finding> {
        let Some(report) = self.files.get(name) else {
            return Vec::new();
        };
        let facts: Vec<RuleFacts> = self
            .files
            .values()
            .flat_map(|r| r.facts.iter().cloned())
            .collect();
        let mine = |f: &Finding| f.diag.source.as_ref().is_some_and(|s| s.name == name);
        let mut out = report.findings.clone();
        out.extend(
            sigc_lint::check_collection(&facts, &self.config)
                .into_iter()
                .filter(mine),
        );
        out.extend(
            sigc_lint::check_documents(&RuleSet::resolve(self.with_references(name)), &|_| {
                Vec::new()
            })
            .into_iter()
            .filter(mine),
        );
        let mut seen = HashSet::new();
        out.retain(|f| seen.insert(check::key(f)));
        out.sort_by_cached_key(check::key);
        out
    }

    /// The documents of a file that compiled, with every document they reference, directly or
    /// through another correlation, from the other files (enough to resolve and convert them).
    pub fn with_references(&self, name: &str) -> Vec<Document> {
        let mut out: Vec<Document> = self
            .files
            .get(name)
            .map(|r| r.documents.clone())
            .unwrap_or_default();
        let mut taken: Vec<(&str, usize)> = Vec::new();
        let mut next = 0;
        while next < out.len() {
            let references: Vec<String> = out[next]
                .references()
                .iter()
                .map(|r| r.reference.clone())
                .collect();
            next += 1;
            for reference in &references {
                for (file, i, doc) in self.named(reference) {
                    if file != name && !taken.contains(&(file, i)) {
                        taken.push((file, i));
                        out.push(doc.clone());
                    }
                }
            }
        }
        out
    }

    /// The documents whose `id` or `name` is `reference`, with their file and place in it.
    fn named<'a, 'r>(
        &'a self,
        reference: &'r str,
    ) -> impl Iterator<Item = (&'a str, usize, &'a Document)> + use<'a, 'r> {
        self.files.iter().flat_map(move |(file, r)| {
            r.documents.iter().enumerate().filter_map(move |(i, d)| {
                let meta = d.meta();
                (meta.id.as_deref() == Some(reference) || meta.name.as_deref() == Some(reference))
                    .then_some((file.as_str(), i, d))
            })
        })
    }

    /// Where the documents that `reference` names are defined: their `id` or `name` value.
    pub fn definitions(&self, reference: &str) -> Vec<(Arc<Source>, Span)> {
        self.named(reference)
            .map(|(_, _, d)| {
                let spans = &d.meta().spans;
                let key = if d.meta().id.as_deref() == Some(reference) {
                    "id"
                } else {
                    "name"
                };
                let span = spans.value(key).unwrap_or(d.span());
                (d.source().clone(), span)
            })
            .collect()
    }
}
