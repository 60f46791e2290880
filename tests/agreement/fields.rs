//! An event's fields as a query sees them, with the fields its commands add.

use super::value::text;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The event's fields (by text, `None` for null) and those set by commands along the query.
pub struct Fields<'e> {
    event: &'e Map<String, Value>,
    values: HashMap<String, Option<String>>,
}

impl<'e> Fields<'e> {
    pub fn new(event: &'e Map<String, Value>) -> Self {
        let values = event.iter().map(|(k, v)| (k.clone(), text(v))).collect();
        Fields { event, values }
    }

    /// The field's text; `None` when it is absent or null.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(Option::as_deref)
    }

    /// Whether any of the event's own values satisfies `f`.
    pub fn any_value(&self, f: impl Fn(&str) -> bool) -> bool {
        self.event.values().filter_map(text).any(|t| f(&t))
    }

    /// Whether `re` is found in the field's value; `raw`, when the event has no such field, stands
    /// for the raw event, which holds all its values.
    pub fn found(&self, re: &regex::Regex, field: &str, raw: &str) -> bool {
        match self.values.get(field) {
            Some(v) => v.as_deref().is_some_and(|t| re.is_match(t)),
            None if field == raw => self.any_value(|t| re.is_match(t)),
            None => false,
        }
    }

    /// A regex command's named group: set (to some text) on a hit, null otherwise.
    pub fn capture(&mut self, group: &str, hit: bool) {
        self.values
            .insert(group.to_string(), hit.then(|| "x".to_string()));
    }

    /// An eval command's `target`: `"true"` when `group` is set, else `"false"`.
    pub fn flag(&mut self, target: &str, group: &str) {
        let set = self.get(group).is_some();
        self.values
            .insert(target.to_string(), Some(set.to_string()));
    }
}
