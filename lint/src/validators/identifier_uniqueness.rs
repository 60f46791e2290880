//! `identifier_uniqueness`
//!
//! ## What it does
//! Reports a rule whose `id` another rule of the input already uses (across all files checked).
//!
//! ## Why is this bad?
//! Ids must be unique: correlations, filters and exclusions would pick either rule, and alert
//! deduplication would merge unrelated detections.
//!
//! ## Example
//! Two files both holding `id: 929a690e-bef0-4204-a928-ef5e620d6fcc`.

use crate::{Finding, RuleFacts, collection_finding};
use foldhash::{HashMap, HashMapExt};

pub fn check(facts: &[RuleFacts], out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, &RuleFacts> = HashMap::with_capacity(facts.len());
    for f in facts {
        let Some((id, span)) = &f.id else { continue };
        match first.get(id.as_str()) {
            Some(original) => {
                let (_, at) = original.id.as_ref().expect("has an id");
                let lc = original.source.line_col(at.start);
                out.push(collection_finding(
                    "identifier_uniqueness",
                    f,
                    *span,
                    format!(
                        "id `{id}` is also used by {}:{}:{}",
                        original.source.name, lc.line, lc.col
                    ),
                ));
            }
            None => {
                first.insert(id, f);
            }
        }
    }
}
