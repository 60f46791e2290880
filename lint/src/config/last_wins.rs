//! Reading YAML the way PyYAML does for sigma-cli: a key written twice in one map keeps its last
//! value. serde_yaml refuses such a map, so the value is built by a visitor that overwrites, and
//! each overwrite is reported with both places, found on the span tree.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Mapping, Value};
use sigc_compiler::diagnostic::{Diagnostic, Severity, Source};
use sigc_compiler::span::Span;
use sigc_compiler::yaml::{SpanKind, SpanTree};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The first document of a file.
pub struct Loaded {
    /// Its value (null when the file holds no document).
    pub value: Value,
    /// Its positions.
    pub tree: Option<SpanTree>,
    /// A located note for every key that a later one overrides.
    pub notes: Vec<Diagnostic>,
}

/// Reads the first document of `source`'s `text`. A syntax error is the error.
pub fn load(source: &Arc<Source>, text: &str) -> Result<Loaded, String> {
    let trees = SpanTree::parse(text, 0).map_err(|e| {
        let lc = source.line_col(e.at);
        format!("line {}, column {}: {}", lc.line, lc.col, e.message)
    })?;
    let tree = trees.into_iter().next();
    let mut notes = Vec::new();
    if let Some(tree) = &tree {
        duplicates(source, tree, &mut notes);
    }
    let value = match serde_yaml::Deserializer::from_str(text).next() {
        Some(doc) => LastWins::deserialize(doc).map_err(|e| e.to_string())?.0,
        None => Value::Null,
    };
    Ok(Loaded { value, tree, notes })
}

/// Reports every key written again in the same map, at the later one.
fn duplicates(source: &Arc<Source>, tree: &SpanTree, notes: &mut Vec<Diagnostic>) {
    let mut stack = vec![tree];
    while let Some(tree) = stack.pop() {
        match &tree.kind {
            SpanKind::Map(map) => {
                let mut first: HashMap<&str, Span> = HashMap::new();
                for (key, span, value) in &map.entries {
                    if let Some(earlier) = first.insert(key, *span) {
                        let lc = source.line_col(earlier.start);
                        notes.push(Diagnostic {
                            code: "duplicate-key",
                            severity: Severity::Info,
                            message: format!(
                                "duplicate key `{key}` replaces the one at line {}, column {}",
                                lc.line, lc.col
                            ),
                            source: Some(source.clone()),
                            span: Some(*span),
                            help: Some(
                                "sigma-cli (PyYAML) keeps the last value too; merge the two entries"
                                    .into(),
                            ),
                        });
                    }
                    stack.push(value);
                }
            }
            SpanKind::Seq(items) => stack.extend(items),
            SpanKind::Scalar => {}
        }
    }
}

/// A YAML value in which a repeated key keeps its last value.
struct LastWins(Value);

impl<'de> Deserialize<'de> for LastWins {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Build).map(LastWins)
    }
}

struct Build;

impl<'de> Visitor<'de> for Build {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(Build)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(LastWins(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some((LastWins(k), LastWins(v))) = map.next_entry()? {
            // As a Python dict: the key keeps its first place, the value is the last one.
            out.insert(k, v);
        }
        Ok(Value::Mapping(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_duplicate_wins_and_both_places_are_named() {
        let text = "a:\n  x: 1\n  y: 2\n  x: 3\nb: [1]\n";
        let source = Source::new("c.yml", text);
        let Loaded { value, notes, .. } = load(&source, text).unwrap();
        assert_eq!(value["a"]["x"].as_u64(), Some(3));
        assert_eq!(value["a"]["y"].as_u64(), Some(2));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].location().unwrap(), "c.yml:4:3");
        assert!(
            notes[0].message.contains("line 2, column 3"),
            "{}",
            notes[0].message
        );
    }

    #[test]
    fn clean_files_have_no_notes() {
        let text = "a: {x: 1, y: 2}\n";
        let source = Source::new("c.yml", text);
        let Loaded { value, notes, .. } = load(&source, text).unwrap();
        assert_eq!(value["a"]["y"].as_u64(), Some(2));
        assert!(notes.is_empty());
        assert!(load(&source, "a: [").is_err());
    }
}
