//! A converted query in its parts, so that no consumer has to split a query string again (a
//! value may itself hold `\n| `).

use std::fmt;

/// Between the search and each pipeline command.
pub const PIPE: &str = "\n| ";

/// One query: the search, the pipeline commands after it, and the closing field list; or, for a
/// correlation, its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The search, up to the first pipeline command (the whole program for CAR).
    pub main: String,
    /// The pipeline commands after the search, in order, each without its leading `| `.
    pub deferred: Vec<String>,
    /// The field list of the closing `table` command (Splunk's form of a rule's `fields`),
    /// every name already escaped: `CommandLine,"a b"`.
    pub table: Option<String>,
    /// A correlation's query, line by line as written (the other parts are then empty): the
    /// searches of the rules it correlates, each as its own parts, then the aggregation's
    /// commands, blank lines between the stages. A line never holds a line break of its own
    /// making; only a value of a rule may.
    pub lines: Vec<String>,
}

impl Query {
    /// A query that is only a search.
    pub fn search_only(main: String) -> Query {
        Query {
            main,
            ..Query::default()
        }
    }

    /// A correlation's query from its lines.
    pub fn from_lines(lines: Vec<String>) -> Query {
        Query {
            lines,
            ..Query::default()
        }
    }

    /// The search and its commands, without the `table`.
    pub fn search(&self) -> String {
        if !self.lines.is_empty() {
            return self.lines.join("\n");
        }
        let mut out = self.main.clone();
        out.push_str(&self.deferred_text());
        out
    }

    /// The commands as written after the search: `\n| ` before each.
    pub fn deferred_text(&self) -> String {
        self.deferred.iter().map(|c| format!("{PIPE}{c}")).collect()
    }

    /// The query as lines: a correlation's own, else the search, then `| command` for each
    /// command (without the `table`).
    pub fn parts(&self) -> Vec<String> {
        if !self.lines.is_empty() {
            return self.lines.clone();
        }
        let commands = self.deferred.iter().map(|c| format!("| {c}"));
        std::iter::once(self.main.clone()).chain(commands).collect()
    }
}

/// The query as the default output writes it: `search | table fields`.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.search())?;
        if let Some(table) = &self.table {
            write!(f, " | table {table}")?;
        }
        Ok(())
    }
}
