//! What a template sees of one rule.

use crate::Query;
use crate::{Converted, Subject};
use serde::Serialize;
use sigc_compiler::ir::{LogSource, Meta};
use sigc_pipeline::State;

/// One converted rule or correlation in a template: every metadata field of the document
/// (`title`, `id`, `level`, `tags`, `fields`, `custom`, …), `kind`, `logsource`, `path`,
/// `queries`, `searches` and `state`.
#[derive(Serialize)]
pub struct RuleContext<'a> {
    #[serde(flatten)]
    pub meta: &'a Meta,
    /// `rule` or `correlation`.
    pub kind: &'static str,
    /// A rule's log source; none for a correlation.
    pub logsource: Option<&'a LogSource>,
    /// The rule file, as given on the command line.
    pub path: &'a str,
    /// The queries as the target writes them (for Splunk, with ` | table …` when the rule has `fields`).
    pub queries: Vec<String>,
    /// The same queries in parts.
    pub searches: Vec<QueryParts>,
    /// The pipeline state (e.g. `data_model_set`, `fields` from splunk_cim).
    pub state: &'a State,
    /// What the format computed for this rule (the CAR formats' analytic), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

/// A query in parts, as the backend built it (never split from the text): `search` is the query
/// without the ` | table` of the rule's fields; `main` is the search up to its first pipeline
/// command, `deferred` the rest as written (each command after `\n| `) and `commands` the same
/// commands as a list; `table` is the escaped field list of the `table` command (empty when the
/// rule has no `fields`).
#[derive(Serialize)]
pub struct QueryParts {
    /// A name unique in the output: the rule's title, numbered when it would repeat
    /// (`QueryNames` in `format/names.rs`).
    pub name: String,
    pub search: String,
    pub main: String,
    pub deferred: String,
    pub commands: Vec<String>,
    pub table: String,
    /// A correlation's query, line by line (empty for a rule's).
    pub lines: Vec<String>,
}

impl QueryParts {
    fn new(q: &Query) -> Self {
        QueryParts {
            name: String::new(),
            search: q.search(),
            main: q.main.clone(),
            deferred: q.deferred_text(),
            commands: q.deferred.clone(),
            table: q.table.clone().unwrap_or_default(),
            lines: q.lines.clone(),
        }
    }
}

impl<'a> RuleContext<'a> {
    pub fn new(c: &'a Converted) -> Self {
        RuleContext {
            meta: c.meta(),
            kind: match c.subject {
                Subject::Rule { .. } => "rule",
                Subject::Correlation(_) => "correlation",
            },
            logsource: c.as_rule().map(|r| &r.logsource),
            path: &c.source().name,
            queries: c.queries.iter().map(Query::to_string).collect(),
            searches: c.queries.iter().map(QueryParts::new).collect(),
            state: &c.state,
            extra: None,
        }
    }
}
