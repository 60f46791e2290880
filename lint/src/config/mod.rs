//! The validation configuration, in sigma-cli's format, read as sigma-cli reads it:
//!
//! ```yaml
//! validators: [all, -tlptag]          # `all`, ids to enable, `-id` to disable; none if absent
//! exclusions:                         # per rule id (a UUID): a validator id or a list of them
//!   5013332f-8a70-4e04-bcc1-06a98a2cca2e: [sigmahq_title_length]
//! config:                             # per-validator settings
//!   sigmahq_title_length: {max_length: 140}
//! ```
//!
//! As in pySigma's `SigmaValidator.from_dict`: a key written twice keeps its last value (PyYAML),
//! removing a validator that is not enabled is an error, exclusion keys are compared as UUIDs, and
//! other top-level keys are ignored (with a note).

mod last_wins;

use super::VALIDATORS;
use sigc_compiler::diagnostic::{Diagnostic, Severity, Source};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// Which validators run, where they do not, and their settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Whether each validator of [`VALIDATORS`], in its order, runs.
    enabled: Vec<bool>,
    /// Per rule id (`None`: rules without one), the validators that skip it.
    exclusions: HashMap<Option<Uuid>, BTreeSet<&'static str>>,
    settings: HashMap<String, serde_yaml::Value>,
}

/// A configuration that cannot be used: what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Default for Config {
    /// Every validator, no exclusion, default settings.
    fn default() -> Self {
        Config {
            enabled: vec![true; VALIDATORS.len()],
            exclusions: HashMap::new(),
            settings: HashMap::new(),
        }
    }
}

impl Config {
    /// Reads a sigma-cli validation file; returns it with notes about what sigma-cli would also
    /// accept but probably is a mistake (a repeated key, an unknown top-level key).
    pub fn load(source: &Arc<Source>) -> Result<(Config, Vec<Diagnostic>), ConfigError> {
        let last_wins::Loaded {
            value,
            tree,
            mut notes,
        } = last_wins::load(source).map_err(ConfigError)?;
        let map = value
            .as_mapping()
            .ok_or_else(|| ConfigError("the configuration must be a map".into()))?;
        let mut config = Config {
            enabled: vec![false; VALIDATORS.len()],
            exclusions: HashMap::new(),
            settings: HashMap::new(),
        };
        for (key, value) in map {
            match key.as_str() {
                Some("validators") => config.update(&strings(value, "validators")?)?,
                Some("exclusions") => config.exclusions(value)?,
                Some("config") => config.settings(value)?,
                _ => {
                    let name = scalar(key).unwrap_or_default();
                    let span = tree
                        .as_ref()
                        .and_then(|t| t.entry(map, &name))
                        .map(|(s, _)| s);
                    notes.push(Diagnostic {
                        code: "unknown_key",
                        severity: Severity::Info,
                        message: format!("unknown key `{name}` is ignored (as sigma-cli does)"),
                        source: Some(source.clone()),
                        span,
                        help: Some("the keys are validators, exclusions and config".into()),
                    });
                }
            }
        }
        Ok((config, notes))
    }

    /// Reads `exclusions`: rule id → validator id or list of them. A later entry for the same
    /// rule replaces an earlier one, as in a Python dict.
    fn exclusions(&mut self, value: &serde_yaml::Value) -> Result<(), ConfigError> {
        let rules = value
            .as_mapping()
            .ok_or_else(|| ConfigError("`exclusions` must map rule ids to validators".into()))?;
        for (rule, names) in rules {
            let rule = match rule {
                serde_yaml::Value::Null => None,
                other => {
                    let text = scalar(other).unwrap_or_default();
                    Some(Uuid::parse_str(&text).map_err(|_| {
                        ConfigError(format!("exclusion key `{text}` is not a rule id (a UUID)"))
                    })?)
                }
            };
            let names = match names.as_str() {
                Some(one) => vec![one.to_string()],
                None => strings(names, "exclusions")?,
            };
            let ids = names.iter().map(|n| known(n)).collect::<Result<_, _>>()?;
            self.exclusions.insert(rule, ids);
        }
        Ok(())
    }

    /// Reads `config`: validator id → map of settings.
    fn settings(&mut self, value: &serde_yaml::Value) -> Result<(), ConfigError> {
        let per = value
            .as_mapping()
            .ok_or_else(|| ConfigError("`config` must map validator ids to settings".into()))?;
        for (name, settings) in per {
            let name = scalar(name).unwrap_or_default();
            known(&name)?;
            if !settings.is_mapping() {
                return Err(ConfigError(format!(
                    "the configuration of validator `{name}` is not a map"
                )));
            }
            self.settings.insert(name, settings.clone());
        }
        Ok(())
    }

    /// Applies a list like `[all, -x, y]` in order: `all` enables every validator, `-id` disables
    /// an enabled one.
    pub fn update(&mut self, list: &[String]) -> Result<(), ConfigError> {
        for name in list {
            if name == "all" {
                self.enabled.fill(true);
            } else if let Some(off) = name.strip_prefix('-') {
                let i = index(off)?;
                if !self.enabled[i] {
                    return Err(ConfigError(format!(
                        "cannot remove validator `{off}`: it is not enabled at this point"
                    )));
                }
                self.enabled[i] = false;
            } else {
                self.enabled[index(name)?] = true;
            }
        }
        Ok(())
    }

    /// Runs exactly these validators (`--select`).
    pub fn select(&mut self, ids: &[String]) -> Result<(), ConfigError> {
        self.enabled.fill(false);
        self.update(ids)
    }

    /// Turns these validators off (`--ignore`).
    pub fn ignore(&mut self, ids: &[String]) -> Result<(), ConfigError> {
        for id in ids {
            self.enabled[index(id)?] = false;
        }
        Ok(())
    }

    /// Is this validator on at all?
    pub fn enabled(&self, id: &str) -> bool {
        VALIDATORS
            .iter()
            .position(|v| v.id == id)
            .is_some_and(|i| self.enabled[i])
    }

    /// Does this validator run on the rule with this id?
    /// A rule whose id is not a UUID matches no exclusion.
    pub fn applies(&self, id: &str, rule_id: Option<&str>) -> bool {
        self.enabled(id) && !self.excludes(id, rule_id)
    }

    /// [`Config::applies`] for the validator at index `i` of [`VALIDATORS`] (the check's inner
    /// loop, which knows it).
    pub fn applies_at(&self, i: usize, rule_id: Option<&str>) -> bool {
        self.enabled[i] && !self.excludes(VALIDATORS[i].id, rule_id)
    }

    /// Whether the exclusions name validator `id` for the rule with this id.
    fn excludes(&self, id: &str, rule_id: Option<&str>) -> bool {
        if self.exclusions.is_empty() {
            return false;
        }
        let key = match rule_id {
            None => Some(None),
            Some(r) => Uuid::parse_str(r).ok().map(Some),
        };
        key.and_then(|k| self.exclusions.get(&k))
            .is_some_and(|names| names.contains(id))
    }

    /// A number setting of a validator (`config: {validator: {name: N}}`), or `default`.
    pub fn number(&self, validator: &str, name: &str, default: usize) -> usize {
        self.settings
            .get(validator)
            .and_then(|s| s.get(name))
            .and_then(serde_yaml::Value::as_u64)
            .map_or(default, |n| n as usize)
    }

    /// A list-of-strings setting of a validator, if given.
    pub fn words(&self, validator: &str, name: &str) -> Option<Vec<String>> {
        let list = self.settings.get(validator)?.get(name)?.as_sequence()?;
        Some(list.iter().filter_map(scalar).collect())
    }
}

/// The registered id equal to `name`.
fn known(name: &str) -> Result<&'static str, ConfigError> {
    index(name).map(|i| VALIDATORS[i].id)
}

/// The index in [`VALIDATORS`] of the validator named `name`.
fn index(name: &str) -> Result<usize, ConfigError> {
    VALIDATORS.iter().position(|v| v.id == name).ok_or_else(|| {
        ConfigError(format!(
            "unknown validator `{name}` (`sigc list validators` lists them)"
        ))
    })
}

fn scalar(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn strings(value: &serde_yaml::Value, what: &str) -> Result<Vec<String>, ConfigError> {
    value
        .as_sequence()
        .map(|s| s.iter().filter_map(scalar).collect())
        .ok_or_else(|| ConfigError(format!("`{what}` must be a list of validator ids")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "5013332f-8a70-4e04-bcc1-06a98a2cca2e";
    const B: &str = "021310d9-30a6-480a-84b7-eaa69aeb92bb";

    fn load(text: &str) -> Result<(Config, Vec<Diagnostic>), ConfigError> {
        Config::load(&Source::new("c.yml", text))
    }

    #[test]
    fn sigma_cli_files_are_read() {
        let text = format!(
            "validators: [all, -tlptag]\nexclusions:\n  {A}: duplicate_title\n  {}: [tag_format]\nconfig:\n  sigmahq_title_length: {{max_length: 140}}\n",
            B.to_uppercase()
        );
        let (c, notes) = load(&text).unwrap();
        assert!(notes.is_empty());
        assert!(!c.enabled("tlptag"));
        assert!(c.enabled("tlpv2_tag"));
        assert!(!c.applies("duplicate_title", Some(A)));
        assert!(c.applies("duplicate_title", Some(B)));
        assert!(
            !c.applies("tag_format", Some(B)),
            "ids are compared as UUIDs"
        );
        assert_eq!(c.number("sigmahq_title_length", "max_length", 120), 140);
        assert_eq!(c.number("sigmahq_title_end", "x", 7), 7);
        let (only, _) = load("validators: [tag_format]").unwrap();
        assert!(only.enabled("tag_format") && !only.enabled("duplicate_title"));
    }

    #[test]
    fn what_pysigma_refuses_is_refused() {
        assert!(load("validators: [nope]").is_err());
        assert!(
            load("validators: [-tlptag]").is_err(),
            "removing a validator not enabled"
        );
        assert!(load("exclusions: {not-a-uuid: tlptag}").is_err());
        assert!(load("config: {sigmahq_title_length: 140}").is_err());
        assert!(load("").is_err());
    }

    #[test]
    fn a_repeated_rule_keeps_its_last_exclusions() {
        let text =
            format!("validators: [all]\nexclusions:\n  {A}: escaped_wildcard\n  {A}: tag_format\n");
        let (c, notes) = load(&text).unwrap();
        assert!(c.applies("escaped_wildcard", Some(A)));
        assert!(!c.applies("tag_format", Some(A)));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].location().unwrap(), "c.yml:4:3");
    }

    #[test]
    fn without_validators_nothing_runs_and_unknown_keys_are_noted() {
        let (c, notes) = load("other: 1\nexclusions: {~: tlptag}\n").unwrap();
        assert!(!c.enabled("tlptag"));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "unknown_key");
        assert_eq!(notes[0].location().unwrap(), "c.yml:1:1");
        let (c, _) = load("validators: [all]\nexclusions: {~: tlptag}\n").unwrap();
        assert!(
            !c.applies("tlptag", None),
            "a null key stands for rules without id"
        );
        assert!(c.applies("tlptag", Some(A)));
    }
}
