//! Reading the YAML nodes of one pipeline file into typed values, every error located in the
//! file. Every part of the engine that reads its own parameters uses a [`Reader`].

use regex::Regex;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::{Number, Value};
use sigc_compiler::model::sigma_string;
use sigc_compiler::span::Span;
use sigc_compiler::yaml::Node;
use std::sync::Arc;

/// The last line of a `regex` error ("unclosed group"), without its `error: ` prefix.
pub fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().last().unwrap_or(&text).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// Reads YAML nodes of one pipeline file, collecting located errors.
pub struct Reader<'s> {
    pub source: &'s Arc<Source>,
    pub errors: Vec<Diagnostic>,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s Arc<Source>) -> Self {
        Reader {
            source,
            errors: Vec::new(),
        }
    }

    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(
            "invalid_pipeline",
            message,
            self.source,
            span,
        ));
    }

    pub fn error_help(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(
            Diagnostic::error("invalid_pipeline", message, self.source, span).with_help(help),
        );
    }

    /// `key` of map `n`, or an error at the map.
    pub fn required<'a>(&mut self, n: Node<'a>, key: &str) -> Option<Node<'a>> {
        let found = n.get(key);
        if found.is_none() {
            self.error(n.span(), format!("missing `{key}`"));
        }
        found
    }

    pub fn string(&mut self, n: Node<'_>) -> Option<String> {
        match n.value {
            Yaml::String(s) => Some(s.clone()),
            Yaml::Number(x) => Some(x.to_string()),
            _ => {
                self.error(n.span(), format!("expected a string, not {}", n.kind()));
                None
            }
        }
    }

    pub fn req_string(&mut self, n: Node<'_>, key: &str) -> Option<String> {
        let node = self.required(n, key)?;
        self.string(node)
    }

    pub fn opt_string(&mut self, n: Node<'_>, key: &str) -> Option<String> {
        let node = n.get(key)?;
        if node.value.is_null() {
            return None;
        }
        self.string(node)
    }

    pub fn boolean(&mut self, n: Node<'_>) -> Option<bool> {
        match n.value {
            Yaml::Bool(b) => Some(*b),
            _ => {
                self.error(
                    n.span(),
                    format!("expected true or false, not {}", n.kind()),
                );
                None
            }
        }
    }

    /// A string or a list of strings.
    pub fn strings(&mut self, n: Node<'_>) -> Option<Vec<String>> {
        match n.items() {
            Some(items) => items.into_iter().map(|i| self.string(i)).collect(),
            None => self.string(n).map(|s| vec![s]),
        }
    }

    /// A map from strings to a string or a list of strings, in document order.
    pub fn string_lists(&mut self, n: Node<'_>) -> Option<Vec<(String, Vec<String>)>> {
        let Some(entries) = n.entries() else {
            self.error(n.span(), format!("expected a map, not {}", n.kind()));
            return None;
        };
        let mut out = Vec::new();
        for (k, _, v) in entries {
            out.push((k.into_owned(), self.strings(v)?));
        }
        Some(out)
    }

    /// A regular expression (Python `re` syntax, as far as Rust's `regex` shares it).
    pub fn regex(&mut self, n: Node<'_>) -> Option<Regex> {
        let text = self.string(n)?;
        match Regex::new(&text) {
            Ok(re) => Some(re),
            Err(e) => {
                let why = regex_error(&e);
                self.error(
                    n.span(),
                    format!("invalid regular expression `{text}`: {why}"),
                );
                None
            }
        }
    }

    /// A scalar as an IR value (strings in Sigma notation, with wildcards).
    pub fn value(&mut self, n: Node<'_>) -> Option<Value> {
        match n.value {
            Yaml::String(s) => Some(Value::Str(sigma_string::parse(s))),
            Yaml::Number(x) => Some(Value::Num(number(x))),
            Yaml::Bool(b) => Some(Value::Bool(*b)),
            Yaml::Null => Some(Value::Null),
            _ => {
                self.error(
                    n.span(),
                    format!(
                        "expected a string, number, boolean or null, not {}",
                        n.kind()
                    ),
                );
                None
            }
        }
    }

    /// Any YAML value as JSON (for state and attributes).
    pub fn json(n: Node<'_>) -> Json {
        serde_json::to_value(n.value).unwrap_or(Json::Null)
    }

    pub fn req_json(&mut self, n: Node<'_>, key: &str) -> Option<Json> {
        self.required(n, key).map(Reader::json)
    }

    pub fn req_value(&mut self, n: Node<'_>, key: &str) -> Option<Value> {
        let node = self.required(n, key)?;
        self.value(node)
    }

    pub fn req_strings(&mut self, n: Node<'_>, key: &str) -> Option<Vec<String>> {
        let node = self.required(n, key)?;
        self.strings(node)
    }

    pub fn req_string_lists(
        &mut self,
        n: Node<'_>,
        key: &str,
    ) -> Option<Vec<(String, Vec<String>)>> {
        let node = self.required(n, key)?;
        self.string_lists(node)
    }

    /// Checks that a condition map has only `extra` and `keys`.
    pub fn check_keys(
        &mut self,
        n: Node<'_>,
        extra: &str,
        keys: &[&str],
        what: &str,
    ) -> Option<()> {
        let mut ok = true;
        for (key, span, _) in n.entries().unwrap_or_default() {
            if key != extra && !keys.contains(&key.as_ref()) {
                ok = false;
                let takes = if keys.is_empty() {
                    "no parameters".to_string()
                } else {
                    keys.join(", ")
                };
                self.error_help(
                    span,
                    format!("unknown key `{key}` in a {what}"),
                    format!("it takes: {takes}"),
                );
            }
        }
        ok.then_some(())
    }
}

/// A YAML number as an IR number.
pub fn number(n: &serde_yaml::Number) -> Number {
    match n.as_i64() {
        Some(i) => Number::Int(i),
        None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}
