//! A converted query in its parts, so that no consumer has to split a query string again (a
//! value may itself hold `\n| `).

use std::fmt;

/// Between the search and each pipeline command.
pub const PIPE: &str = "\n| ";

/// One query: the search, the pipeline commands after it, and the closing field list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The search, up to the first pipeline command (the whole program for CAR).
    pub main: String,
    /// The pipeline commands after the search, in order, each without its leading `| `.
    pub deferred: Vec<String>,
    /// The field list of the closing `table` command (Splunk's form of a rule's `fields`),
    /// every name already escaped: `CommandLine,"a b"`.
    pub table: Option<String>,
}

impl Query {
    /// A query that is only a search.
    pub fn search_only(main: String) -> Query {
        Query {
            main,
            ..Query::default()
        }
    }

    /// The search and its commands, without the `table`.
    pub fn search(&self) -> String {
        let mut out = self.main.clone();
        out.push_str(&self.deferred_text());
        out
    }

    /// The commands as written after the search: `\n| ` before each.
    pub fn deferred_text(&self) -> String {
        self.deferred.iter().map(|c| format!("{PIPE}{c}")).collect()
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
