//! Aho-Corasick automata over rules' literals, built in time linear in the literals.
//!
//! The crate's default picks a DFA for up to 100 literals, and building that DFA takes time
//! quadratic in a literal's length when it repeats itself (`aaaa…`: 40 KB takes seven seconds).
//! Literals come from rules, so the contiguous NFA is used instead: built in linear time, and
//! searched with the same literal prefilters.

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// An automaton finding any of `literals`; `None` when they are too many for one.
pub(crate) fn build<I, P>(literals: I) -> Option<AhoCorasick>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(literals)
        .ok()
}
