//! When an event happened, for correlations: read from the first of a list of fields that holds
//! a timestamp.
//!
//! A field is looked up as [`JsonEvent::lookup`] does (top level, dotted path, the Windows nests).
//! Its value is read as an RFC 3339 timestamp or Sysmon's `UtcTime` form
//! (`2024-01-02 03:04:05.678`, taken as UTC), both as `time` accepts them. An XML element with
//! attributes, as EVTX-to-JSON converters write `TimeCreated`, stands for its `#text` or its
//! `SystemTime` attribute; a dotted name whose last part is an attribute (`…TimeCreated.SystemTime`)
//! is also read from the element's `#attributes`.

use super::event::JsonEvent;
use super::time;
use serde_json::Value;

/// The fields read by default, first hit wins: ECS and most JSON pipelines, EVTX (as the
/// `evtx` crate and sigc's EVTX reader write it), then flat JSON of Windows and Sysmon events.
pub const DEFAULT_FIELDS: [&str; 4] = [
    "@timestamp",
    "Event.System.TimeCreated.SystemTime",
    "TimeCreated",
    "UtcTime",
];

/// The fields an event's time is read from, in order.
#[derive(Clone, Debug)]
pub struct TimestampFields {
    fields: Vec<String>,
}

impl Default for TimestampFields {
    fn default() -> Self {
        TimestampFields::new(DEFAULT_FIELDS.iter().map(|f| f.to_string()).collect())
    }
}

impl TimestampFields {
    pub fn new(fields: Vec<String>) -> Self {
        TimestampFields { fields }
    }

    /// The fields, in the order they are tried.
    pub fn names(&self) -> &[String] {
        &self.fields
    }

    /// The event's time in microseconds since the Unix epoch, from the first of the fields that
    /// the event has; `None` when it has none of them, or the first it has is no timestamp.
    pub fn read(&self, event: &JsonEvent<'_>) -> Option<i64> {
        let value = self.fields.iter().find_map(|f| lookup(event, f))?;
        time::instant(text(value)?)
    }
}

/// The field `name`, or the attribute named by its last part on the element its other parts name.
fn lookup<'a>(event: &JsonEvent<'a>, name: &str) -> Option<&'a Value> {
    event.lookup(name).or_else(|| {
        let (element, attribute) = name.rsplit_once('.')?;
        event.lookup(element)?.get("#attributes")?.get(attribute)
    })
}

/// A string value, or the text an XML element stands for.
fn text(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(element) => element
            .get("#text")
            .or_else(|| element.get("#attributes")?.get("SystemTime"))
            .or_else(|| element.get("SystemTime"))
            .and_then(Value::as_str),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(fields: &TimestampFields, event: Value) -> Option<String> {
        fields
            .read(&JsonEvent::new(&event))
            .map(time::format_instant)
    }

    #[test]
    fn defaults_read_ecs_evtx_and_sysmon_json() {
        let fields = TimestampFields::default();
        let evtx = json!({"Event": {"System": {"TimeCreated": {"#attributes": {"SystemTime": "2025-12-11T06:17:19.772545Z"}}}, "EventData": {"UtcTime": "2025-12-11 06:17:19.636"}}});
        let cases = [
            (
                json!({"@timestamp": "2024-01-02T03:04:05Z", "UtcTime": "2000-01-01 00:00:00.000"}),
                Some("2024-01-02T03:04:05Z"),
            ),
            (evtx, Some("2025-12-11T06:17:19.772545Z")),
            (
                json!({"System": {"TimeCreated": {"SystemTime": "2024-05-06T07:08:09Z"}}}),
                Some("2024-05-06T07:08:09Z"),
            ),
            (
                json!({"UtcTime": "2024-01-02 03:04:05.678"}),
                Some("2024-01-02T03:04:05.678Z"),
            ),
            (
                json!({"TimeCreated": "2024-01-02T05:04:05+02:00"}),
                Some("2024-01-02T03:04:05Z"),
            ),
            (
                json!({"@timestamp": "yesterday", "UtcTime": "2024-01-02 03:04:05"}),
                None,
            ),
            (json!({"@timestamp": 1704164645}), None),
            (json!({"User": "alice"}), None),
        ];
        for (event, want) in cases {
            assert_eq!(read(&fields, event.clone()).as_deref(), want, "{event}");
        }
    }

    #[test]
    fn a_configured_field_replaces_the_defaults() {
        let fields = TimestampFields::new(vec!["ts".into()]);
        assert_eq!(
            read(&fields, json!({"ts": "2024-01-02T03:04:05Z"})).as_deref(),
            Some("2024-01-02T03:04:05Z")
        );
        assert_eq!(
            read(&fields, json!({"@timestamp": "2024-01-02T03:04:05Z"})),
            None
        );
    }
}
