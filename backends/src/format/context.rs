//! What a template sees of one rule: an object whose keys are made into template values only
//! when the template reads them, so a format that reads a rule's queries alone (the default one)
//! never converts the rest of its metadata.

use super::names::OutputNames;
use crate::Query;
use crate::{Converted, Subject};
use minijinja::Value;
use minijinja::value::{Enumerator, Object};
use serde::Serialize;
use sigc_compiler::Source;
use sigc_compiler::ir::{Meta, Rule};
use sigc_pipeline::State;
use std::sync::Arc;

/// One converted rule or correlation in a template: every metadata field of the document
/// (`title`, `id`, `level`, `tags`, `fields`, `custom`, …), `kind`, `logsource`, `path`,
/// `queries`, `searches`, `state` and, when the format computes one, `extra`.
#[derive(Debug)]
pub struct RuleContext {
    document: Described,
    source: Arc<Source>,
    queries: Arc<[Query]>,
    /// The names of the output's queries, and this rule's place in it.
    names: (Arc<OutputNames>, usize),
    state: State,
    extra: Option<serde_json::Value>,
}

/// The document whose metadata a [`RuleContext`] shows.
#[derive(Debug)]
enum Described {
    Rule(Arc<Rule>),
    Correlation(Box<Meta>),
}

/// Every key of a [`RuleContext`], sorted as a template's map iterates them; `extra` only when
/// the format computes it.
const KEYS: &[&str] = &[
    "author",
    "custom",
    "date",
    "description",
    "extra",
    "falsepositives",
    "fields",
    "id",
    "kind",
    "level",
    "license",
    "logsource",
    "modified",
    "name",
    "path",
    "queries",
    "references",
    "related",
    "scope",
    "searches",
    "state",
    "status",
    "tags",
    "taxonomy",
    "title",
];

/// A query in parts, as the backend built it (never split from the text): `search` is the query
/// without the ` | table` of the rule's fields; `main` is the search up to its first pipeline
/// command, `deferred` the rest as written (each command after `\n| `) and `commands` the same
/// commands as a list; `table` is the escaped field list of the `table` command (empty when the
/// rule has no `fields`).
#[derive(Serialize)]
pub struct QueryParts<'a> {
    /// A name unique in the output: the rule's title, numbered when it would repeat.
    pub name: &'a str,
    pub search: String,
    pub main: &'a str,
    pub deferred: String,
    pub commands: &'a [String],
    pub table: &'a str,
    /// A correlation's query, line by line (empty for a rule's).
    pub lines: &'a [String],
}

impl<'a> QueryParts<'a> {
    fn new(q: &'a Query, name: &'a str) -> Self {
        QueryParts {
            name,
            search: q.search(),
            main: &q.main,
            deferred: q.deferred_text(),
            commands: &q.deferred,
            table: q.table.as_deref().unwrap_or_default(),
            lines: &q.lines,
        }
    }
}

impl RuleContext {
    /// `c` in a template, its queries named by `names` (the output's, and its place there) and
    /// `extra` computed by the format.
    pub fn new(
        c: &Converted,
        names: (Arc<OutputNames>, usize),
        extra: Option<serde_json::Value>,
    ) -> Self {
        RuleContext {
            document: match &c.subject {
                Subject::Rule { rule, .. } => Described::Rule(Arc::clone(rule)),
                Subject::Correlation(correlation) => {
                    Described::Correlation(Box::new(correlation.meta.clone()))
                }
            },
            source: Arc::clone(c.source()),
            queries: Arc::clone(&c.queries),
            names,
            state: c.state.clone(),
            extra,
        }
    }

    fn meta(&self) -> &Meta {
        match &self.document {
            Described::Rule(rule) => &rule.meta,
            Described::Correlation(meta) => meta,
        }
    }

    /// The value of `key`, `None` when the context has no such key.
    fn value(&self, key: &str) -> Option<Value> {
        let m = self.meta();
        let value = match key {
            "kind" => Value::from(match self.document {
                Described::Rule(_) => "rule",
                Described::Correlation(_) => "correlation",
            }),
            "logsource" => match &self.document {
                Described::Rule(rule) => Value::from_serialize(&rule.logsource),
                Described::Correlation(_) => Value::from(()),
            },
            "path" => Value::from(self.source.name.as_str()),
            "queries" => self.queries.iter().map(|q| q.to_string()).collect(),
            "searches" => self
                .queries
                .iter()
                .zip(self.names.0.of(self.names.1))
                .map(|(q, name)| Value::from_serialize(QueryParts::new(q, name)))
                .collect(),
            "state" => Value::from_serialize(&self.state),
            "extra" => Value::from_serialize(self.extra.as_ref()?),
            "title" => Value::from(m.title.as_str()),
            "id" => Value::from_serialize(&m.id),
            "name" => Value::from_serialize(&m.name),
            "related" => Value::from_serialize(&m.related),
            "taxonomy" => Value::from_serialize(&m.taxonomy),
            "status" => Value::from_serialize(m.status),
            "description" => Value::from_serialize(&m.description),
            "license" => Value::from_serialize(&m.license),
            "author" => Value::from_serialize(&m.author),
            "references" => Value::from_serialize(&m.references),
            "date" => Value::from_serialize(&m.date),
            "modified" => Value::from_serialize(&m.modified),
            "fields" => Value::from_serialize(&m.fields),
            "falsepositives" => Value::from_serialize(&m.falsepositives),
            "level" => Value::from_serialize(m.level),
            "tags" => Value::from_serialize(&m.tags),
            "scope" => Value::from_serialize(&m.scope),
            "custom" => Value::from_serialize(&m.custom),
            _ => return None,
        };
        Some(value)
    }
}

impl Object for RuleContext {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.value(key.as_str()?)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let extra = self.extra.is_some();
        Enumerator::Iter(Box::new(
            KEYS.iter()
                .filter(move |&&k| extra || k != "extra")
                .map(|&k| Value::from(k)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::ir::Rule;

    /// Every field a rule's metadata serialises to is a key of the context, with the value
    /// serde gives it, so a field added to `Meta` cannot go missing from templates.
    #[test]
    fn context_keys_are_the_metadata_fields_and_the_context_own() {
        let source = Source::new("r.yml", "");
        let rule = Rule {
            meta: Meta::default(),
            logsource: Default::default(),
            conditions: Vec::new(),
            tests: None,
            source: Arc::clone(&source),
            span: Default::default(),
        };
        let rule = Arc::new(rule);
        let converted = Converted::rule(Arc::clone(&rule), rule, Vec::new(), State::new());
        let context = RuleContext::new(
            &converted,
            (Arc::new(OutputNames::new(Vec::new())), 0),
            None,
        );
        let serde_json::Value::Object(fields) = serde_json::to_value(context.meta()).unwrap()
        else {
            panic!("metadata serialises to a map")
        };
        let own = [
            "kind",
            "logsource",
            "path",
            "queries",
            "searches",
            "state",
            "extra",
        ];
        let mut expected: Vec<&str> = fields.keys().map(String::as_str).chain(own).collect();
        expected.sort_unstable();
        assert_eq!(KEYS, expected);
        let object = Value::from_object(context);
        let listed: Vec<String> = object.try_iter().unwrap().map(|k| k.to_string()).collect();
        assert!(!listed.contains(&"extra".to_string()), "no extra, no key");
        assert_eq!(listed.len(), KEYS.len() - 1);
        let context = object.downcast_object_ref::<RuleContext>().unwrap();
        for (key, value) in fields {
            assert_eq!(
                context.value(&key),
                Some(Value::from_serialize(&value)),
                "{key}"
            );
        }
    }
}
