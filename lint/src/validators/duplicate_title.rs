//! `duplicate_title`
//!
//! ## What it does
//! Reports a rule whose title another rule of the input already has (across all files checked).
//!
//! ## Why is this bad?
//! Titles name alerts; two rules with one title produce alerts nobody can tell apart.
//!
//! ## Example
//! Two files both titled `Suspicious Cmd Execution`.

use crate::{Finding, RuleFacts, collection_finding};
use foldhash::{HashMap, HashMapExt};

pub fn check(facts: &[RuleFacts], out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, &RuleFacts> = HashMap::with_capacity(facts.len());
    for f in facts {
        let Some((title, span)) = &f.title else {
            continue;
        };
        match first.get(title.as_str()) {
            Some(original) => {
                let (_, at) = original.title.as_ref().expect("has a title");
                let lc = original.source.line_col(at.start);
                out.push(collection_finding(
                    "duplicate_title",
                    f,
                    *span,
                    format!(
                        "title `{title}` is also used by {}:{}:{}",
                        original.source.name, lc.line, lc.col
                    ),
                ));
            }
            None => {
                first.insert(title, f);
            }
        }
    }
}
