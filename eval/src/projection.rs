//! The parts of a JSON event that a rule set reads: every path [`JsonEvent`](crate::JsonEvent)
//! may follow to find the fields its rules name, as a tree of keys. A [`Tape`](crate::Tape) read
//! through a projection holds only those parts (each field's value whole); everything else is
//! checked as JSON but neither decoded nor kept.

use super::event::{KeyBits, lookup_paths};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// What to read of a JSON event: a tree of object keys from the top-level object.
#[derive(Clone, Debug, Default)]
pub struct Projection {
    root: Branch,
}

/// One node of a [`Projection`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Branch {
    /// Every value below is read.
    whole: bool,
    /// The members read, by key.
    members: HashMap<Box<str>, Branch, BuildHasherDefault<KeyHasher>>,
    /// The keys of `members`, so that most other keys are rejected without hashing.
    keys: KeyBits,
    /// What is read of every member or element (the elements of `Event.UserData`).
    each: Option<Box<Branch>>,
}

/// One step of a path through an event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Step<'a> {
    /// An object's member.
    Key(&'a str),
    /// Any member of an object or element of an array.
    Each,
}

/// What is read of one value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Want<'p> {
    /// Nothing: the value is only checked.
    Skip,
    /// The value and everything in it.
    Whole,
    /// The parts of it that the branch names.
    Part(&'p Branch),
}

impl Projection {
    /// The paths that looking up each of `names` may follow, each field's value read whole.
    pub fn of<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut projection = Projection::default();
        // A tape refuses an event whose `Event.UserData` holds several objects, whatever is read.
        let user_data = [Step::Key("Event"), Step::Key("UserData"), Step::Each];
        projection.root.add(&user_data, false);
        for name in names {
            for path in lookup_paths(name) {
                projection.root.add(&path, true);
            }
        }
        projection.root.spread();
        projection
    }

    /// Everything in an event.
    pub(crate) const WHOLE: Want<'static> = Want::Whole;

    /// What is read of the top-level object.
    pub(crate) fn want(&self) -> Want<'_> {
        Want::Part(&self.root)
    }
}

impl Branch {
    /// Adds `path`; what is at its end is read whole if `whole`, else only its kind.
    fn add(&mut self, path: &[Step<'_>], whole: bool) {
        let Some((first, rest)) = path.split_first() else {
            self.whole |= whole;
            return;
        };
        let next = match first {
            Step::Key(key) => {
                self.keys.insert(key);
                self.members.entry((*key).into()).or_default()
            }
            Step::Each => self.each.get_or_insert_default(),
        };
        next.add(rest, whole);
    }

    /// Adds everything `other` reads.
    fn merge(&mut self, other: &Branch) {
        self.whole |= other.whole;
        for (key, branch) in &other.members {
            self.keys.insert(key);
            self.members.entry(key.clone()).or_default().merge(branch);
        }
        if let Some(each) = &other.each {
            self.each.get_or_insert_default().merge(each);
        }
    }

    /// Makes what is read of every member part of each named member too, all the way down.
    fn spread(&mut self) {
        if let Some(each) = &mut self.each {
            each.spread();
            for member in self.members.values_mut() {
                member.merge(each);
            }
        }
        for member in self.members.values_mut() {
            member.spread();
        }
    }
}

/// A cheap hash of an event's keys, looked up among the keys of rules' fields (a fixed table: a
/// key chosen to collide only makes its own lookup slower).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let (words, tail) = bytes.as_chunks::<8>();
        let tail = tail.iter().fold(0, |w, &b| w << 8 | u64::from(b));
        for word in words.iter().map(|w| u64::from_le_bytes(*w)).chain([tail]) {
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<'p> Want<'p> {
    /// What is read of the member `key` of an object read as `self`.
    pub(crate) fn member(self, key: &str) -> Want<'p> {
        match self {
            Want::Part(branch) => {
                let found = branch.keys.may_hold(key).then(|| branch.members.get(key));
                found
                    .flatten()
                    .or(branch.each.as_deref())
                    .map_or(Want::Skip, Want::of)
            }
            Want::Whole => Want::Whole,
            Want::Skip => Want::Skip,
        }
    }

    /// What is read of each element of an array read as `self`.
    pub(crate) fn element(self) -> Want<'p> {
        match self {
            Want::Part(branch) => branch.each.as_deref().map_or(Want::Skip, Want::of),
            Want::Whole => Want::Whole,
            Want::Skip => Want::Skip,
        }
    }

    /// Whether the value is kept.
    pub(crate) fn kept(self) -> bool {
        !matches!(self, Want::Skip)
    }

    /// What is read of a value that `branch` describes.
    fn of(branch: &'p Branch) -> Want<'p> {
        if branch.whole {
            Want::Whole
        } else {
            Want::Part(branch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, JsonEvent};
    use crate::tape::Tape;
    use proptest::prelude::*;
    use serde_json::Value;

    /// Plain keys, which are also field names: the Windows nests, dotted keys and `#text`.
    const PLAIN: &[&str] = &[
        "Event",
        "EventData",
        "System",
        "UserData",
        "Channel",
        "EventID",
        "Image",
        "#text",
        "a",
        "b",
        "a.b",
    ];

    /// Keys written as in JSON text: the plain ones and escaped spellings of some (which repeat
    /// them).
    fn keys() -> Vec<&'static str> {
        let escaped = ["\\u0061", "Ev\\u0065nt", "Im\\/age"];
        PLAIN.iter().copied().chain(escaped).collect()
    }

    /// Field names a projection is made for: the plain keys and paths through them.
    fn names() -> Vec<&'static str> {
        let paths = [
            "b.a",
            "Event.System.EventID",
            "EventData.Image",
            "UserData.a",
            "UserData.a.b",
            "System.a.b",
            "x.y",
        ];
        PLAIN.iter().copied().chain(paths).collect()
    }

    /// JSON text of scalars: numbers serde_json reads or not, and strings with escapes, unicode
    /// and control bytes.
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            prop::sample::select(&[
                "0",
                "-0",
                "7",
                "-3",
                "1.5",
                "1e2",
                "-2.5E-3",
                "12345678901234567890",
                "01",
                "1.",
                "1e400",
            ])
            .prop_map(str::to_owned),
            "([a-zA-Z .#:]|\\\\[nt\"\\\\/bfr]|\\\\u00[4-7][0-9a-f]|é|😀|\\\\ud83d\\\\ude00|\\\\u00e9|\t|\\\\x)*"
                .prop_map(|s| format!("\"{s}\"")),
        ]
    }

    /// JSON text of any value, nested a few levels.
    fn value() -> impl Strategy<Value = String> {
        scalar().prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|xs| format!("[{}]", xs.join(", "))),
                object(inner),
            ]
        })
    }

    fn object(inner: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        // Keys differ, or repeat one only in another spelling.
        let keys = prop::sample::subsequence(keys(), 0..6).prop_shuffle();
        let values = prop::collection::vec(inner, 6);
        (keys, values).prop_map(|(keys, values)| {
            let members: Vec<String> = keys
                .iter()
                .zip(values)
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{{}}}", members.join(","))
        })
    }

    /// An event shaped as EVTX converters write them, nests filled at random.
    fn windows() -> impl Strategy<Value = String> {
        let nest = || object(value());
        // `Event.UserData` holds one element, or two (which the tape refuses if both are objects).
        let user_data = (
            prop::sample::select(keys()),
            nest(),
            prop::option::of(value()),
        );
        let user_data = user_data.prop_map(|(k, first, second)| match second {
            Some(second) => format!("{{\"{k}\": {first}, \"zz\": {second}}}"),
            None => format!("{{\"{k}\": {first}}}"),
        });
        (nest(), nest(), user_data, nest(), value()).prop_map(|(system, data, user, root, v)| {
            let root = root.trim_start_matches('{').trim_end_matches('}');
            let root = if root.is_empty() { String::new() } else { format!(",{root}") };
            format!(
                "{{\"Event\": {{\"System\": {system}, \"EventData\": {data}, \"UserData\": {user}, \"x\": {v}}}{root}}}"
            )
        })
    }

    /// An event: an object, sometimes with a byte removed or a stray one added.
    fn event() -> impl Strategy<Value = String> {
        let shape = prop_oneof![object(value()), windows()];
        let damage = prop_oneof![
            4 => Just(None),
            1 => (any::<prop::sample::Index>(), prop::sample::select(&["", "}", ",", "\"", "\\"])).prop_map(Some),
        ];
        (shape, damage).prop_map(|(mut text, damage)| {
            if let Some((at, with)) = damage {
                let at = at.index(text.len());
                if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                    text.replace_range(at..at + 1, with);
                }
            }
            text
        })
    }

    #[test]
    fn nests_and_paths_are_kept() {
        let text = r##"{"Event": {"System": {"Channel": "c", "Provider": {"#attributes": {"Name": "p"}}},
            "EventData": {"Skipped": "\\n", "Image": {"#text": "i"}},
            "UserData": {"a": {"b": 1, "User": "n"}}}, "a.b": [1, {"#text": "t"}], "x": {"y": null}}"##;
        let names = [
            "Channel",
            "System.Provider.#attributes.Name",
            "Image",
            "User",
            "UserData.a.b",
            "a.b",
            "x.y",
            "Skipped",
        ];
        let projection = Projection::of(names.iter().take(7).copied());
        let tape = Tape::projected(text.as_bytes(), &projection).expect("read");
        let whole = Tape::parse(text.as_bytes()).expect("read");
        let (projected, whole) = (JsonEvent::new(tape.root()), JsonEvent::new(whole.root()));
        for name in &names[..7] {
            assert!(whole.field(name).is_some(), "{name}");
            assert_eq!(projected.field(name), whole.field(name), "{name}");
        }
        assert_eq!(projected.field("Skipped"), None, "not kept");
        // Whatever the projection, what the whole tape refuses is refused.
        let ambiguous = br#"{"Event": {"UserData": {"A": {"k": 1}, "B": {"k": 2}}}}"#;
        assert!(Tape::parse(ambiguous).is_none());
        for names in [&[][..], &["k"], &["Event"]] {
            let projection = Projection::of(names.iter().copied());
            assert!(
                Tape::projected(ambiguous, &projection).is_none(),
                "{names:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A projected tape refuses what the whole tape refuses, and finds for each field it was
        /// made for what the whole tape finds, which is what serde_json's value gives.
        #[test]
        fn projected_reads_as_whole(
            text in event(),
            names in prop::sample::subsequence(names(), 0..names().len()),
        ) {
            let projection = Projection::of(names.iter().copied());
            let whole = Tape::parse(text.as_bytes());
            let projected = Tape::projected(text.as_bytes(), &projection);
            prop_assert_eq!(whole.is_some(), projected.is_some(), "{}", text);
            let (Some(whole), Some(projected)) = (whole, projected) else {
                return Ok(());
            };
            let value: Value = serde_json::from_str(&text).expect("the tape reads only JSON");
            let serde = JsonEvent::new(&value);
            let (whole, projected) = (JsonEvent::new(whole.root()), JsonEvent::new(projected.root()));
            for name in &names {
                prop_assert_eq!(projected.field(name), whole.field(name), "{} in {}", name, text);
                prop_assert_eq!(whole.field(name), serde.field(name), "{} in {}", name, text);
            }
        }
    }
}
