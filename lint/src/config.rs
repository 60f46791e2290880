//! The validation configuration, in sigma-cli's format:
//!
//! ```yaml
//! validators: [all, -tlptag]          # `all`, ids to enable, `-id` to disable
//! exclusions:                         # per rule id: a validator id or a list of them
//!   5013332f-8a70-4e04-bcc1-06a98a2cca2e: [sigmahq_title_length]
//! config:                             # per-validator settings
//!   sigmahq_title_length: {max_length: 140}
//! ```

use super::VALIDATORS;
use std::collections::{BTreeSet, HashMap};

/// Which validators run, where they do not, and their settings.
#[derive(Clone, Debug)]
pub struct Config {
    enabled: BTreeSet<&'static str>,
    exclusions: HashMap<String, BTreeSet<String>>,
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
            enabled: VALIDATORS.iter().map(|v| v.id).collect(),
            exclusions: HashMap::new(),
            settings: HashMap::new(),
        }
    }
}

impl Config {
    /// Reads a sigma-cli validation file.
    pub fn from_yaml(text: &str) -> Result<Config, ConfigError> {
        let value: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| ConfigError(format!("invalid YAML: {e}")))?;
        let mut config = Config::default();
        if value.is_null() {
            return Ok(config);
        }
        let map = value
            .as_mapping()
            .ok_or_else(|| ConfigError("the configuration must be a map".into()))?;
        for (key, value) in map {
            match key.as_str() {
                Some("validators") => {
                    let list = strings(value, "validators")?;
                    config.enabled.clear();
                    config.update(&list)?;
                }
                Some("exclusions") => {
                    let rules = value.as_mapping().ok_or_else(|| {
                        ConfigError("`exclusions` must map rule ids to validators".into())
                    })?;
                    for (rule, names) in rules {
                        let rule = scalar(rule).ok_or_else(|| {
                            ConfigError("an exclusion key must be a rule id".into())
                        })?;
                        let names = match names.as_str() {
                            Some(one) => vec![one.to_string()],
                            None => strings(names, "exclusions")?,
                        };
                        for name in &names {
                            known(name)?;
                        }
                        config.exclusions.entry(rule).or_default().extend(names);
                    }
                }
                Some("config") => {
                    let per = value.as_mapping().ok_or_else(|| {
                        ConfigError("`config` must map validator ids to settings".into())
                    })?;
                    for (name, settings) in per {
                        let name = scalar(name).unwrap_or_default();
                        known(&name)?;
                        config.settings.insert(name, settings.clone());
                    }
                }
                _ => {
                    return Err(ConfigError(format!(
                        "unknown key `{}` (expected validators, exclusions, config)",
                        scalar(key).unwrap_or_default()
                    )));
                }
            }
        }
        Ok(config)
    }

    /// Applies a list like `[all, -x, y]` in order: `all` enables every validator, `-id` disables one.
    pub fn update(&mut self, list: &[String]) -> Result<(), ConfigError> {
        for name in list {
            if name == "all" {
                self.enabled = VALIDATORS.iter().map(|v| v.id).collect();
            } else if let Some(off) = name.strip_prefix('-') {
                self.enabled.remove(known(off)?);
            } else {
                self.enabled.insert(known(name)?);
            }
        }
        Ok(())
    }

    /// Runs exactly these validators (`--select`).
    pub fn select(&mut self, ids: &[String]) -> Result<(), ConfigError> {
        self.enabled.clear();
        self.update(ids)
    }

    /// Turns these validators off (`--ignore`).
    pub fn ignore(&mut self, ids: &[String]) -> Result<(), ConfigError> {
        for id in ids {
            self.enabled.remove(known(id)?);
        }
        Ok(())
    }

    /// Is this validator on at all?
    pub fn enabled(&self, id: &str) -> bool {
        self.enabled.contains(id)
    }

    /// Does this validator run on the rule with this id?
    pub fn applies(&self, id: &str, rule_id: Option<&str>) -> bool {
        self.enabled(id)
            && !rule_id
                .and_then(|r| self.exclusions.get(r))
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
    VALIDATORS
        .iter()
        .find(|v| v.id == name)
        .map(|v| v.id)
        .ok_or_else(|| {
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

    #[test]
    fn sigma_cli_files_are_read() {
        let c = Config::from_yaml(
            "validators: [all, -tlptag]\nexclusions:\n  abc: duplicate_title\n  def: [tag_format]\nconfig:\n  sigmahq_title_length: {max_length: 140}\n",
        )
        .unwrap();
        assert!(!c.enabled("tlptag"));
        assert!(c.enabled("tlpv2_tag"));
        assert!(!c.applies("duplicate_title", Some("abc")));
        assert!(c.applies("duplicate_title", Some("def")));
        assert!(!c.applies("tag_format", Some("def")));
        assert_eq!(c.number("sigmahq_title_length", "max_length", 120), 140);
        assert_eq!(c.number("sigmahq_title_end", "x", 7), 7);
        assert!(Config::from_yaml("validators: [nope]").is_err());
        assert!(Config::from_yaml("other: 1").is_err());
        let only = Config::from_yaml("validators: [tag_format]").unwrap();
        assert!(only.enabled("tag_format") && !only.enabled("duplicate_title"));
    }
}
