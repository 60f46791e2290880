//! The literal pre-filter: rules skipped, before evaluation, when none of the literals they need
//! (see [`Need`]) occurs in the event. Per field, one Aho-Corasick automaton holds every rule's
//! literals for that field, and one more the literals of keywords, for every scalar of the
//! event; an event's folded values are scanned once each, and every rule whose literal is found
//! is marked. Keywords' literals are searched for in one pass over the folded texts of all the
//! scalars, one after the other: a literal found only across two of them marks its rules too,
//! which costs an evaluation, never a match. Most events occur in none of most rules' literals, so most rules
//! are never evaluated.

use super::automaton::Automaton;
use super::event::{Event, FieldValue};
use super::fields::Slots;
use super::matcher::Need;
use super::text::{Scratch, fold_into, scalar_text};
use rayon::prelude::*;
use std::collections::HashMap;

/// Rules' literals, by field.
#[derive(Clone, Debug, Default)]
pub(crate) struct Prefilter {
    scans: Vec<Scan>,
    /// Per rule: `true` when it has a need (and is skipped unless marked).
    gated: Vec<bool>,
    /// Per rule: the scans (indexes into `scans`) of the fields its need names.
    rule_scans: Vec<Vec<u32>>,
}

/// The literals of one field.
#[derive(Clone, Debug)]
struct Scan {
    /// The field's slot; `None` for keywords (every scalar of the event).
    slot: Option<u32>,
    automaton: Automaton,
    /// Per literal (automaton pattern), the rules that need it.
    rules: Vec<Vec<u32>>,
}

impl Prefilter {
    /// `needs[i]` is rule `i`'s need with its fields as slots.
    pub(crate) fn new(needs: &[Option<Need>]) -> Self {
        // slot → literal → rules
        let mut by_field: HashMap<Option<u32>, HashMap<&str, Vec<u32>>> = HashMap::new();
        for (rule, need) in needs.iter().enumerate() {
            for (slot, lit) in need.iter().flatten() {
                let rules = by_field.entry(*slot).or_default().entry(lit).or_default();
                if rules.last() != Some(&(rule as u32)) {
                    rules.push(rule as u32);
                }
            }
        }
        let mut gated: Vec<bool> = needs.iter().map(Option::is_some).collect();
        let mut fields: Vec<_> = by_field.into_iter().collect();
        fields.sort_unstable_by_key(|(slot, _)| *slot);
        // The automata are built on every core: with all of SigmaHQ's rules they are a sixth of
        // the work of starting (about 200 fields).
        let built: Vec<_> = fields
            .into_par_iter()
            .map(|(slot, lits)| {
                let mut lits: Vec<_> = lits.into_iter().collect();
                lits.sort_unstable();
                (slot, Automaton::build(lits.iter().map(|(l, _)| l)), lits)
            })
            .collect();
        let mut scans = Vec::with_capacity(built.len());
        for (slot, automaton, lits) in built {
            match automaton {
                Some(automaton) => scans.push(Scan {
                    slot,
                    automaton,
                    rules: lits.into_iter().map(|(_, rules)| rules).collect(),
                }),
                // Too big for an automaton: its rules are always evaluated.
                None => {
                    for &rule in lits.iter().flat_map(|(_, rules)| rules) {
                        gated[rule as usize] = false;
                    }
                }
            }
        }
        let mut rule_scans = vec![Vec::new(); needs.len()];
        for (i, scan) in scans.iter().enumerate() {
            for &rule in scan.rules.iter().flatten() {
                let list = &mut rule_scans[rule as usize];
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Prefilter {
            scans,
            gated,
            rule_scans,
        }
    }

    /// Marks, in `marks` (one per rule, all `false`), the rules one of whose literals occurs in
    /// the event of `slots`. Only the fields that the needs of `candidates` name are scanned;
    /// `wanted` is a buffer.
    pub(crate) fn mark<E: Event + ?Sized>(
        &self,
        slots: &mut Slots<'_, '_, E>,
        candidates: &[usize],
        marks: &mut [bool],
        wanted: &mut Vec<bool>,
        sc: &mut Scratch,
    ) {
        wanted.clear();
        wanted.resize(self.scans.len(), false);
        for &rule in candidates {
            for &scan in &self.rule_scans[rule] {
                wanted[scan as usize] = true;
            }
        }
        for (scan, _) in self.scans.iter().zip(wanted.iter()).filter(|(_, w)| **w) {
            let Some(slot) = scan.slot else {
                scan.mark(slots.all_folded(), marks);
                continue;
            };
            if let Some((_, folded)) = slots.slot_text(slot as usize) {
                scan.mark(folded, marks);
            } else if let Some(value) = slots.slot_value(slot as usize) {
                scan.mark_value(value, marks, sc);
            }
        }
    }

    /// Whether rule `rule` is to be evaluated, given the marks.
    pub(crate) fn admits(&self, rule: usize, marks: &[bool]) -> bool {
        !self.gated[rule] || marks[rule]
    }
}

impl Scan {
    fn mark(&self, folded: &str, marks: &mut [bool]) {
        self.automaton.each_match(folded, |literal| {
            for &rule in &self.rules[literal] {
                marks[rule as usize] = true;
            }
        });
    }

    /// Any value but a string: every scalar's text, as patterns see it.
    fn mark_value(&self, value: &FieldValue<'_>, marks: &mut [bool], sc: &mut Scratch) {
        if let FieldValue::List(xs) = value {
            return xs.iter().for_each(|x| self.mark_value(x, marks, sc));
        }
        let Scratch { num, fold, .. } = sc;
        if let Some(text) = scalar_text(value, num) {
            fold_into(text, fold);
            self.mark(fold, marks);
        }
    }
}
