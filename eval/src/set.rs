//! Several patterns tested against one value: the alternatives of an expansion, and the leaves
//! of one `Or` (any) or `And` (all) on the same field, merged so that the field is looked up and
//! case-folded once. Many `*literal*` alternatives are searched together in one pass with an
//! Aho-Corasick automaton; a few are searched one by one.

use super::automaton::Automaton;
use super::event::FieldValue;
use super::pattern::Wildcard;
use super::text::{Scratch, fold_into, scalar_text};

/// How many `*literal*` alternatives make an automaton worth it. Building one costs about
/// 300,000 instructions, and on a field's short text a search of a few literals one by one is
/// as fast: with this threshold rather than 2, starting on SigmaHQ's rules took 13% fewer
/// instructions, and the events of `scripts/bench-test.sh` 3% fewer (docs/performance.md).
const MIN_AUTOMATON: usize = 32;

/// Patterns matched against one value: any of them, or all of them.
#[derive(Clone, Debug)]
pub(crate) struct PatternSet {
    pats: Vec<Wildcard>,
    all: bool,
    /// Set by [`PatternSet::prepare`] on an any-set: an automaton over the `*literal*`
    /// patterns, and the indices of the patterns it does not cover.
    fast: Option<(Automaton, Vec<usize>)>,
}

impl PatternSet {
    /// Matches when any of `pats` does.
    pub(crate) fn any(pats: Vec<Wildcard>) -> Self {
        PatternSet {
            pats,
            all: false,
            fast: None,
        }
    }

    /// Whether this set can absorb the patterns of a sibling under `And` (`all`) or `Or`.
    pub(crate) fn mergeable(&self, all: bool) -> bool {
        self.pats.len() == 1 || self.all == all
    }

    /// Adds a sibling's patterns (both [`mergeable`](Self::mergeable) with `all`).
    pub(crate) fn absorb(&mut self, other: PatternSet, all: bool) {
        self.pats.extend(other.pats);
        self.all = all;
        self.fast = None;
    }

    /// Builds the automaton once the set is final.
    pub(crate) fn prepare(&mut self) {
        if self.all {
            return;
        }
        let (literals, rest): (Vec<usize>, Vec<usize>) =
            (0..self.pats.len()).partition(|&i| self.pats[i].contained_literal().is_some());
        if literals.len() < MIN_AUTOMATON {
            return;
        }
        let needles = literals
            .iter()
            .filter_map(|&i| self.pats[i].contained_literal());
        self.fast = Automaton::build(needles).map(|ac| (ac, rest));
    }

    /// A field's value; with `all`, each pattern must match some element of a list.
    pub(crate) fn matches_value(&self, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
        match v {
            FieldValue::List(xs) if self.all && self.pats.len() > 1 => self
                .pats
                .iter()
                .all(|p| xs.iter().any(|x| one_value(p, x, sc))),
            FieldValue::List(xs) => xs.iter().any(|x| self.matches_value(x, sc)),
            _ => self.matches_scalar(v, sc),
        }
    }

    /// One scalar's text.
    pub(crate) fn matches_scalar(&self, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
        let Scratch { num, fold, .. } = sc;
        let Some(text) = scalar_text(v, num) else {
            return false;
        };
        fold_into(text, fold);
        self.matches_folded(text, fold)
    }

    /// A scalar's text, given as is and case-folded.
    pub(crate) fn matches_folded(&self, text: &str, folded: &str) -> bool {
        let check = |p: &Wildcard| p.is_match(if p.cased() { text } else { folded });
        if let Some((ac, rest)) = &self.fast {
            return ac.is_match(folded) || rest.iter().any(|&i| check(&self.pats[i]));
        }
        if self.all {
            self.pats.iter().all(check)
        } else {
            self.pats.iter().any(check)
        }
    }

    /// Folded literals of which one occurs in a value's text whenever the set matches it: one per
    /// pattern of an any-set, the longest of one pattern of an all-set. `None` when there is
    /// no such guarantee (a pattern without literals, or a cased one).
    pub(crate) fn required_literals(&self) -> Option<Vec<&str>> {
        let lits = self.pats.iter().map(Wildcard::required_literal);
        if self.all {
            return lits.flatten().max_by_key(|l| l.len()).map(|l| vec![l]);
        }
        lits.collect()
    }
}

/// One pattern against a value (any element of a list).
fn one_value(p: &Wildcard, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
    match v {
        FieldValue::List(xs) => xs.iter().any(|x| one_value(p, x, sc)),
        _ => {
            let Scratch { num, fold, .. } = sc;
            let Some(text) = scalar_text(v, num) else {
                return false;
            };
            if p.cased() {
                return p.is_match(text);
            }
            fold_into(text, fold);
            p.is_match(fold)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::ir::{Part, Pattern};

    fn wild(text: &str, cased: bool) -> Wildcard {
        let mut p = Pattern::default();
        for c in text.chars() {
            p.push(match c {
                '*' => Part::AnyRun,
                '?' => Part::AnyChar,
                c => Part::Lit(c.to_string()),
            });
        }
        p.cased = cased;
        Wildcard::new(&p).unwrap()
    }

    fn set(pats: &[(&str, bool)], all: bool) -> PatternSet {
        let mut it = pats.iter().map(|(p, c)| PatternSet::any(vec![wild(p, *c)]));
        let mut set = it.next().unwrap_or_else(|| PatternSet::any(vec![]));
        for other in it {
            set.absorb(other, all);
        }
        set
    }

    #[test]
    fn sets_with_and_without_automaton() {
        let contains = [
            ("*mimikatz*", false),
            ("*-ENC *", false),
            ("*Ärger*", false),
        ];
        let mixed = [
            ("*mimikatz*", false),
            ("*sekurlsa*", false),
            ("*.exe", false),
            ("*Cased*", true),
        ];
        type Row<'a> = (&'a [(&'a str, bool)], bool, FieldValue<'a>, bool);
        let cases: &[Row] = &[
            (
                &contains,
                false,
                FieldValue::Str("x Invoke-Mimikatz y"),
                true,
            ),
            (
                &contains,
                false,
                FieldValue::Str("powershell -enc AAA"),
                true,
            ),
            (&contains, false, FieldValue::Str("ÄRGER"), true),
            (&contains, false, FieldValue::Str("harmless"), false),
            (&contains, false, FieldValue::Int(5), false),
            (&contains, false, FieldValue::Null, false),
            (&mixed, false, FieldValue::Str("C:\\X.EXE"), true),
            (&mixed, false, FieldValue::Str("xCasedx"), true),
            (&mixed, false, FieldValue::Str("xcasedx"), false),
            (
                &mixed,
                false,
                FieldValue::Str("SEKURLSA::logonpasswords"),
                true,
            ),
            (
                &contains,
                true,
                FieldValue::Str("mimikatz -enc ärger"),
                true,
            ),
            (&contains, true, FieldValue::Str("mimikatz -enc"), false),
            (
                &contains,
                true,
                FieldValue::List(vec![
                    FieldValue::Str("mimikatz"),
                    FieldValue::Str("-enc ärger"),
                ]),
                true,
            ),
            (
                &contains,
                false,
                FieldValue::List(vec![FieldValue::Str("a"), FieldValue::Str("-enc ")]),
                true,
            ),
            (&[], false, FieldValue::Str("x"), false),
        ];
        // Enough literals that occur in no value to make an any-set take an automaton.
        let fillers: Vec<String> = (0..MIN_AUTOMATON).map(|i| format!("*zz{i}zz*")).collect();
        let mut sc = Scratch::default();
        for (pats, all, value, want) in cases {
            let mut padded = pats.to_vec();
            padded.extend(fillers.iter().map(|f| (f.as_str(), false)));
            // (set, prepared, with an automaton)
            let mut variants = vec![
                (set(pats, *all), false, false),
                (set(pats, *all), true, false),
            ];
            if !all {
                variants.push((set(&padded, false), true, true));
            }
            for (mut s, prepared, automaton) in variants {
                if prepared {
                    s.prepare();
                }
                assert_eq!(s.fast.is_some(), automaton, "{pats:?}");
                assert_eq!(
                    s.matches_value(value, &mut sc),
                    *want,
                    "{pats:?} all={all} prepared={prepared} automaton={automaton} on {value:?}"
                );
            }
        }
    }

    #[test]
    fn merging_rules() {
        let one = set(&[("a", false)], false);
        assert!(one.mergeable(true) && one.mergeable(false));
        let any = set(&[("a", false), ("b", false)], false);
        assert!(any.mergeable(false) && !any.mergeable(true));
        let all = set(&[("a", false), ("b", false)], true);
        assert!(all.mergeable(true) && !all.mergeable(false));
        let empty = PatternSet::any(vec![]);
        assert!(!empty.mergeable(true));
    }
}
