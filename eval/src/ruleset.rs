//! Many rules evaluated on each event, sharing the work: the log-source index picks the rules
//! that can apply, the literal pre-filter drops those whose literals the event lacks, and the
//! rest are evaluated on one set of [`Slots`], so that each field is looked up and case-folded
//! once per event. A JSON event's text is read only as far as the rules need ([`Projection`]):
//! their fields, or every value when a rule with a keyword may apply to it.

use super::event::{Event, JsonEvent};
use super::fields::{Slots, Workspace, with_workspace};
use super::logsource::{LogSourceIndex, Origin, Scope};
use super::matcher::Matcher;
use super::prefilter::Prefilter;
use super::projection::Projection;
use super::tape::Tape;
use std::collections::HashMap;

/// Compiled rules, indexed for evaluating them together on many events.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    matchers: Vec<Matcher>,
    /// Per rule: its field numbers → slots.
    maps: Vec<Vec<u32>>,
    /// Field names of all the rules, by slot.
    names: Vec<Box<str>>,
    sources: LogSourceIndex,
    prefilter: Prefilter,
    /// What of a JSON event the rules read (their fields, and what the log-source index reads);
    /// none when every event is read whole.
    projection: Projection,
    /// Per rule: whether it has a keyword (and so reads every value of an event).
    keywords: Vec<bool>,
    /// Whether a rule with a keyword may apply to any event, which is then always read whole.
    keywords_everywhere: bool,
}

impl RuleSet {
    /// Indexes rules with the scopes of their log sources; rule `i` is the `i`-th pair.
    pub fn new(rules: impl IntoIterator<Item = (Matcher, Scope)>) -> Self {
        let mut set = RuleSet::default();
        let mut slots: HashMap<Box<str>, u32> = HashMap::new();
        let mut scopes = Vec::new();
        let mut needs = Vec::new();
        for (matcher, scope) in rules {
            let map: Vec<u32> = matcher
                .fields()
                .iter()
                .map(|name| {
                    *slots.entry(name.clone()).or_insert_with(|| {
                        set.names.push(name.clone());
                        (set.names.len() - 1) as u32
                    })
                })
                .collect();
            let need = matcher.need().map(|need| {
                need.into_iter()
                    .map(|(field, lit)| (field.map(|f| map[f as usize]), lit))
                    .collect()
            });
            needs.push(need);
            scopes.push(scope);
            set.keywords.push(matcher.has_keywords());
            set.maps.push(map);
            set.matchers.push(matcher);
        }
        set.keywords_everywhere = scopes
            .iter()
            .zip(&set.keywords)
            .any(|(scope, &keywords)| keywords && matches!(scope, Scope::Any | Scope::Windows));
        set.sources = LogSourceIndex::new(&scopes);
        set.prefilter = Prefilter::new(&needs);
        if !set.keywords_everywhere {
            let names = set.names.iter().map(|n| &**n);
            set.projection = Projection::of(names.chain(Origin::FIELDS));
        }
        set
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.matchers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.matchers.is_empty()
    }

    /// Rule `i`'s matcher.
    pub fn matcher(&self, i: usize) -> &Matcher {
        &self.matchers[i]
    }

    /// The rules that match `event`, in increasing order, into `out` (cleared first).
    pub fn matches<E: Event + ?Sized>(&self, event: &E, out: &mut Vec<usize>) {
        self.matches_from(event, &Origin::of(event), out);
    }

    /// [`matches`](Self::matches) on the JSON object `text`, read in place ([`Tape`]): only
    /// what the rules read is decoded, unless a rule with a keyword may apply to the event.
    /// `false` when the tape refuses the text (and `out` is left empty): read it with
    /// `serde_json` then.
    pub fn matches_text(&self, text: &[u8], out: &mut Vec<usize>) -> bool {
        out.clear();
        let read = |whole: bool| {
            if whole {
                Tape::parse(text)
            } else {
                Tape::projected(text, &self.projection)
            }
        };
        let Some(tape) = read(self.keywords_everywhere) else {
            return false;
        };
        let event = JsonEvent::new(tape.root());
        let origin = Origin::of(&event);
        if self.keywords_everywhere || !self.keywords_may_apply(&origin) {
            self.matches_from(&event, &origin, out);
            return true;
        }
        let Some(whole) = read(true) else {
            return false;
        };
        self.matches_from(&JsonEvent::new(whole.root()), &origin, out);
        true
    }

    /// Whether a rule with a keyword is among the candidates for events from `origin`.
    fn keywords_may_apply(&self, origin: &Origin) -> bool {
        with_workspace(|ws| {
            self.sources.candidates(origin, &mut ws.rules);
            ws.rules.iter().any(|&r| self.keywords[r])
        })
    }

    /// [`matches`](Self::matches), the event coming from `origin`.
    fn matches_from<E: Event + ?Sized>(&self, event: &E, origin: &Origin, out: &mut Vec<usize>) {
        out.clear();
        with_workspace(|ws| {
            let Workspace {
                folded,
                scratch,
                rules,
                marks,
                wanted,
                index,
            } = ws;
            self.sources.candidates(origin, rules);
            if rules.is_empty() {
                return;
            }
            let mut slots = Slots::new(event, &self.names, index, folded);
            marks.clear();
            marks.resize(self.matchers.len(), false);
            self.prefilter
                .mark(&mut slots, rules, marks, wanted, scratch);
            for &i in rules.iter() {
                if !self.prefilter.admits(i, marks) {
                    continue;
                }
                slots.use_map(&self.maps[i]);
                if self.matchers[i].first_match(&mut slots, scratch).is_some() {
                    out.push(i);
                }
            }
        });
        out.sort_unstable();
    }
}
