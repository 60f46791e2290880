//! Aho-Corasick automata over rules' literals, built in time that stays near-linear in the
//! literals, whatever they are.
//!
//! Two constructions of the `aho-corasick` crate (1.1) are quadratic on inputs a rule can
//! provide: its DFA, which it picks for up to 100 literals, in the length of a literal that
//! repeats itself (`aaaa…`: 40 KB takes seven seconds); and the state renumbering every NFA goes
//! through, in the number of literals sharing prefixes (`v0` … `v63999`: seven seconds). So the
//! contiguous NFA is used, over at most [`CHUNK`] literals each: a list longer than that (none
//! in SigmaHQ) takes several automata, each searched in turn.

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// Most literals in one automaton: 4,096 (building one takes at most a few tens of ms).
const CHUNK: usize = 4096;

/// Literals searched for together.
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    /// Automaton `i` holds literals `i * CHUNK ..`.
    parts: Vec<AhoCorasick>,
}

impl Automaton {
    /// An automaton finding any of `literals`; `None` when they are too many for one.
    pub(crate) fn build<I, P>(literals: I) -> Option<Self>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let literals: Vec<P> = literals.into_iter().collect();
        let parts = literals
            .chunks(CHUNK)
            .map(|chunk| {
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(chunk)
                    .ok()
            })
            .collect::<Option<_>>()?;
        Some(Automaton { parts })
    }

    /// Whether any literal occurs in `haystack`.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        self.parts.iter().any(|a| a.is_match(haystack))
    }

    /// Calls `found` with the index of each literal occurring in `haystack`, once per occurrence.
    pub(crate) fn each_match(&self, haystack: &str, mut found: impl FnMut(usize)) {
        for (i, a) in self.parts.iter().enumerate() {
            for m in a.find_overlapping_iter(haystack) {
                found(i * CHUNK + m.pattern().as_usize());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_past_one_chunk_keep_their_indices() {
        let literals: Vec<String> = (0..CHUNK * 2 + 10).map(|i| format!("<{i}>")).collect();
        let automaton = Automaton::build(&literals).expect("built");
        assert_eq!(automaton.parts.len(), 3);
        let mut found = Vec::new();
        automaton.each_match("x<7>y<4100>z<8200>", |i| found.push(i));
        assert_eq!(found, [7, 4100, 8200]);
        assert!(automaton.is_match("<8201>"));
        assert!(!automaton.is_match("<9000>"));
    }
}
