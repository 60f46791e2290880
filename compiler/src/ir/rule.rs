//! A compiled rule: metadata, log source and condition expressions.

use super::expr::Expr;
use super::test_cases::TestCases;
use crate::diagnostic::{Diagnostic, Source};
use crate::span::Span;
use crate::vocabulary::{Level, Status};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A Sigma rule after compilation.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub meta: Meta,
    pub logsource: LogSource,
    /// One expression per `condition` entry; the rule matches when any of them does.
    /// Backends emit one query per entry, as pySigma does.
    pub conditions: Vec<Expr>,
    /// The rule's own test cases (custom attribute `tests`, also kept in `meta.custom`).
    #[serde(skip)]
    pub tests: Option<TestCases>,
    /// The file the rule came from.
    #[serde(skip)]
    pub source: Arc<Source>,
    /// The span of the whole rule document.
    #[serde(skip)]
    pub span: Span,
}

/// The rule's descriptive fields (Sigma specification v2.1).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Meta {
    pub title: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub related: Vec<Related>,
    pub taxonomy: Option<String>,
    pub status: Option<Status>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub author: Option<String>,
    pub references: Vec<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub fields: Vec<String>,
    pub falsepositives: Vec<String>,
    pub level: Option<Level>,
    pub tags: Vec<String>,
    pub scope: Vec<String>,
    /// Keys outside the specification, kept as written (converted to JSON values).
    pub custom: BTreeMap<String, serde_json::Value>,
    /// Where each attribute was written, so a later stage can locate what it refuses (shared:
    /// pipelines copy a rule, never its positions).
    #[serde(skip)]
    pub spans: Arc<MetaSpans>,
    /// What the rule's text tolerates where the specification disagrees (a `YYYY/MM/DD` date,
    /// …): located warnings, given with the rule wherever it is used.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// The source spans of a rule's attributes: each key's value, and each entry of a list.
#[derive(Clone, Debug, Default)]
pub struct MetaSpans {
    /// The value node of each top-level key (`title`, `fields`, a custom key, …).
    pub values: BTreeMap<String, Span>,
    /// Each string entry of a list attribute (`fields`, `references`, `tags`, …), as written.
    pub items: BTreeMap<String, Vec<(String, Span)>>,
}

impl Meta {
    /// Where the rule wrote `text` as the value of `key` or an entry of it; else the whole value
    /// of `key` (a pipeline may have renamed or added it); `None` when the rule has no `key`.
    pub fn span_of(&self, key: &str, text: &str) -> Option<Span> {
        self.spans
            .items
            .get(key)
            .and_then(|items| items.iter().find(|(t, _)| t == text))
            .map(|(_, span)| *span)
            .or_else(|| self.spans.values.get(key).copied())
    }

    /// The attribute that holds `text`, as [`Meta::span_of`] places it: the first key, in
    /// document order, whose value or one of whose entries is `text`.
    pub fn locate(&self, text: &str) -> Option<Span> {
        let whole = [
            ("title", Some(&self.title)),
            ("description", self.description.as_ref()),
            ("author", self.author.as_ref()),
            ("id", self.id.as_ref()),
            ("name", self.name.as_ref()),
        ];
        whole
            .iter()
            .filter(|(_, v)| v.is_some_and(|v| v == text))
            .find_map(|(k, _)| self.spans.values.get(*k).copied())
            .or_else(|| {
                self.spans
                    .items
                    .values()
                    .flatten()
                    .find(|(t, _)| t == text)
                    .map(|(_, span)| *span)
            })
    }
}

/// An entry of `related`.
#[derive(Clone, Debug, Serialize)]
pub struct Related {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// Where the events come from (`logsource`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogSource {
    pub category: Option<String>,
    pub product: Option<String>,
    pub service: Option<String>,
    pub definition: Option<String>,
    /// Any other keys.
    pub custom: BTreeMap<String, String>,
    /// Where the rule wrote it (empty when a pipeline replaced the log source).
    #[serde(skip)]
    pub spans: LogSourceSpans,
}

/// The source spans of a `logsource` map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSourceSpans {
    /// The whole map.
    pub node: Option<Span>,
    /// The value of each key (`category`, `product`, a custom key, …).
    pub values: BTreeMap<String, Span>,
}
