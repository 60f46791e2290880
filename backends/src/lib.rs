//! sigc-backends: query generators from the sigc IR.
//!
//! Each target implements [`Backend`]; [`targets`] lists them for the command line. Text query
//! languages share the machinery in [`text`] (token tables, escaping, grouping, IN lists) and
//! add only their real differences. A query comes back in parts ([`Query`]). [`format`](mod@format)
//! holds the output formats (minijinja templates); the built-in processing pipelines are in
//! sigc-pipeline.

pub mod car;
pub mod format;
pub mod logpoint;
pub mod query;
pub mod splunk;
pub mod text;

use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;

pub use query::Query;

/// A conversion target.
pub trait Backend: Sync {
    /// Target name on the command line, e.g. "splunk".
    fn name(&self) -> &'static str;
    /// One line describing the target.
    fn description(&self) -> &'static str;
    /// The extension of a file of its queries, e.g. "spl".
    fn extension(&self) -> &'static str;
    /// One query per condition expression of the rule (rule.conditions), in parts.
    fn queries(&self, rule: &Rule) -> Result<Vec<Query>, Diagnostic>;

    /// The same queries as text, as the default output writes them.
    fn convert(&self, rule: &Rule) -> Result<Vec<String>, Diagnostic> {
        Ok(self.queries(rule)?.iter().map(Query::to_string).collect())
    }
}

/// Every target, in the order they are listed.
pub fn targets() -> Vec<&'static dyn Backend> {
    vec![&splunk::Splunk, &logpoint::LogPoint, &car::Car]
}

/// The target with this command-line name.
pub fn target(name: &str) -> Option<&'static dyn Backend> {
    targets().into_iter().find(|b| b.name() == name)
}
