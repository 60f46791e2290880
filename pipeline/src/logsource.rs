//! What the built-in Windows pipelines say about events: for a rule's log source, the
//! `Channel` and `EventID` values that `sysmon` and `windows-logsources` add to its queries.
//! The evaluator asks this to tell which rules can apply to an event, so that the queries and
//! the evaluator share one log-source mapping.

use crate::builtins::builtin;
use crate::tree::Node;
use crate::{At, Context, Pipeline, Vars, apply_item, order};
use sigc_compiler::diagnostic::Source;
use sigc_compiler::ir::{LogSource, Meta, Number, Rule, Value};
use sigc_compiler::span::Span;
use std::sync::OnceLock;

/// The built-in pipelines that map generic Windows log sources to events.
const WINDOWS_PIPELINES: [&str; 2] = ["sysmon", "windows-logsources"];

/// The events a log source describes, as the built-in Windows pipelines map it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WindowsEvents {
    /// The event log channels; an event has one of them (empty: the pipelines name none).
    pub channels: Vec<String>,
    /// The event IDs; an event has one of them (empty: any).
    pub event_ids: Vec<u64>,
}

/// The `Channel` and `EventID` conditions [`WINDOWS_PIPELINES`] add for `logsource`, applied in
/// their order (`sysmon` maps a category to its EventID and to `service: sysmon`, then
/// `windows-logsources` maps each service to its channel).
pub fn windows_events(logsource: &LogSource) -> WindowsEvents {
    let mut rule = Rule {
        meta: Meta::default(),
        logsource: logsource.clone(),
        conditions: Vec::new(),
        tests: None,
        source: Source::new("<logsource>", ""),
        span: Span::new(0, 0),
    };
    let vars = Vars::new();
    let pipelines = windows_pipelines();
    let mut cx = Context::new(
        &mut rule,
        vec![Node::And(Vec::new())],
        &vars,
        pipelines,
        None,
    );
    for pipeline in pipelines {
        for item in &pipeline.items {
            apply_item(&mut cx, At { pipeline, item })
                .expect("the built-in Windows pipelines only add constant conditions");
        }
    }
    let mut events = WindowsEvents::default();
    for leaf in cx.trees.iter().flat_map(Node::leaves) {
        let value = &leaf.m.value;
        match leaf.m.field.as_deref() {
            Some("Channel") => events.channels.extend(plain(value)),
            Some("EventID") => events.event_ids.extend(event_id(value)),
            // no other field says where an event comes from
            _ => {}
        }
    }
    events
}

/// [`WINDOWS_PIPELINES`], parsed once and ordered.
fn windows_pipelines() -> &'static [Pipeline] {
    static PIPELINES: OnceLock<Vec<Pipeline>> = OnceLock::new();
    PIPELINES.get_or_init(|| {
        let mut pipelines: Vec<Pipeline> = WINDOWS_PIPELINES
            .iter()
            .map(|name| {
                let b = builtin(name).expect("a built-in pipeline");
                b.load().expect("the built-in pipelines parse")
            })
            .collect();
        order(&mut pipelines);
        pipelines
    })
}

/// A plain string value's text.
fn plain(value: &Value) -> Option<String> {
    if let Value::Str(p) = value {
        p.as_plain()
    } else {
        None
    }
}

/// An integer value as an event ID.
fn event_id(value: &Value) -> Option<u64> {
    if let Value::Num(Number::Int(id)) = value {
        u64::try_from(*id).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conditions::RuleCond;

    fn windows(category: Option<&str>, service: Option<&str>) -> WindowsEvents {
        windows_events(&LogSource {
            category: category.map(Into::into),
            product: Some("windows".into()),
            service: service.map(Into::into),
            ..LogSource::default()
        })
    }

    #[test]
    fn categories_and_services_map_to_channels_and_event_ids() {
        let sysmon = "Microsoft-Windows-Sysmon/Operational".to_string();
        assert_eq!(
            windows(Some("process_creation"), None),
            WindowsEvents {
                channels: vec![sysmon.clone()],
                event_ids: vec![1]
            }
        );
        assert_eq!(windows(Some("pipe_created"), None).event_ids, [17, 18]);
        assert_eq!(
            windows(Some("ps_classic_start"), None),
            WindowsEvents {
                channels: vec!["Windows PowerShell".into()],
                event_ids: vec![400]
            }
        );
        assert_eq!(
            windows(None, Some("security")),
            WindowsEvents {
                channels: vec!["Security".into()],
                event_ids: vec![]
            }
        );
        assert_eq!(windows(Some("proxy"), None), WindowsEvents::default());
        assert_eq!(windows(None, None), WindowsEvents::default());
    }

    /// Every log source the two pipelines name leads to at least one channel.
    #[test]
    fn every_mapped_log_source_has_a_channel() {
        let mut seen = 0;
        for item in windows_pipelines().iter().flat_map(|p| &p.items) {
            for cond in &item.conditions.rule.list {
                if let RuleCond::Logsource {
                    category, service, ..
                } = cond
                {
                    seen += 1;
                    let events = windows(category.as_deref(), service.as_deref());
                    assert!(!events.channels.is_empty(), "{category:?} {service:?}");
                }
            }
        }
        assert!(seen > 100, "{seen}");
    }
}
