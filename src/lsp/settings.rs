//! The server's settings: the targets whose queries hover shows, the pipelines they apply and
//! the validators' configuration, from the client's `initializationOptions` or its answer to
//! `workspace/configuration` (section `sigc`). The names mean what `sigc convert -t/-p` and
//! `sigc check --config/--select/--ignore` make of them.

use crate::cli::inputs;
use crate::service;
use serde::Deserialize;
use sigc_backends::Plan;
use sigc_compiler::{Diagnostic, Source};
use sigc_lint::Config;
use sigc_pipeline::builtins;
use std::path::PathBuf;

/// The targets hover shows when the settings name none.
pub const DEFAULT_TARGETS: &[&str] = &["splunk", "logpoint", "car"];

/// The settings as the client writes them (camelCase JSON, every key optional).
#[derive(Deserialize, Default, Debug)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Target names (`sigc list targets`).
    pub targets: Option<Vec<String>>,
    /// Pipelines applied instead of each target's defaults: built-in names or YAML files, as
    /// `sigc convert -p` (a pipeline meant for other targets is skipped for this one).
    pub pipelines: Vec<String>,
    pub validators: Validators,
}

/// The validators' configuration, as `sigc check` takes it.
#[derive(Deserialize, Default, Debug)]
#[serde(default, deny_unknown_fields)]
pub struct Validators {
    /// A validation configuration file in sigma-cli's format.
    pub config: Option<PathBuf>,
    /// Validator ids to run (`all`, `-id`).
    pub select: Vec<String>,
    /// Validator ids not to run.
    pub ignore: Vec<String>,
}

/// What the settings give the server.
pub struct Configured {
    /// One conversion plan per target, in the settings' order.
    pub plans: Vec<Plan>,
    pub config: Config,
}

impl Settings {
    /// The settings in `value` (`null` is the defaults).
    pub fn from_json(value: serde_json::Value) -> Result<Settings, String> {
        if value.is_null() {
            return Ok(Settings::default());
        }
        serde_json::from_value(value).map_err(|e| format!("sigc settings: {e}"))
    }

    /// The plans and validator configuration these settings name; the first problem found is
    /// the error.
    pub fn apply(&self) -> Result<Configured, String> {
        let names: Vec<&str> = match &self.targets {
            Some(t) => t.iter().map(String::as_str).collect(),
            None => DEFAULT_TARGETS.to_vec(),
        };
        let plans = names
            .iter()
            .map(|name| plan(name, &self.pipelines))
            .collect::<Result<_, _>>()?;
        Ok(Configured {
            plans,
            config: self.validators.config()?,
        })
    }
}

impl Validators {
    fn config(&self) -> Result<Config, String> {
        let mut config = match &self.config {
            Some(path) => {
                let source = Source::new(path.display().to_string(), inputs::read_text(path)?);
                Config::load(&source)
                    .map_err(|e| format!("{}: {e}", path.display()))?
                    .0
            }
            None => Config::default(),
        };
        if !self.select.is_empty() {
            config.select(&self.select).map_err(|e| e.to_string())?;
        }
        config.ignore(&self.ignore).map_err(|e| e.to_string())?;
        Ok(config)
    }
}

/// The plan for target `name`: the pipelines of `specs` meant for it, else its defaults.
fn plan(name: &str, specs: &[String]) -> Result<Plan, String> {
    let target = service::target(name).map_err(|e| e.0)?;
    let named = specs
        .iter()
        .map(|spec| {
            builtins::resolve(spec, |path| {
                inputs::read_file(path, true, inputs::MAX_FILE_BYTES)
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| messages(&e))?;
    let pipelines = service::pipelines::for_target(named, target).map_err(|e| messages(&e))?;
    Ok(Plan::new(
        target,
        pipelines,
        &sigc_pipeline::Vars::new(),
        sigc_backends::format::Layout::Builtin(&sigc_backends::format::DEFAULT),
    ))
}

fn messages(errors: &[Diagnostic]) -> String {
    errors
        .iter()
        .map(|d| {
            d.location()
                .map_or(d.message.clone(), |l| format!("{l}: {}", d.message))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors() {
        let configured = Settings::from_json(serde_json::Value::Null)
            .unwrap()
            .apply()
            .unwrap();
        let names: Vec<&str> = configured.plans.iter().map(|p| p.target.name()).collect();
        assert_eq!(names, DEFAULT_TARGETS);
        let bad = Settings::from_json(serde_json::json!({"targets": ["nope"]})).unwrap();
        assert!(bad.apply().err().unwrap().contains("unknown target `nope`"));
        assert!(Settings::from_json(serde_json::json!({"target": []})).is_err());
        let ignore = serde_json::json!({"validators": {"ignore": ["no_such_validator"]}});
        assert!(Settings::from_json(ignore).unwrap().apply().is_err());
    }
}
