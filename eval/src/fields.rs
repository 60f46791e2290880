//! Field values looked up and case-folded once per event, whatever the number of rules and leaves
//! that test them.
//!
//! Field names are numbered when rules are compiled: a [`Matcher`](super::Matcher) numbers its
//! own fields `0..n`, and a [`RuleSet`](super::RuleSet) numbers the fields of all its rules,
//! keeping for each rule a map from its numbers to the set's. [`Slots`] holds, for one event, a
//! slot per field name: empty until a rule asks, then the value and (for a string) its folded
//! form, written into a buffer reused from event to event.

use super::event::{Event, FieldValue};
use super::text::{Scratch, fold_into, scalar_text};
use std::cell::RefCell;
use std::ops::Range;

/// A field's number among the fields of one rule.
pub(crate) type FieldId = u32;

/// Buffers reused from one event to the next on each thread.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    /// Case-folded field values of the current event, one after the other.
    pub(crate) folded: String,
    /// Buffers for comparisons.
    pub(crate) scratch: Scratch,
    /// Rule indexes (candidates of the current event).
    pub(crate) rules: Vec<usize>,
    /// Per rule: whether the literal pre-filter found one of its literals.
    pub(crate) marks: Vec<bool>,
    /// Per field the pre-filter scans: whether a candidate rule needs it.
    pub(crate) wanted: Vec<bool>,
    /// Where the current event's fields are, by slot.
    pub(crate) index: SlotIndex,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Runs `f` with this thread's workspace (or a fresh one, if an [`Event`] implementation
/// evaluates rules from inside an evaluation).
pub(crate) fn with_workspace<T>(f: impl FnOnce(&mut Workspace) -> T) -> T {
    WORKSPACE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut ws) => f(&mut ws),
        Err(_) => f(&mut Workspace::default()),
    })
}

/// Per slot, where its field is in [`Slots::known`] for the current event: an entry counts
/// only when its generation is the current one, so that a new event costs no reset whatever the
/// number of fields.
#[derive(Debug, Default)]
pub(crate) struct SlotIndex {
    /// Per slot: (generation, position in `known`).
    entries: Vec<(u32, u32)>,
    generation: u32,
}

impl SlotIndex {
    /// Starts a new event over `len` slots.
    fn start(&mut self, len: usize) {
        if self.entries.len() < len {
            self.entries.resize(len, (0, 0));
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.entries.fill((0, 0));
            self.generation = 1;
        }
    }
}

/// A field of the current event, looked up.
#[derive(Clone, Debug)]
struct Known<'e> {
    value: Option<FieldValue<'e>>,
    /// For a string value, where its folded form is in [`Slots::folded`], once computed.
    folded: Option<Range<usize>>,
}

/// The texts of every scalar of an event, in [`Slots::folded`].
struct Scalars {
    /// Per scalar: its text and its folded text.
    texts: Vec<(Range<usize>, Range<usize>)>,
    /// Where all the folded texts are.
    all_folded: Range<usize>,
}

/// The fields of one event, looked up on demand and kept for all the rules tested on it.
pub(crate) struct Slots<'a, 'e, E: ?Sized> {
    event: &'e E,
    /// Field names, by slot.
    names: &'a [Box<str>],
    /// The current rule's field numbers → slots.
    map: &'a [u32],
    /// Slot → position in `known`.
    index: &'a mut SlotIndex,
    /// The fields looked up so far, in the order they were.
    known: Vec<Known<'e>>,
    /// Every scalar of the event (for keywords), once computed.
    scalars: Option<Scalars>,
    folded: &'a mut String,
}

impl<'a, 'e, E: Event + ?Sized> Slots<'a, 'e, E> {
    /// Empty slots for the fields `names` of `event`; `folded` is cleared and used as storage,
    /// `index` is reset.
    pub(crate) fn new(
        event: &'e E,
        names: &'a [Box<str>],
        index: &'a mut SlotIndex,
        folded: &'a mut String,
    ) -> Self {
        folded.clear();
        index.start(names.len());
        Slots {
            event,
            names,
            map: &[],
            index,
            known: Vec::with_capacity(16),
            scalars: None,
            folded,
        }
    }

    /// Selects the rule whose field numbers `map` translates into slots.
    pub(crate) fn use_map(&mut self, map: &'a [u32]) {
        self.map = map;
    }

    pub(crate) fn event(&self) -> &'e E {
        self.event
    }

    /// Where the current rule's field `id` is in `known`, looked up if it was not yet.
    fn resolve(&mut self, id: FieldId) -> usize {
        self.resolve_slot(self.map[id as usize] as usize)
    }

    /// Where the field in slot `slot` is in `known`, looked up if it was not yet.
    fn resolve_slot(&mut self, slot: usize) -> usize {
        let (generation, at) = self.index.entries[slot];
        if generation == self.index.generation {
            return at as usize;
        }
        let at = self.known.len();
        self.known.push(Known {
            value: self.event.field(&self.names[slot]),
            folded: None,
        });
        self.index.entries[slot] = (self.index.generation, at as u32);
        at
    }

    /// The value of the current rule's field `id` (`None`: absent).
    pub(crate) fn value(&mut self, id: FieldId) -> Option<&FieldValue<'e>> {
        let at = self.resolve(id);
        self.known[at].value.as_ref()
    }

    /// The values of two fields at once (for field references).
    pub(crate) fn pair(
        &mut self,
        a: FieldId,
        b: FieldId,
    ) -> (Option<&FieldValue<'e>>, Option<&FieldValue<'e>>) {
        let (a, b) = (self.resolve(a), self.resolve(b));
        (self.known[a].value.as_ref(), self.known[b].value.as_ref())
    }

    /// A string value of the current rule's field `id` and its folded form; `None` when the
    /// value is absent or not a string.
    pub(crate) fn text(&mut self, id: FieldId) -> Option<(&'e str, &str)> {
        let at = self.resolve(id);
        self.known_text(at)
    }

    /// The value in slot `slot` (not through the rule's map).
    pub(crate) fn slot_value(&mut self, slot: usize) -> Option<&FieldValue<'e>> {
        let at = self.resolve_slot(slot);
        self.known[at].value.as_ref()
    }

    /// [`text`](Self::text) by slot.
    pub(crate) fn slot_text(&mut self, slot: usize) -> Option<(&'e str, &str)> {
        let at = self.resolve_slot(slot);
        self.known_text(at)
    }

    /// The string value of `known[at]` and its folded form.
    fn known_text(&mut self, at: usize) -> Option<(&'e str, &str)> {
        let Known { value, folded } = &mut self.known[at];
        let Some(FieldValue::Str(raw)) = *value else {
            return None;
        };
        let range = folded.get_or_insert_with(|| {
            let start = self.folded.len();
            append_folded(raw, self.folded);
            start..self.folded.len()
        });
        Some((raw, &self.folded[range.clone()]))
    }
}

impl<E: Event + ?Sized> Slots<'_, '_, E> {
    /// Whether `pred` holds for the text and folded text of some scalar of the event (those
    /// with a text: not nulls); the texts are computed once per event.
    pub(crate) fn any_text(&mut self, mut pred: impl FnMut(&str, &str) -> bool) -> bool {
        self.build_scalars();
        let arena = &*self.folded;
        self.scalars
            .iter()
            .flat_map(|s| &s.texts)
            .any(|(raw, folded)| pred(&arena[raw.clone()], &arena[folded.clone()]))
    }

    /// The folded texts of every scalar of the event, one after the other, as one string (in
    /// which text may also run across two scalars).
    pub(crate) fn all_folded(&mut self) -> &str {
        self.build_scalars();
        self.scalars
            .as_ref()
            .map_or("", |s| &self.folded[s.all_folded.clone()])
    }

    /// Computes the scalars' texts, once per event: their texts, then their folded texts.
    fn build_scalars(&mut self) {
        if self.scalars.is_some() {
            return;
        }
        let (arena, mut texts, mut num) = (&mut *self.folded, Vec::new(), String::new());
        let mut folded = String::new();
        self.event.any_scalar(&mut |v| {
            if let Some(text) = scalar_text(v, &mut num) {
                let start = arena.len();
                arena.push_str(text);
                let at = folded.len();
                append_folded(text, &mut folded);
                texts.push((start..arena.len(), at..folded.len()));
            }
            false
        });
        let base = arena.len();
        arena.push_str(&folded);
        for (_, folded) in &mut texts {
            *folded = base + folded.start..base + folded.end;
        }
        let all_folded = base..arena.len();
        self.scalars = Some(Scalars { texts, all_folded });
    }
}

/// Appends the folded form of `s` to `out`, as [`fold_into`] writes it.
fn append_folded(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        let mut buf = String::with_capacity(s.len());
        fold_into(s, &mut buf);
        out.push_str(&buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slots_look_up_and_fold_once() {
        let event = json!({"A": "MiXed", "n": 3, "u": "Ärger"});
        let names: Vec<Box<str>> = ["n", "A", "missing", "u"].map(Into::into).into();
        let map = [1, 0, 3, 2];
        let mut buf = String::from("left over");
        let mut index = SlotIndex::default();
        let mut slots = Slots::new(&event, &names, &mut index, &mut buf);
        slots.use_map(&map);
        assert_eq!(slots.text(0), Some(("MiXed", "mixed")));
        assert_eq!(slots.text(0), Some(("MiXed", "mixed")));
        assert_eq!(slots.value(1), Some(&FieldValue::Int(3)));
        assert_eq!(slots.text(1), None);
        assert_eq!(slots.text(2), Some(("Ärger", "ärger")));
        assert_eq!(slots.value(3), None);
        assert_eq!(slots.pair(0, 3), (Some(&FieldValue::Str("MiXed")), None));
        assert_eq!(slots.slot_text(1), Some(("MiXed", "mixed")));
        let mut seen = Vec::new();
        let hit = slots.any_text(|raw, folded| {
            seen.push(format!("{raw}/{folded}"));
            false
        });
        assert!(!hit);
        seen.sort();
        assert_eq!(seen, ["3/3", "MiXed/mixed", "Ärger/ärger"]);
        assert!(slots.any_text(|_, folded| folded == "ärger"));
        let all = slots.all_folded();
        assert_eq!(all.len(), "mixed3ärger".len());
        for text in ["mixed", "3", "ärger"] {
            assert!(all.contains(text), "{text} in {all}");
        }
        assert!(buf.starts_with("mixedärger"));
    }
}
