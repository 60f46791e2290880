//! Log-source pre-filtering: the rules that can apply to an event, decided from what the event
//! says about where it comes from, before any rule is evaluated.
//!
//! Only Windows events say it: their `Channel` (and `EventID`). An event without a `Channel`
//! field could come from anywhere, so every rule applies to it. For an event with one:
//! - a rule whose `product` is set and is not `windows` does not apply;
//! - a Windows rule whose `category` or `service` the built-in pipelines map applies when the
//!   channel, and the event ID when they name some, are ones they add to the rule's queries;
//! - any other rule applies.
//!
//! The mapping is the one the queries use: the built-in `sysmon` and `windows-logsources`
//! pipelines, asked through [`sigc_pipeline::logsource`] (category and service compared
//! without case). [`ALSO`] adds the one kind of event the evaluator admits beyond them.

use super::event::{Event, FieldValue};
use sigc_compiler::ir::LogSource;
use sigc_pipeline::logsource::windows_events;
use std::collections::HashMap;

/// Events a `category` describes beyond what the built-in pipelines map: Windows' own
/// process-creation audit event (Security 4688) is a `process_creation` event as much as
/// Sysmon's event 1, but the pipelines turn the category into Sysmon queries and name only
/// Sysmon's. The rule tests of `process_creation` rules rely on it.
const ALSO: &[(&str, &str, u64)] = &[("process_creation", "security", 4688)];

/// Which events a rule's log source admits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every event (nothing known about the log source).
    Any,
    /// Events that are not Windows events (another `product`).
    NotWindows,
    /// Any Windows event, and events that do not say where they come from.
    Windows,
    /// Windows events of these channels (lower case), with one of the event IDs when given.
    Channels(Vec<(String, Option<Vec<u64>>)>),
}

impl Scope {
    /// The scope of a rule's log source.
    pub fn of(logsource: &LogSource) -> Scope {
        match logsource.product.as_deref() {
            Some(p) if p.eq_ignore_ascii_case("windows") => {}
            Some(_) => return Scope::NotWindows,
            None => return Scope::Any,
        }
        let lower = |s: &Option<String>| s.as_deref().map(str::to_ascii_lowercase);
        let events = windows_events(&LogSource {
            category: lower(&logsource.category),
            product: Some("windows".to_owned()),
            service: lower(&logsource.service),
            ..LogSource::default()
        });
        if events.channels.is_empty() {
            return Scope::Windows;
        }
        let ids = (!events.event_ids.is_empty()).then_some(events.event_ids);
        let mut pairs: Vec<(String, Option<Vec<u64>>)> = events
            .channels
            .iter()
            .map(|c| (c.to_ascii_lowercase(), ids.clone()))
            .collect();
        let category = lower(&logsource.category);
        pairs.extend(
            ALSO.iter()
                .filter(|(c, _, _)| category.as_deref() == Some(*c))
                .map(|(_, channel, id)| ((*channel).to_owned(), Some(vec![*id]))),
        );
        Scope::Channels(pairs)
    }

    /// Whether an event from `origin` may be one this scope describes.
    pub fn admits(&self, origin: &Origin) -> bool {
        let Some(channel) = &origin.channel else {
            return true;
        };
        match self {
            Scope::Any | Scope::Windows => true,
            Scope::NotWindows => false,
            Scope::Channels(pairs) => pairs.iter().any(|(c, ids)| {
                c == channel
                    && match (ids, origin.event_id) {
                        (Some(ids), Some(id)) => ids.contains(&id),
                        _ => true,
                    }
            }),
        }
    }
}

/// Where a Windows event comes from: its `Channel` (lower case) and `EventID`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub channel: Option<String>,
    pub event_id: Option<u64>,
}

impl Origin {
    /// The fields an origin is read from.
    pub const FIELDS: [&str; 2] = ["Channel", "EventID"];

    /// Reads `Channel` and `EventID` from the event (an `EventID` may be a number, a numeric
    /// string, or an XML element whose `#text` is one).
    pub fn of<E: Event + ?Sized>(event: &E) -> Origin {
        let [channel, event_id] = Origin::FIELDS;
        let channel = match event.field(channel) {
            Some(FieldValue::Str(s)) => Some(s.to_ascii_lowercase()),
            _ => None,
        };
        let event_id = match event.field(event_id) {
            Some(FieldValue::Int(i)) => u64::try_from(i).ok(),
            Some(FieldValue::UInt(u)) => Some(u),
            Some(FieldValue::Str(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Origin { channel, event_id }
    }
}

/// Rules grouped by scope, to list the ones that can apply to an event quickly: an event's
/// candidates are at most three lists, disjoint, taken as they are.
#[derive(Clone, Debug, Default)]
pub struct LogSourceIndex {
    /// Rules that apply to every event and rules for any Windows event.
    everywhere: Vec<usize>,
    /// Channel (lower case) → its rules.
    channels: HashMap<String, Channel>,
    len: usize,
}

/// The rules of one channel.
#[derive(Clone, Debug, Default)]
struct Channel {
    /// Rules for any of its events.
    any_id: Vec<usize>,
    /// Event ID → rules for the events of that ID only (none of `any_id`).
    by_id: HashMap<u64, Vec<usize>>,
    /// All of them, for an event without an ID.
    all: Vec<usize>,
}

/// Appends `rule` to `list`, which it is not yet in (rules are indexed in increasing order).
fn add(list: &mut Vec<usize>, rule: usize) {
    if list.last() != Some(&rule) {
        list.push(rule);
    }
}

impl LogSourceIndex {
    /// Indexes rules by their scopes; rule `i` is `scopes[i]`.
    pub fn new<'a>(scopes: impl IntoIterator<Item = &'a Scope>) -> Self {
        let mut index = LogSourceIndex::default();
        for (i, scope) in scopes.into_iter().enumerate() {
            index.len += 1;
            match scope {
                Scope::Any | Scope::Windows => index.everywhere.push(i),
                Scope::NotWindows => {}
                Scope::Channels(pairs) => {
                    for (channel, ids) in pairs {
                        let channel = index.channels.entry(channel.clone()).or_default();
                        add(&mut channel.all, i);
                        match ids {
                            None => add(&mut channel.any_id, i),
                            Some(ids) => ids
                                .iter()
                                .for_each(|id| add(channel.by_id.entry(*id).or_default(), i)),
                        }
                    }
                }
            }
        }
        // A rule named twice on a channel, for any event and for some IDs, is listed once.
        for channel in index.channels.values_mut() {
            let any_id = &channel.any_id;
            for rules in channel.by_id.values_mut() {
                rules.retain(|rule| any_id.binary_search(rule).is_err());
            }
        }
        index
    }

    /// The rules that may apply to an event from `origin`, each once and in no particular
    /// order, into `out` (cleared first).
    pub fn candidates(&self, origin: &Origin, out: &mut Vec<usize>) {
        out.clear();
        let Some(channel) = &origin.channel else {
            out.extend(0..self.len);
            return;
        };
        out.extend_from_slice(&self.everywhere);
        let Some(rules) = self.channels.get(channel) else {
            return;
        };
        match origin.event_id {
            None => out.extend_from_slice(&rules.all),
            Some(id) => {
                out.extend_from_slice(&rules.any_id);
                out.extend_from_slice(rules.by_id.get(&id).map_or(&[], Vec::as_slice));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SYSMON: &str = "Microsoft-Windows-Sysmon/Operational";

    fn ls(product: Option<&str>, category: Option<&str>, service: Option<&str>) -> LogSource {
        LogSource {
            product: product.map(Into::into),
            category: category.map(Into::into),
            service: service.map(Into::into),
            ..LogSource::default()
        }
    }

    #[test]
    fn scopes_follow_the_pipelines() {
        assert_eq!(Scope::of(&ls(None, Some("proxy"), None)), Scope::Any);
        assert_eq!(
            Scope::of(&ls(Some("linux"), Some("process_creation"), None)),
            Scope::NotWindows
        );
        assert_eq!(
            Scope::of(&ls(Some("windows"), Some("nope"), None)),
            Scope::Windows
        );
        assert_eq!(
            Scope::of(&ls(Some("windows"), None, Some("security"))),
            Scope::Channels(vec![("security".into(), None)])
        );
        assert_eq!(
            Scope::of(&ls(Some("Windows"), Some("process_creation"), None)),
            Scope::Channels(vec![
                ("microsoft-windows-sysmon/operational".into(), Some(vec![1])),
                ("security".into(), Some(vec![4688])),
            ])
        );
        assert_eq!(
            Scope::of(&ls(Some("windows"), Some("PS_Script"), None)),
            Scope::Channels(vec![(
                "microsoft-windows-powershell/operational".into(),
                Some(vec![4104])
            )])
        );
        // the pipelines' mapping: FileDeleteDetected (26) is `file_delete_detected`'s
        assert_eq!(
            Scope::of(&ls(Some("windows"), Some("file_delete"), None)),
            Scope::Channels(vec![(
                "microsoft-windows-sysmon/operational".into(),
                Some(vec![23])
            )])
        );
        let Scope::Channels(applocker) = Scope::of(&ls(Some("windows"), None, Some("AppLocker")))
        else {
            panic!("applocker has channels")
        };
        assert_eq!(applocker.len(), 4);
    }

    #[test]
    fn candidates_by_origin() {
        let scopes = [
            Scope::of(&ls(Some("windows"), Some("process_creation"), None)), // 0
            Scope::of(&ls(Some("windows"), Some("image_load"), None)),       // 1
            Scope::of(&ls(Some("linux"), None, None)),                       // 2
            Scope::of(&ls(None, None, None)),                                // 3
            Scope::of(&ls(Some("windows"), None, Some("security"))),         // 4
            Scope::of(&ls(Some("windows"), None, None)),                     // 5
            Scope::Channels(vec![
                ("security".into(), Some(vec![4688, 4688])),
                ("security".into(), None),
            ]), // 6: named twice, listed once
        ];
        let index = LogSourceIndex::new(&scopes);
        let mut out = Vec::new();
        let sysmon = |id: i64| json!({"Event": {"System": {"Channel": SYSMON, "EventID": id}}});
        let cases = [
            (sysmon(1), vec![0, 3, 5]),
            (sysmon(7), vec![1, 3, 5]),
            (
                json!({"Channel": "Security", "EventID": "4688"}),
                vec![0, 3, 4, 5, 6],
            ),
            (
                json!({"Channel": "security", "EventID": 4624}),
                vec![3, 4, 5, 6],
            ),
            (json!({"Channel": "security"}), vec![0, 3, 4, 5, 6]),
            (json!({"Image": "x"}), vec![0, 1, 2, 3, 4, 5, 6]),
            (
                json!({"System": {"Channel": SYSMON, "EventID": {"#text": "7"}}}),
                vec![1, 3, 5],
            ),
            (json!({"Channel": SYSMON}), vec![0, 1, 3, 5]),
        ];
        for (event, want) in cases {
            let origin = Origin::of(&event);
            index.candidates(&origin, &mut out);
            out.sort_unstable();
            assert_eq!(out, want, "{event}");
            let admitted: Vec<usize> = (0..scopes.len())
                .filter(|&i| scopes[i].admits(&origin))
                .collect();
            assert_eq!(admitted, want, "{event}");
        }
    }
}
