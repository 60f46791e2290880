//! Names for the queries of one output that stay unique across it, so that two rules with one
//! title, or one rule with several conditions, cannot make a format (a `.conf` with a stanza per
//! query) merge or override one query with another.

use std::collections::HashSet;

/// The names given so far in one output.
#[derive(Default)]
pub struct QueryNames {
    taken: HashSet<String>,
}

impl QueryNames {
    /// The name of query `i` of the `count` queries of a rule titled `title`: the title, with
    /// ` (condition N)` when the rule has several, then ` (2)`, ` (3)`, … when an earlier query
    /// took that name. Names are compared as a `.conf` reads them: brackets dropped, trimmed.
    pub fn claim(&mut self, title: &str, i: usize, count: usize) -> String {
        let base = if count > 1 {
            format!("{title} (condition {})", i + 1)
        } else {
            title.to_string()
        };
        let mut name = base.clone();
        let mut n = 1;
        while !self.taken.insert(key(&name)) {
            n += 1;
            name = format!("{base} ({n})");
        }
        name
    }
}

fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '[' | ']'))
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_conditions_get_names_of_their_own() {
        let mut names = QueryNames::default();
        assert_eq!(names.claim("A", 0, 1), "A");
        assert_eq!(names.claim("A", 0, 1), "A (2)");
        assert_eq!(names.claim("[A]", 0, 1), "[A] (3)");
        assert_eq!(names.claim("B", 0, 2), "B (condition 1)");
        assert_eq!(names.claim("B", 1, 2), "B (condition 2)");
        assert_eq!(names.claim("A (2)", 0, 1), "A (2) (2)");
    }
}
