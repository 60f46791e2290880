//! What a template sees of one rule.

use super::Converted;
use serde::Serialize;
use sigc_compiler::ir::{LogSource, Meta};
use sigc_compiler::pipeline::State;

/// One converted rule in a template: every metadata field of the rule (`title`, `id`, `level`,
/// `tags`, `fields`, `custom`, …), `logsource`, `path`, `queries`, `searches` and `state`.
#[derive(Serialize)]
pub struct RuleContext<'a> {
    #[serde(flatten)]
    pub meta: &'a Meta,
    pub logsource: &'a LogSource,
    /// The rule file, as given on the command line.
    pub path: &'a str,
    /// The queries as the target writes them (for Splunk, with ` | table …` when the rule has `fields`).
    pub queries: &'a [String],
    /// The same queries in parts.
    pub searches: Vec<QueryParts>,
    /// The pipeline state (e.g. `data_model_set`, `fields` from splunk_cim).
    pub state: &'a State,
    /// What the format computed for this rule (the CAR formats' analytic), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

/// A query in parts: `search` is the query without the ` | table` of the rule's fields;
/// `main` is `search` up to its first pipeline command and `deferred` the rest (from `\n| `).
#[derive(Serialize)]
pub struct QueryParts {
    pub search: String,
    pub main: String,
    pub deferred: String,
}

impl<'a> RuleContext<'a> {
    pub fn new(c: &'a Converted) -> Self {
        let table = format!(" | table {}", c.rule.meta.fields.join(","));
        let searches = c
            .queries
            .iter()
            .map(|q| {
                let search = match q.strip_suffix(&table) {
                    Some(s) if !c.rule.meta.fields.is_empty() => s.to_string(),
                    _ => q.clone(),
                };
                let (main, deferred) = match search.find("\n| ") {
                    Some(i) => (search[..i].to_string(), search[i..].to_string()),
                    None => (search.clone(), String::new()),
                };
                QueryParts {
                    search,
                    main,
                    deferred,
                }
            })
            .collect();
        RuleContext {
            meta: &c.rule.meta,
            logsource: &c.rule.logsource,
            path: &c.rule.source.name,
            queries: &c.queries,
            searches,
            state: &c.state,
            extra: None,
        }
    }
}
