//! `duplicate_filename`
//!
//! ## What it does
//! Reports a rule file whose name (without its directory) another input file already has.
//!
//! ## Why is this bad?
//! Rule repositories are flattened by many deployment tools; two files of one name overwrite
//! each other, and people look rules up by file name.
//!
//! ## Example
//! `rules/windows/a/proc_creation_win_cmd.yml` and `rules/windows/b/proc_creation_win_cmd.yml`.

use crate::{Finding, RuleFacts, collection_finding, file_name};
use foldhash::{HashMap, HashMapExt};
use sigc_compiler::span::Span;

pub fn check(facts: &[RuleFacts], out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, &str> = HashMap::with_capacity(facts.len());
    for f in facts {
        let Some(name) = file_name(&f.source.name) else {
            continue;
        };
        match first.get(name) {
            Some(original) if *original != f.source.name => out.push(collection_finding(
                "duplicate_filename",
                f,
                Span::new(0, 0),
                format!("file name `{name}` is also used by {original}"),
            )),
            Some(_) => {}
            None => {
                first.insert(name, &f.source.name);
            }
        }
    }
}
