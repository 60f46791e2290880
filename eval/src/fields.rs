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

/// What is known of one field of the current event.
#[derive(Clone, Debug, Default)]
enum Slot<'e> {
    /// Not looked up yet.
    #[default]
    Unknown,
    Known {
        value: Option<FieldValue<'e>>,
        /// For a string value, where its folded form is in [`Slots::folded`], once computed.
        folded: Option<Range<usize>>,
    },
}

/// The fields of one event, looked up on demand and kept for all the rules tested on it.
pub(crate) struct Slots<'a, 'e, E: ?Sized> {
    event: &'e E,
    /// Field names, by slot.
    names: &'a [Box<str>],
    /// The current rule's field numbers → slots.
    map: &'a [u32],
    slots: Vec<Slot<'e>>,
    /// Every scalar of the event (for keywords): its text and folded text, as ranges into
    /// `folded`, once computed.
    scalars: Option<Vec<(Range<usize>, Range<usize>)>>,
    folded: &'a mut String,
}

impl<'a, 'e, E: Event + ?Sized> Slots<'a, 'e, E> {
    /// Empty slots for the fields `names` of `event`; `folded` is cleared and used as storage.
    pub(crate) fn new(event: &'e E, names: &'a [Box<str>], folded: &'a mut String) -> Self {
        folded.clear();
        Slots {
            event,
            names,
            map: &[],
            slots: vec![Slot::Unknown; names.len()],
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

    /// The slot of the current rule's field `id`, looked up if it was not yet.
    fn resolve(&mut self, id: FieldId) -> usize {
        let slot = self.map[id as usize] as usize;
        self.resolve_slot(slot);
        slot
    }

    fn resolve_slot(&mut self, slot: usize) {
        if let Slot::Unknown = self.slots[slot] {
            self.slots[slot] = Slot::Known {
                value: self.event.field(&self.names[slot]),
                folded: None,
            };
        }
    }

    /// The value of the current rule's field `id` (`None`: absent).
    pub(crate) fn value(&mut self, id: FieldId) -> Option<&FieldValue<'e>> {
        let slot = self.resolve(id);
        self.known(slot)
    }

    /// The values of two fields at once (for field references).
    pub(crate) fn pair(
        &mut self,
        a: FieldId,
        b: FieldId,
    ) -> (Option<&FieldValue<'e>>, Option<&FieldValue<'e>>) {
        let (a, b) = (self.resolve(a), self.resolve(b));
        (self.known(a), self.known(b))
    }

    fn known(&self, slot: usize) -> Option<&FieldValue<'e>> {
        match &self.slots[slot] {
            Slot::Known { value, .. } => value.as_ref(),
            Slot::Unknown => None,
        }
    }

    /// A string value of the current rule's field `id` and its folded form; `None` when the
    /// value is absent or not a string.
    pub(crate) fn text(&mut self, id: FieldId) -> Option<(&'e str, &str)> {
        let slot = self.resolve(id);
        self.slot_text(slot)
    }

    /// The value in slot `slot` (not through the rule's map).
    pub(crate) fn slot_value(&mut self, slot: usize) -> Option<&FieldValue<'e>> {
        self.resolve_slot(slot);
        self.known(slot)
    }

    /// [`text`](Self::text) by slot.
    pub(crate) fn slot_text(&mut self, slot: usize) -> Option<(&'e str, &str)> {
        self.resolve_slot(slot);
        let Slot::Known { value, folded } = &mut self.slots[slot] else {
            return None;
        };
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
        if self.scalars.is_none() {
            let (arena, mut list, mut num) = (&mut *self.folded, Vec::new(), String::new());
            self.event.any_scalar(&mut |v| {
                if let Some(text) = scalar_text(v, &mut num) {
                    let start = arena.len();
                    arena.push_str(text);
                    let middle = arena.len();
                    append_folded(text, arena);
                    list.push((start..middle, middle..arena.len()));
                }
                false
            });
            self.scalars = Some(list);
        }
        let arena = &*self.folded;
        self.scalars
            .iter()
            .flatten()
            .any(|(raw, folded)| pred(&arena[raw.clone()], &arena[folded.clone()]))
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
        let mut slots = Slots::new(&event, &names, &mut buf);
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
        assert!(buf.starts_with("mixedärger"));
    }
}
