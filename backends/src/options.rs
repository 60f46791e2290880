//! Backend options (`-O/--backend-option KEY=VALUE`): settings a target declares, named as its
//! pySigma backend names them, that its output formats read (Splunk's `savedsearches` settings).
//! Every value is checked when it is given, so a format never meets one it cannot write.

use serde::Serialize;
use std::collections::BTreeMap;

/// An option a target declares ([`crate::Target::options`]).
pub struct BackendOption {
    pub name: &'static str,
    /// What it sets, in a few words (`sigc list options TARGET`).
    pub description: &'static str,
    pub kind: Kind,
    /// Refuses a value (the VALUE of a setting) that the formats cannot write, with the reason.
    pub check: fn(&str) -> Result<(), String>,
}

/// How an option is given.
pub enum Kind {
    /// Once at most, this value when it is not given.
    Text { default: &'static str },
    /// `-O NAME=KEY=VALUE`, repeatable: settings written in the order given. A key is letters,
    /// digits and `_ . : -`; the keys in `reserved` are the format's own.
    Settings { reserved: &'static [&'static str] },
}

/// The backend options of one plan: every option the target declares, given or defaulted,
/// seen by templates as `options` (a text option as a string, settings as a list of
/// `{key, value}`).
#[derive(Default, Serialize)]
#[serde(transparent)]
pub struct Options(BTreeMap<&'static str, Value>);

/// One option's value.
#[derive(Serialize)]
#[serde(untagged)]
enum Value {
    Text(String),
    Settings(Vec<Setting>),
}

/// One `KEY=VALUE` setting.
#[derive(Serialize)]
struct Setting {
    key: String,
    value: String,
}

impl Options {
    /// The defaults of the options `declared` by a target.
    pub fn defaults(declared: &'static [BackendOption]) -> Options {
        let value = |o: &BackendOption| match o.kind {
            Kind::Text { default } => Value::Text(default.to_string()),
            Kind::Settings { .. } => Value::Settings(Vec::new()),
        };
        Options(declared.iter().map(|o| (o.name, value(o))).collect())
    }

    /// The options `declared` by a target (`target` in errors), with the `given` `(NAME, VALUE)`
    /// pairs applied in order; an unknown name, a text option given twice, a setting given
    /// twice or a value its check refuses is an error naming it.
    pub fn new(
        target: &str,
        declared: &'static [BackendOption],
        given: &[(String, String)],
    ) -> Result<Options, String> {
        if let Some((name, _)) = given
            .iter()
            .find(|(name, _)| !declared.iter().any(|o| o.name == name))
        {
            return Err(unknown(target, declared, name));
        }
        let mut options = Options::defaults(declared);
        for o in declared {
            let invalid = |reason: String| format!("backend option `{}`: {reason}", o.name);
            let mut values = given
                .iter()
                .filter(|(name, _)| name == o.name)
                .map(|(_, v)| v.as_str())
                .peekable();
            if values.peek().is_none() {
                continue;
            }
            let value = match o.kind {
                Kind::Text { .. } => {
                    let value = values.next().unwrap_or_default();
                    if values.next().is_some() {
                        return Err(invalid("given twice".to_string()));
                    }
                    (o.check)(value).map_err(invalid)?;
                    Value::Text(value.to_string())
                }
                Kind::Settings { reserved } => {
                    let mut settings: Vec<Setting> = Vec::new();
                    for text in values {
                        let s = setting(text, reserved, o.check).map_err(invalid)?;
                        if settings.iter().any(|t| t.key == s.key) {
                            return Err(invalid(format!("`{}` is set twice", s.key)));
                        }
                        settings.push(s);
                    }
                    Value::Settings(settings)
                }
            };
            options.0.insert(o.name, value);
        }
        Ok(options)
    }
}

/// `KEY=VALUE` as a setting of an option whose format keeps `reserved` keys.
fn setting(
    text: &str,
    reserved: &[&str],
    check: fn(&str) -> Result<(), String>,
) -> Result<Setting, String> {
    let Some((key, value)) = text.split_once('=') else {
        return Err(format!("expected KEY=VALUE, got `{}`", text.escape_debug()));
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-');
    if key.is_empty() || !key.chars().all(allowed) {
        return Err(format!(
            "the key `{}` is not a setting name (letters, digits and `_ . : -`)",
            key.escape_debug()
        ));
    }
    if reserved.contains(&key) {
        return Err(format!(
            "`{key}` is written by the format itself; reserved keys: {}",
            reserved.join(", ")
        ));
    }
    check(value)?;
    Ok(Setting {
        key: key.to_string(),
        value: value.to_string(),
    })
}

/// The error for option `name`, which the target does not declare.
fn unknown(target: &str, declared: &[BackendOption], name: &str) -> String {
    let name = name.escape_debug();
    if declared.is_empty() {
        return format!("unknown backend option `{name}`: target `{target}` takes none");
    }
    let names: Vec<&str> = declared.iter().map(|o| o.name).collect();
    format!(
        "unknown backend option `{name}` for target `{target}`; options: {}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(_: &str) -> Result<(), String> {
        Ok(())
    }

    fn no_x(v: &str) -> Result<(), String> {
        if v.contains('x') {
            Err("no x".to_string())
        } else {
            Ok(())
        }
    }

    const DECLARED: &[BackendOption] = &[
        BackendOption {
            name: "min_time",
            description: "",
            kind: Kind::Text { default: "-30d" },
            check: no_x,
        },
        BackendOption {
            name: "output_settings",
            description: "",
            kind: Kind::Settings {
                reserved: &["search"],
            },
            check: plain,
        },
    ];

    fn json(given: &[(&str, &str)]) -> Result<String, String> {
        let given: Vec<(String, String)> = given
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Options::new("t", DECLARED, &given).map(|o| serde_json::to_string(&o).unwrap())
    }

    #[test]
    fn defaults_fill_what_is_not_given_and_settings_keep_their_order() {
        assert_eq!(
            json(&[]).unwrap(),
            r#"{"min_time":"-30d","output_settings":[]}"#
        );
        assert_eq!(
            json(&[
                ("output_settings", "b=2=3"),
                ("min_time", "-7d"),
                ("output_settings", "a.x=1")
            ])
            .unwrap(),
            r#"{"min_time":"-7d","output_settings":[{"key":"b","value":"2=3"},{"key":"a.x","value":"1"}]}"#
        );
    }

    #[test]
    fn unknown_repeated_reserved_and_refused_values_are_errors() {
        let e = json(&[("max", "1")]).unwrap_err();
        assert_eq!(
            e,
            "unknown backend option `max` for target `t`; options: min_time, output_settings"
        );
        assert!(
            Options::new("u", &[], &[("a".into(), "b".into())])
                .err()
                .unwrap()
                .contains("target `u` takes none")
        );
        let twice = json(&[("min_time", "1"), ("min_time", "2")]).unwrap_err();
        assert!(twice.contains("given twice"), "{twice}");
        let twice = json(&[("output_settings", "a=1"), ("output_settings", "a=2")]).unwrap_err();
        assert!(twice.contains("`a` is set twice"), "{twice}");
        assert!(json(&[("min_time", "x")]).unwrap_err().ends_with("no x"));
        assert!(
            json(&[("output_settings", "search=1")])
                .unwrap_err()
                .contains("reserved")
        );
        for bad in ["novalue", "=1", "a b=1", "[x]=1", "a\n=1"] {
            assert!(
                json(&[("output_settings", bad)]).is_err(),
                "{bad:?} is accepted"
            );
        }
    }
}
