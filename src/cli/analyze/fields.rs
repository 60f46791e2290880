//! `sigc analyze fields`: the field names the rules test after a target's pipelines (sigma-cli's
//! `sigma analyze fields`), sorted and unique, or grouped per log source
//! (`category|product|service` after the pipelines).
//!
//! Like sigma-cli, a rule whose pipelines fail counts with its fields as written. Field names are
//! listed as the pipelines leave them, not quoted for the target's query language.

use super::super::explain::PlanArgs;
use super::super::{EXIT_USAGE, terminal};
use super::{Format, emit, load};
use clap::Args;
use sigc_compiler::ir::{Document, Rule};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

#[derive(Args, Debug)]
pub struct FieldsArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Group the fields by log source.
    #[arg(long)]
    pub group: bool,
    /// `text`: one field a line (or a table with `--group`); `json`: a sorted array (or an object
    /// of arrays by log source with `--group`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: super::Rules,
}

pub fn run(args: FieldsArgs) -> i32 {
    let Some(plan) = args.plan.plan() else {
        return EXIT_USAGE;
    };
    let (set, status) = load(&args.rules);
    let mut grouped: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rule in set.documents().filter_map(|(_, d)| match d {
        Document::Rule(r) => Some(r),
        Document::Correlation(_) | Document::Filter(_) => None,
    }) {
        let processed = plan.process(rule).ok().map(|(r, _)| r);
        let rule = processed.as_ref().unwrap_or(rule);
        grouped
            .entry(logsource(rule))
            .or_default()
            .extend(fields(rule));
    }
    let text = match (args.group, args.format) {
        (false, format) => {
            let all: BTreeSet<&String> = grouped.values().flatten().collect();
            match format {
                Format::Json => json(&all),
                Format::Text => all
                    .iter()
                    .map(|f| format!("{}\n", terminal::escape(f)))
                    .collect(),
            }
        }
        (true, Format::Json) => json(&grouped),
        (true, Format::Text) => table(&grouped),
    };
    emit(std::path::Path::new("-"), &text, status)
}

/// The field names of a rule's leaves (keywords have none).
fn fields(rule: &Rule) -> impl Iterator<Item = String> + '_ {
    rule.conditions
        .iter()
        .flat_map(|c| c.leaves())
        .filter_map(|m| m.field.clone())
}

/// `category|product|service`, an absent one empty (sigma-cli's key).
fn logsource(rule: &Rule) -> String {
    let ls = &rule.logsource;
    [&ls.category, &ls.product, &ls.service]
        .map(|v| v.as_deref().unwrap_or(""))
        .join("|")
}

fn json(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string_pretty(value).expect("plain data serializes");
    format!("{json}\n")
}

/// Each log source, then its fields indented, one a line.
fn table(grouped: &BTreeMap<String, BTreeSet<String>>) -> String {
    let mut out = String::new();
    for (logsource, fields) in grouped {
        let _ = writeln!(out, "{}", terminal::escape(logsource));
        for f in fields {
            let _ = writeln!(out, "  {}", terminal::escape(f));
        }
    }
    out
}
