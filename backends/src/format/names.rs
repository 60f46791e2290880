//! Names for the queries of one output that stay unique across it, so that two rules with one
//! title, or one rule with several conditions, cannot make a format (a `.conf` with a stanza per
//! query) merge or override one query with another.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The names of every query of one output, made in the output's order the first time a
/// template reads one (a format that names no query never makes them).
#[derive(Debug)]
pub struct OutputNames {
    /// Each rule's title and number of queries.
    rules: Vec<(String, usize)>,
    names: OnceLock<Vec<Vec<String>>>,
}

impl OutputNames {
    /// The names of the queries of `rules`: each rule's title and number of queries.
    pub fn new(rules: Vec<(String, usize)>) -> Self {
        OutputNames {
            rules,
            names: OnceLock::new(),
        }
    }

    /// The names of rule `i`'s queries.
    pub fn of(&self, i: usize) -> &[String] {
        let all = self.names.get_or_init(|| {
            let mut taken = QueryNames::default();
            let rules = self.rules.iter();
            rules
                .map(|(title, count)| (0..*count).map(|q| taken.claim(title, q, *count)).collect())
                .collect()
        });
        all.get(i).map_or(&[], Vec::as_slice)
    }
}

/// The names given so far in one output.
#[derive(Default)]
struct QueryNames {
    taken: HashSet<String>,
}

impl QueryNames {
    /// The name of query `i` of the `count` queries of a rule titled `title`: the title, with
    /// ` (condition N)` when the rule has several, then ` (2)`, ` (3)`, … when an earlier query
    /// took that name. Names are compared as a `.conf` reads them: brackets dropped, trimmed.
    fn claim(&mut self, title: &str, i: usize, count: usize) -> String {
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

    /// Names are given in the output's order, whichever rule a template reads first.
    #[test]
    fn an_output_s_names_follow_its_order() {
        let rules = [("A", 1), ("A", 1), ("B", 2)];
        let names = OutputNames::new(rules.map(|(t, n)| (t.to_string(), n)).to_vec());
        assert_eq!(names.of(2), ["B (condition 1)", "B (condition 2)"]);
        assert_eq!(names.of(1), ["A (2)"]);
        assert_eq!(names.of(0), ["A"]);
        assert!(names.of(3).is_empty());
    }
}
