//! Events as the evaluator sees them: field lookup and a walk over every scalar value.

use super::projection::Step;
use serde_json::{Map, Number, Value};
use std::marker::PhantomData;

/// A field's value, borrowed from the event.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue<'a> {
    /// Present but null.
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'a str),
    /// Several values; a test matches when any element does.
    List(Vec<FieldValue<'a>>),
    /// A nested object with no text of its own: present, but equal to no value.
    Object,
}

/// Something a rule can be evaluated against.
pub trait Event {
    /// The value of the field `name`, or `None` when the event has no such field.
    fn field(&self, name: &str) -> Option<FieldValue<'_>>;

    /// Calls `pred` on every scalar value of the event (list elements one by one, no objects,
    /// no keys) until it returns `true`; returns whether it did.
    fn any_scalar(&self, pred: &mut dyn FnMut(&FieldValue<'_>) -> bool) -> bool;
}

/// A node of a parsed JSON document: what [`JsonEvent`] needs to find fields and read values.
/// Implemented by `&serde_json::Value` and by the nodes of a [`Tape`](crate::Tape).
pub trait JsonNode<'a>: Copy {
    /// The member `key` of an object; `None` for any other node.
    fn get(self, key: &str) -> Option<Self>;
    /// Whether the node is an object.
    fn is_object(self) -> bool;
    /// The node's kind; a scalar with its value.
    fn shape(self) -> Shape<'a>;
    /// An array's elements or an object's member values, in order; nothing for a scalar.
    fn children(self) -> impl Iterator<Item = Self>;
    /// An object's keys, in order; nothing for any other node.
    fn keys(self) -> impl Iterator<Item = &'a str>;
}

/// What a [`JsonNode`] is.
pub enum Shape<'a> {
    /// A scalar (never [`FieldValue::List`] or [`FieldValue::Object`]).
    Scalar(FieldValue<'a>),
    Array,
    Object,
}

impl<'a> JsonNode<'a> for &'a Value {
    fn get(self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn is_object(self) -> bool {
        self.is_object()
    }

    fn shape(self) -> Shape<'a> {
        Shape::Scalar(match self {
            Value::Null => FieldValue::Null,
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Number(n) => number_value(n),
            Value::String(s) => FieldValue::Str(s),
            Value::Array(_) => return Shape::Array,
            Value::Object(_) => return Shape::Object,
        })
    }

    fn children(self) -> impl Iterator<Item = Self> {
        let elements = self.as_array().into_iter().flatten();
        elements.chain(self.as_object().into_iter().flat_map(Map::values))
    }

    fn keys(self) -> impl Iterator<Item = &'a str> {
        self.as_object()
            .into_iter()
            .flat_map(Map::keys)
            .map(String::as_str)
    }
}

/// A JSON event with its usual Windows nests located once, for fast repeated lookups.
///
/// A field `name` is looked up, first hit wins:
/// 1. as a key of the top-level object;
/// 2. as a dotted path from the top (`Event.EventData.Image`);
/// 3. as a key of `Event.EventData`, `Event.System`, `EventData`, `System`, and of the element
///    inside `Event.UserData` (the shapes that EVTX-to-JSON converters produce);
/// 4. as a dotted path from `Event` (`EventData.Image` on a wrapped event).
///
/// An object holding `#text` (an XML element with attributes) stands for that text.
#[derive(Clone, Copy, Debug)]
pub struct JsonEvent<'a, N = &'a Value> {
    root: N,
    event: Option<N>,
    nests: [Option<N>; 5],
    /// The keys of `root` and of the nests, so that most absent fields are known absent at once.
    keys: KeyBits,
    /// The document's lifetime, which the values found borrow.
    document: PhantomData<&'a ()>,
}

impl<'a, N: JsonNode<'a>> JsonEvent<'a, N> {
    /// Wraps a parsed JSON document (normally an object).
    pub fn new(root: N) -> Self {
        let mut event = Self::located(root);
        let mut keys = KeyBits::default();
        let objects = [Some(root)].into_iter().chain(event.nests).flatten();
        for key in objects.flat_map(N::keys) {
            keys.insert(key);
        }
        event.keys = keys;
        event
    }

    /// The nests located, without the keys (every name may be present): for one lookup.
    fn located(root: N) -> Self {
        let event = root.get("Event");
        let object = |v: Option<N>| v.filter(|v| v.is_object());
        let user_data = object(event.and_then(|e| e.get("UserData")))
            .and_then(|u| u.children().find(|v| v.is_object()));
        JsonEvent {
            root,
            event,
            nests: [
                object(event.and_then(|e| e.get("EventData"))),
                object(event.and_then(|e| e.get("System"))),
                object(root.get("EventData")),
                object(root.get("System")),
                user_data,
            ],
            keys: KeyBits::ALL,
            document: PhantomData,
        }
    }

    /// The JSON node found for `name`, before conversion (see the type's documentation).
    pub fn lookup(&self, name: &str) -> Option<N> {
        let dotted = name.contains('.');
        if !dotted && !self.keys.may_hold(name) {
            return None;
        }
        if let Some(v) = self.root.get(name) {
            return Some(v);
        }
        if dotted && let Some(v) = path(self.root, name) {
            return Some(v);
        }
        if let Some(v) = self.nests.iter().flatten().find_map(|m| m.get(name)) {
            return Some(v);
        }
        if dotted {
            return path(self.event?, name);
        }
        None
    }
}

/// Every path that [`JsonEvent::lookup`] may follow for `name`, in the order above (a path to
/// the value of an object holding `#text` ends at the object): what a
/// [`Projection`](crate::Projection) must keep for the lookup to find what it finds in the whole
/// event. The element of `Event.UserData` is any of its members (which one is first is known only
/// once they are read).
pub(crate) fn lookup_paths(name: &str) -> Vec<Vec<Step<'_>>> {
    let dotted: Vec<Step<'_>> = name.split('.').map(Step::Key).collect();
    let nest = |path: &[&'static str]| {
        let mut steps: Vec<Step<'_>> = path.iter().map(|&k| Step::Key(k)).collect();
        steps.push(Step::Key(name));
        steps
    };
    let mut paths = vec![vec![Step::Key(name)]];
    if dotted.len() > 1 {
        paths.push(dotted.clone());
    }
    paths.extend(
        [
            &["Event", "EventData"][..],
            &["Event", "System"],
            &["EventData"],
            &["System"],
        ]
        .map(nest),
    );
    paths.push(vec![
        Step::Key("Event"),
        Step::Key("UserData"),
        Step::Each,
        Step::Key(name),
    ]);
    if dotted.len() > 1 {
        paths.push([Step::Key("Event")].into_iter().chain(dotted).collect());
    }
    paths
}

/// A set of key names, hashed into 1,024 bits: a name whose bit is clear is not in the set.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct KeyBits([u64; 16]);

impl KeyBits {
    /// Every name may be in the set.
    const ALL: KeyBits = KeyBits([u64::MAX; 16]);

    /// Adds `name`; returns `false` when it may have been in the set already.
    pub(crate) fn insert(&mut self, name: &str) -> bool {
        let bit = Self::bit(name);
        let word = &mut self.0[bit / 64];
        let fresh = *word & (1 << (bit % 64)) == 0;
        *word |= 1 << (bit % 64);
        fresh
    }

    pub(crate) fn may_hold(&self, name: &str) -> bool {
        let bit = Self::bit(name);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// A cheap hash of the name's length and of its first, middle and last bytes, into 0..1024.
    fn bit(name: &str) -> usize {
        let bytes = name.as_bytes();
        let at = |i: usize| u32::from(bytes.get(i).copied().unwrap_or(0));
        let len = bytes.len();
        let hash = [at(0), at(len / 2), at(len.wrapping_sub(1))]
            .into_iter()
            .fold(len as u32, |h, b| h.wrapping_mul(31).wrapping_add(b));
        (hash.wrapping_mul(0x9E37_79B9) >> 22) as usize
    }
}

/// Follows a dotted path through nested objects.
fn path<'a, N: JsonNode<'a>>(mut v: N, name: &str) -> Option<N> {
    for key in name.split('.') {
        v = v.get(key)?;
    }
    Some(v)
}

/// The evaluator's view of a JSON value.
pub fn json_value(v: &Value) -> FieldValue<'_> {
    node_value(v)
}

/// The evaluator's view of a JSON node.
fn node_value<'a, N: JsonNode<'a>>(v: N) -> FieldValue<'a> {
    match v.shape() {
        Shape::Scalar(scalar) => scalar,
        Shape::Array => FieldValue::List(v.children().map(node_value).collect()),
        Shape::Object => v.get("#text").map_or(FieldValue::Object, node_value),
    }
}

/// A JSON number as the evaluator sees it: an integer when it is one, else a float.
pub(crate) fn number_value(n: &Number) -> FieldValue<'static> {
    if let Some(i) = n.as_i64() {
        FieldValue::Int(i)
    } else if let Some(u) = n.as_u64() {
        FieldValue::UInt(u)
    } else {
        FieldValue::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Calls `pred` on the scalars of `v`, depth first, until it returns `true`.
fn any_node_scalar<'a, N: JsonNode<'a>>(
    v: N,
    pred: &mut dyn FnMut(&FieldValue<'_>) -> bool,
) -> bool {
    match v.shape() {
        Shape::Scalar(scalar) => pred(&scalar),
        Shape::Array | Shape::Object => v.children().any(|x| any_node_scalar(x, pred)),
    }
}

impl<'a, N: JsonNode<'a>> Event for JsonEvent<'a, N> {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        self.lookup(name).map(node_value)
    }

    fn any_scalar(&self, pred: &mut dyn FnMut(&FieldValue<'_>) -> bool) -> bool {
        any_node_scalar(self.root, pred)
    }
}

/// Looks fields up as [`JsonEvent`] does, locating the nests again on every call; wrap the
/// value in a [`JsonEvent`] when evaluating many rules on it.
impl Event for Value {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        JsonEvent::located(self).lookup(name).map(node_value)
    }

    fn any_scalar(&self, pred: &mut dyn FnMut(&FieldValue<'_>) -> bool) -> bool {
        any_node_scalar(self, pred)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    /// An excerpt of a Sysmon process-creation event as converted from EVTX in SigmaHQ's
    /// `regression_data` (proc_creation_win_amsi_registry_tampering).
    pub(crate) fn sysmon_event() -> Value {
        json!({
          "Event": {
            "#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
            "System": {
              "Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon",
                                            "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},
              "EventID": 1,
              "Keywords": "0x8000000000000000",
              "TimeCreated": {"#attributes": {"SystemTime": "2025-12-25T14:30:27.369114Z"}},
              "Correlation": null,
              "Channel": "Microsoft-Windows-Sysmon/Operational",
              "Computer": "swachchhanda"
            },
            "EventData": {
              "RuleName": "-",
              "UtcTime": "2025-12-25 14:30:27.352",
              "ProcessId": 14144,
              "Image": "C:\\Windows\\System32\\reg.exe",
              "Product": "Microsoft® Windows® Operating System",
              "OriginalFileName": "reg.exe",
              "CommandLine": "\"C:\\WINDOWS\\system32\\reg.exe\" add \"HKCU\\Software\\Microsoft\\Windows Script\\Settings\" /v AmsiEnable /t REG_DWORD /d 0 /f",
              "IntegrityLevel": "High",
              "ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
            }
          }
        })
    }

    #[test]
    fn lookup_table() {
        let ev = sysmon_event();
        let flat = json!({
            "Image": "top",
            "a.b": "dotted key",
            "a": {"b": "nested", "c": {"d": [1, "x"]}},
            "EventData": {"Image": "nested image", "User": "bob"},
            "System": {"EventID": {"#attributes": {"Qualifiers": "0"}, "#text": "4688"}},
            "flag": true,
            "nothing": null,
            "obj": {"k": 1}
        });
        let user_data =
            json!({"Event": {"UserData": {"LogFileCleared": {"SubjectUserName": "x"}}}});
        let cases: &[(&Value, &str, Option<FieldValue>)] = &[
            (
                &ev,
                "Image",
                Some(FieldValue::Str("C:\\Windows\\System32\\reg.exe")),
            ),
            (&ev, "EventID", Some(FieldValue::Int(1))),
            (
                &ev,
                "Channel",
                Some(FieldValue::Str("Microsoft-Windows-Sysmon/Operational")),
            ),
            (
                &ev,
                "Event.EventData.ProcessId",
                Some(FieldValue::Int(14144)),
            ),
            (
                &ev,
                "EventData.IntegrityLevel",
                Some(FieldValue::Str("High")),
            ),
            (
                &ev,
                "System.Computer",
                Some(FieldValue::Str("swachchhanda")),
            ),
            (&ev, "Correlation", Some(FieldValue::Null)),
            (&ev, "TimeCreated", Some(FieldValue::Object)),
            (&ev, "Provider.#attributes.Name", None),
            (
                &ev,
                "System.Provider.#attributes.Name",
                Some(FieldValue::Str("Microsoft-Windows-Sysmon")),
            ),
            (&ev, "NoSuchField", None),
            (&ev, "Event.EventData.Nope", None),
            (&flat, "Image", Some(FieldValue::Str("top"))),
            (&flat, "a.b", Some(FieldValue::Str("dotted key"))),
            (
                &flat,
                "a.c.d",
                Some(FieldValue::List(vec![
                    FieldValue::Int(1),
                    FieldValue::Str("x"),
                ])),
            ),
            (&flat, "User", Some(FieldValue::Str("bob"))),
            (&flat, "EventID", Some(FieldValue::Str("4688"))),
            (&flat, "flag", Some(FieldValue::Bool(true))),
            (&flat, "nothing", Some(FieldValue::Null)),
            (&flat, "obj", Some(FieldValue::Object)),
            (&flat, "a.x", None),
            (&user_data, "SubjectUserName", Some(FieldValue::Str("x"))),
        ];
        for (event, name, want) in cases {
            assert_eq!(&event.field(name), want, "{name}");
            assert_eq!(&JsonEvent::new(*event).field(name), want, "{name}");
        }
    }

    #[test]
    fn absent_names_are_mostly_known_absent() {
        let ev = sysmon_event();
        let event = JsonEvent::new(&ev);
        for key in [
            "Event",
            "EventID",
            "Channel",
            "CommandLine",
            "ParentImage",
            "Provider",
        ] {
            assert!(event.keys.may_hold(key), "{key}");
        }
        let absent = [
            "TargetObject",
            "QueryName",
            "DestinationIp",
            "ScriptBlockText",
            "Details",
        ];
        assert!(absent.iter().filter(|k| event.keys.may_hold(k)).count() <= 1);
        assert!(absent.iter().all(|k| event.lookup(k).is_none()));
    }

    #[test]
    fn numbers_keep_their_kind() {
        let v = json!({"i": -1, "u": u64::MAX, "f": 0.25});
        assert_eq!(v.field("i"), Some(FieldValue::Int(-1)));
        assert_eq!(v.field("u"), Some(FieldValue::UInt(u64::MAX)));
        assert_eq!(v.field("f"), Some(FieldValue::Float(0.25)));
    }

    #[test]
    fn scalars_are_walked() {
        let v = json!({"a": [1, {"b": "x"}], "c": {"#text": "y", "#attributes": {"n": "z"}}, "d": null});
        let mut seen = Vec::new();
        let hit = v.any_scalar(&mut |s| {
            seen.push(format!("{s:?}"));
            false
        });
        assert!(!hit);
        seen.sort();
        assert_eq!(
            seen,
            ["Int(1)", "Null", "Str(\"x\")", "Str(\"y\")", "Str(\"z\")"]
        );
        assert!(v.any_scalar(&mut |s| *s == FieldValue::Str("x")));
    }
}
