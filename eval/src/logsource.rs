//! Log-source pre-filtering: the rules that can apply to an event, decided from what the event
//! says about where it comes from, before any rule is evaluated.
//!
//! Only Windows events say it: their `Channel` (and `EventID`). An event without a `Channel`
//! field could come from anywhere, so every rule applies to it. For an event with one:
//! - a rule whose `product` is set and is not `windows` does not apply;
//! - a Windows rule with a known `service` applies when the channel is that service's;
//! - a Windows rule with a known `category` applies when the channel and the event ID are one of
//!   the category's pairs (Sysmon's event ID per category, Security 4688 for process creation,
//!   PowerShell's channels);
//! - any other rule applies.
//!
//! The facts are the tables below, taken from pySigma's `sysmon` and `windows` pipelines.

use super::event::{Event, FieldValue};
use sigc_compiler::ir::LogSource;
use std::collections::HashMap;

const SYSMON: &str = "Microsoft-Windows-Sysmon/Operational";
const SECURITY: &str = "Security";
const POWERSHELL: &str = "Microsoft-Windows-PowerShell/Operational";
const POWERSHELL_CLASSIC: &str = "Windows PowerShell";

/// A channel and the event IDs on it.
type ChannelIds = (&'static str, &'static [u64]);

/// Windows `category` → the (channel, event IDs) pairs of events that category describes.
const CATEGORIES: &[(&str, &[ChannelIds])] = &[
    ("process_creation", &[(SYSMON, &[1]), (SECURITY, &[4688])]),
    ("file_change", &[(SYSMON, &[2])]),
    ("network_connection", &[(SYSMON, &[3])]),
    ("sysmon_status", &[(SYSMON, &[4, 16])]),
    ("process_termination", &[(SYSMON, &[5])]),
    ("driver_load", &[(SYSMON, &[6])]),
    ("image_load", &[(SYSMON, &[7])]),
    ("create_remote_thread", &[(SYSMON, &[8])]),
    ("raw_access_thread", &[(SYSMON, &[9])]),
    ("process_access", &[(SYSMON, &[10])]),
    ("file_event", &[(SYSMON, &[11])]),
    ("registry_add", &[(SYSMON, &[12])]),
    ("registry_delete", &[(SYSMON, &[12])]),
    ("registry_set", &[(SYSMON, &[13])]),
    ("registry_rename", &[(SYSMON, &[14])]),
    ("registry_event", &[(SYSMON, &[12, 13, 14])]),
    ("create_stream_hash", &[(SYSMON, &[15])]),
    ("pipe_created", &[(SYSMON, &[17, 18])]),
    ("wmi_event", &[(SYSMON, &[19, 20, 21])]),
    ("dns_query", &[(SYSMON, &[22])]),
    ("file_delete", &[(SYSMON, &[23, 26])]),
    ("clipboard_capture", &[(SYSMON, &[24])]),
    ("process_tampering", &[(SYSMON, &[25])]),
    ("file_delete_detected", &[(SYSMON, &[26])]),
    ("file_block_executable", &[(SYSMON, &[27])]),
    ("file_block_shredding", &[(SYSMON, &[28])]),
    ("file_executable_detected", &[(SYSMON, &[29])]),
    ("sysmon_error", &[(SYSMON, &[255])]),
    ("ps_module", &[(POWERSHELL, &[4103])]),
    ("ps_script", &[(POWERSHELL, &[4104])]),
    ("ps_classic_start", &[(POWERSHELL_CLASSIC, &[400])]),
    ("ps_classic_provider_start", &[(POWERSHELL_CLASSIC, &[600])]),
    ("ps_classic_script", &[(POWERSHELL_CLASSIC, &[800])]),
];

/// Windows `service` → its event log channels.
const SERVICES: &[(&str, &[&str])] = &[
    ("application", &["Application"]),
    ("security", &[SECURITY]),
    ("system", &["System"]),
    ("sysmon", &[SYSMON]),
    ("powershell", &[POWERSHELL]),
    ("powershell-classic", &[POWERSHELL_CLASSIC]),
    ("dns-server", &["DNS Server"]),
    (
        "driver-framework",
        &["Microsoft-Windows-DriverFrameworks-UserMode/Operational"],
    ),
    ("dhcp", &["Microsoft-Windows-DHCP-Server/Operational"]),
    ("ntlm", &["Microsoft-Windows-NTLM/Operational"]),
    (
        "windefend",
        &["Microsoft-Windows-Windows Defender/Operational"],
    ),
    (
        "printservice-admin",
        &["Microsoft-Windows-PrintService/Admin"],
    ),
    (
        "printservice-operational",
        &["Microsoft-Windows-PrintService/Operational"],
    ),
    (
        "smbclient-security",
        &["Microsoft-Windows-SmbClient/Security"],
    ),
    (
        "applocker",
        &[
            "Microsoft-Windows-AppLocker/MSI and Script",
            "Microsoft-Windows-AppLocker/EXE and DLL",
            "Microsoft-Windows-AppLocker/Packaged app-Deployment",
            "Microsoft-Windows-AppLocker/Packaged app-Execution",
        ],
    ),
    ("msexchange-management", &["MSExchange Management"]),
    (
        "microsoft-servicebus-client",
        &["Microsoft-ServiceBus-Client"],
    ),
    ("ldap_debug", &["Microsoft-Windows-LDAP-Client/Debug"]),
    (
        "taskscheduler",
        &["Microsoft-Windows-TaskScheduler/Operational"],
    ),
    ("wmi", &["Microsoft-Windows-WMI-Activity/Operational"]),
    (
        "codeintegrity-operational",
        &["Microsoft-Windows-CodeIntegrity/Operational"],
    ),
    (
        "firewall-as",
        &["Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"],
    ),
    (
        "bits-client",
        &["Microsoft-Windows-Bits-Client/Operational"],
    ),
];

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
        let service = logsource.service.as_deref().and_then(|s| {
            SERVICES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(s))
        });
        if let Some((_, channels)) = service {
            return Scope::Channels(
                channels
                    .iter()
                    .map(|c| (c.to_ascii_lowercase(), None))
                    .collect(),
            );
        }
        let category = logsource.category.as_deref().and_then(|c| {
            CATEGORIES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(c))
        });
        match category {
            Some((_, pairs)) => Scope::Channels(
                pairs
                    .iter()
                    .map(|(c, ids)| (c.to_ascii_lowercase(), Some(ids.to_vec())))
                    .collect(),
            ),
            None => Scope::Windows,
        }
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
    /// Reads `Channel` and `EventID` from the event (an `EventID` may be a number, a numeric
    /// string, or an XML element whose `#text` is one).
    pub fn of<E: Event + ?Sized>(event: &E) -> Origin {
        let channel = match event.field("Channel") {
            Some(FieldValue::Str(s)) => Some(s.to_ascii_lowercase()),
            _ => None,
        };
        let event_id = match event.field("EventID") {
            Some(FieldValue::Int(i)) => u64::try_from(i).ok(),
            Some(FieldValue::UInt(u)) => Some(u),
            Some(FieldValue::Str(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Origin { channel, event_id }
    }
}

/// A rule and the event IDs it admits on a channel (`None`: any).
type RuleIds = (usize, Option<Vec<u64>>);

/// Rules grouped by scope, to list the ones that can apply to an event quickly.
#[derive(Clone, Debug, Default)]
pub struct LogSourceIndex {
    /// Rules that apply to every event.
    any: Vec<usize>,
    /// Rules for any Windows event.
    windows: Vec<usize>,
    /// Rules for other products.
    not_windows: Vec<usize>,
    /// Channel (lower case) → rules with their event IDs.
    channels: HashMap<String, Vec<RuleIds>>,
    len: usize,
}

impl LogSourceIndex {
    /// Indexes rules by their scopes; rule `i` is `scopes[i]`.
    pub fn new<'a>(scopes: impl IntoIterator<Item = &'a Scope>) -> Self {
        let mut index = LogSourceIndex::default();
        for (i, scope) in scopes.into_iter().enumerate() {
            index.len += 1;
            match scope {
                Scope::Any => index.any.push(i),
                Scope::Windows => index.windows.push(i),
                Scope::NotWindows => index.not_windows.push(i),
                Scope::Channels(pairs) => {
                    for (channel, ids) in pairs {
                        index
                            .channels
                            .entry(channel.clone())
                            .or_default()
                            .push((i, ids.clone()));
                    }
                }
            }
        }
        index
    }

    /// The rules that may apply to an event from `origin`, in increasing order, into `out`
    /// (cleared first).
    pub fn candidates(&self, origin: &Origin, out: &mut Vec<usize>) {
        out.clear();
        let Some(channel) = &origin.channel else {
            out.extend(0..self.len);
            return;
        };
        out.extend_from_slice(&self.any);
        out.extend_from_slice(&self.windows);
        if let Some(rules) = self.channels.get(channel) {
            out.extend(
                rules
                    .iter()
                    .filter_map(|(i, ids)| match (ids, origin.event_id) {
                        (Some(ids), Some(id)) if !ids.contains(&id) => None,
                        _ => Some(*i),
                    }),
            );
        }
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ls(product: Option<&str>, category: Option<&str>, service: Option<&str>) -> LogSource {
        LogSource {
            product: product.map(Into::into),
            category: category.map(Into::into),
            service: service.map(Into::into),
            ..LogSource::default()
        }
    }

    #[test]
    fn scopes_follow_the_tables() {
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
        ];
        let index = LogSourceIndex::new(&scopes);
        let mut out = Vec::new();
        let sysmon = |id: i64| json!({"Event": {"System": {"Channel": SYSMON, "EventID": id}}});
        let cases = [
            (sysmon(1), vec![0, 3, 5]),
            (sysmon(7), vec![1, 3, 5]),
            (
                json!({"Channel": "Security", "EventID": "4688"}),
                vec![0, 3, 4, 5],
            ),
            (
                json!({"Channel": "security", "EventID": 4624}),
                vec![3, 4, 5],
            ),
            (json!({"Image": "x"}), vec![0, 1, 2, 3, 4, 5]),
            (
                json!({"System": {"Channel": SYSMON, "EventID": {"#text": "7"}}}),
                vec![1, 3, 5],
            ),
            (json!({"Channel": SYSMON}), vec![0, 1, 3, 5]),
        ];
        for (event, want) in cases {
            let origin = Origin::of(&event);
            index.candidates(&origin, &mut out);
            assert_eq!(out, want, "{event}");
            let admitted: Vec<usize> = (0..scopes.len())
                .filter(|&i| scopes[i].admits(&origin))
                .collect();
            assert_eq!(admitted, want, "{event}");
        }
    }
}
