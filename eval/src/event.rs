//! Events as the evaluator sees them: field lookup and a walk over every scalar value.

use serde_json::{Map, Value};

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
pub struct JsonEvent<'a> {
    root: &'a Value,
    event: Option<&'a Value>,
    nests: [Option<&'a Map<String, Value>>; 5],
}

impl<'a> JsonEvent<'a> {
    /// Wraps a parsed JSON value (normally an object).
    pub fn new(root: &'a Value) -> Self {
        let event = root.get("Event");
        let object = |v: Option<&'a Value>| v.and_then(Value::as_object);
        let user_data = object(event.and_then(|e| e.get("UserData")))
            .and_then(|u| u.values().find_map(Value::as_object));
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
        }
    }

    /// The JSON value found for `name`, before conversion (see the type's documentation).
    pub fn lookup(&self, name: &str) -> Option<&'a Value> {
        if let Some(v) = self.root.get(name) {
            return Some(v);
        }
        let dotted = name.contains('.');
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

/// Follows a dotted path through nested objects.
fn path<'a>(mut v: &'a Value, name: &str) -> Option<&'a Value> {
    for key in name.split('.') {
        v = v.as_object()?.get(key)?;
    }
    Some(v)
}

/// The evaluator's view of a JSON value.
pub fn json_value(v: &Value) -> FieldValue<'_> {
    match v {
        Value::Null => FieldValue::Null,
        Value::Bool(b) => FieldValue::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                FieldValue::Int(i)
            } else if let Some(u) = n.as_u64() {
                FieldValue::UInt(u)
            } else {
                FieldValue::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => FieldValue::Str(s),
        Value::Array(xs) => FieldValue::List(xs.iter().map(json_value).collect()),
        Value::Object(m) => m.get("#text").map_or(FieldValue::Object, json_value),
    }
}

/// Calls `pred` on the scalars of `v`, depth first, until it returns `true`.
fn any_json_scalar(v: &Value, pred: &mut dyn FnMut(&FieldValue<'_>) -> bool) -> bool {
    match v {
        Value::Array(xs) => xs.iter().any(|x| any_json_scalar(x, pred)),
        Value::Object(m) => m.values().any(|x| any_json_scalar(x, pred)),
        scalar => pred(&json_value(scalar)),
    }
}

impl Event for JsonEvent<'_> {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        self.lookup(name).map(json_value)
    }

    fn any_scalar(&self, pred: &mut dyn FnMut(&FieldValue<'_>) -> bool) -> bool {
        any_json_scalar(self.root, pred)
    }
}

/// Looks fields up as [`JsonEvent`] does, locating the nests again on every call; wrap the
/// value in a [`JsonEvent`] when evaluating many rules on it.
impl Event for Value {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        JsonEvent::new(self).lookup(name).map(json_value)
    }

    fn any_scalar(&self, pred: &mut dyn FnMut(&FieldValue<'_>) -> bool) -> bool {
        any_json_scalar(self, pred)
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
            assert_eq!(&JsonEvent::new(event).field(name), want, "{name}");
        }
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
