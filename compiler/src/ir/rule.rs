//! A compiled rule: metadata, log source and condition expressions.

use super::expr::Expr;
use crate::diagnostic::Source;
use crate::span::Span;
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
    pub status: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub author: Option<String>,
    pub references: Vec<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub fields: Vec<String>,
    pub falsepositives: Vec<String>,
    pub level: Option<String>,
    pub tags: Vec<String>,
    pub scope: Vec<String>,
    /// Keys outside the specification, kept as written (converted to JSON values).
    pub custom: BTreeMap<String, serde_json::Value>,
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
}
