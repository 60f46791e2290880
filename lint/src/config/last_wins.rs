//! Reading YAML the way PyYAML does for sigma-cli: a key written twice in one map keeps its last
//! value (at the first key's place, as in a Python dict). The compiler's one YAML reader does it
//! ([`Duplicates::LastWins`]); each replaced key becomes a note naming both places.

use serde_yaml::Value;
use sigc_compiler::diagnostic::{Diagnostic, Severity, Source};
use sigc_compiler::yaml::{self, Duplicates, SpanTree};
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

/// Reads the first document of `source`. A syntax error is the error.
pub fn load(source: &Arc<Source>) -> Result<Loaded, String> {
    let (docs, replaced) = yaml::load_with(source, Duplicates::LastWins).map_err(|e| {
        let lc = source.line_col(e.span.map_or(0, |s| s.start));
        format!("line {}, column {}: {}", lc.line, lc.col, e.message)
    })?;
    let notes = replaced
        .into_iter()
        .map(|r| {
            let lc = source.line_col(r.earlier.start);
            Diagnostic {
                code: "duplicate_key",
                severity: Severity::Info,
                message: format!(
                    "duplicate key `{}` replaces the one at line {}, column {}",
                    r.key, lc.line, lc.col
                ),
                source: Some(source.clone()),
                span: Some(r.later),
                help: Some(
                    "sigma-cli (PyYAML) keeps the last value too; merge the two entries".into(),
                ),
            }
        })
        .collect();
    let (value, tree) = match docs.into_iter().next() {
        Some(doc) => (doc.value, Some(doc.spans)),
        None => (Value::Null, None),
    };
    Ok(Loaded { value, tree, notes })
}
