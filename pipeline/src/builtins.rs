//! The built-in processing pipelines: pySigma-format YAML files under `pipeline/pipelines/`,
//! embedded in the binary. Priorities and allowed targets are read from the YAML itself.

use crate::Pipeline;
use sigc_compiler::{Diagnostic, Source};

/// One built-in pipeline.
pub struct Builtin {
    pub name: &'static str,
    pub description: &'static str,
    pub yaml: &'static str,
}

impl Builtin {
    /// The parsed pipeline (a test checks that every built-in parses).
    pub fn load(&self) -> Result<Pipeline, Vec<Diagnostic>> {
        let source = Source::new(format!("<builtin>/{}.yml", self.name), self.yaml);
        crate::parse(&source)
    }
}

/// Every built-in pipeline, in the order they are listed.
pub const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "sysmon",
        description: "Generic Windows log sources to Sysmon: EventID per category, service sysmon",
        yaml: include_str!("../pipelines/sysmon.yml"),
    },
    Builtin {
        name: "windows-logsources",
        description: "Generic Windows log sources to event log channels (Channel, PowerShell EventIDs)",
        yaml: include_str!("../pipelines/windows-logsources.yml"),
    },
    Builtin {
        name: "windows-audit",
        description: "Generic process-creation and registry log sources to Security audit events 4688 and 4657, with their field names",
        yaml: include_str!("../pipelines/windows-audit.yml"),
    },
    Builtin {
        name: "splunk_windows",
        description: "Splunk: source=\"WinEventLog:<channel>\" per Windows service, EventID as EventCode",
        yaml: include_str!("../pipelines/splunk_windows.yml"),
    },
    Builtin {
        name: "splunk_sysmon_acceleration",
        description: "Splunk: a characteristic keyword in front of Sysmon searches",
        yaml: include_str!("../pipelines/splunk_sysmon_acceleration.yml"),
    },
    Builtin {
        name: "splunk_cim",
        description: "Splunk: Sigma fields to CIM data model fields (needed by -f data_model)",
        yaml: include_str!("../pipelines/splunk_cim.yml"),
    },
    Builtin {
        name: "splunk_sysmon_native",
        description: "Splunk: index=<sysmon_index> EventCode=<n> over Sysmon field names (splunk default)",
        yaml: include_str!("../pipelines/splunk_sysmon_native.yml"),
    },
    Builtin {
        name: "logpoint_native",
        description: "LogPoint: norm_id=WindowsSysmon event_id=<n> over LogPoint field names (logpoint default)",
        yaml: include_str!("../pipelines/logpoint_native.yml"),
    },
    Builtin {
        name: "logpoint_windows",
        description: "LogPoint: pySigma-backend-logpoint's Windows pipeline (labels, channel, norm_id, LogPoint field names)",
        yaml: include_str!("../pipelines/logpoint_windows.yml"),
    },
    Builtin {
        name: "logpoint_o365",
        description: "LogPoint: pySigma-backend-logpoint's Microsoft 365 pipeline (norm_id=Office365, LogPoint field names)",
        yaml: include_str!("../pipelines/logpoint_o365.yml"),
    },
    Builtin {
        name: "logpoint_azure",
        description: "LogPoint: pySigma-backend-logpoint's Azure pipeline (norm_id and event_type per service, LogPoint field names)",
        yaml: include_str!("../pipelines/logpoint_azure.yml"),
    },
    Builtin {
        name: "logpoint_linux",
        description: "LogPoint: pySigma-backend-logpoint's Linux pipeline (auditd and common field names, other fields in snake_case)",
        yaml: include_str!("../pipelines/logpoint_linux.yml"),
    },
    Builtin {
        name: "car",
        description: "CAR: log sources to data-model objects and actions, Sysmon fields to CAR fields (car default)",
        yaml: include_str!("../pipelines/car.yml"),
    },
];

/// pySigma pipelines that are not built in, each with the reason, so that naming one says why.
const NOT_BUILT_IN: &[(&str, &str)] = &[(
    "logpoint_defer_contains",
    "it transforms nothing; it marks the run so that pySigma-backend-logpoint writes each list of \
     `|contains` values as a `process eval(\"…issubstr(…)…\")` step, a form of LogPoint query \
     sigc's LogPoint backend does not write",
)];

/// The built-in pipeline called `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.name == name)
}

/// A pipeline named on the command line: a built-in name, or the path of a YAML file, whose
/// bytes `read` gets (the caller decides how a file may be read: type, size, links).
pub fn resolve(
    spec: &str,
    read: impl FnOnce(&std::path::Path) -> Result<Vec<u8>, String>,
) -> Result<Pipeline, Vec<Diagnostic>> {
    if let Some(b) = builtin(spec) {
        return b.load();
    }
    let path = std::path::Path::new(spec);
    if !path.exists() {
        let names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
        let message = match NOT_BUILT_IN.iter().find(|(name, _)| *name == spec) {
            Some((_, why)) => format!("pySigma's pipeline `{spec}` is not built into sigc: {why}"),
            None => format!("pipeline `{spec}` is neither a built-in pipeline nor a file"),
        };
        return Err(vec![
            Diagnostic::unlocated("unknown_pipeline", message)
                .with_help(format!("built-in pipelines: {}", names.join(", "))),
        ]);
    }
    let bytes = read(path).map_err(|e| vec![Diagnostic::unlocated("unknown_pipeline", e)])?;
    crate::parse(&Source::from_bytes(spec, bytes).map_err(|e| vec![e])?)
}
