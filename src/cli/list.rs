//! `sigc list`: the built-in tables, as aligned text or JSON.

use super::out;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use sigc_backends::Target;
use sigc_backends::options::Kind;
use std::fmt::Write as _;

#[derive(Args, Debug)]
pub struct ListArgs {
    /// What to list; without it, what can be listed.
    pub what: Option<Listing>,
    /// The target whose formats, options, limitations or correlation methods to list (`sigc list
    /// formats splunk`); for pipelines, only those the target may use.
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
    /// Output format: aligned columns, or a JSON array of objects (docs/json.md).
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How a listing is written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Listing {
    /// Conversion targets (`-t`).
    Targets,
    /// Value modifiers (`Field|modifier`).
    Modifiers,
    /// Built-in processing pipelines (`-p`): name, priority, targets, description.
    Pipelines,
    /// Output formats of a target (`-f`).
    Formats,
    /// Backend options of a target (`-O NAME=VALUE`).
    Options,
    /// What a target cannot express (such a rule is refused, located).
    Limitations,
    /// Validators of `sigc check` (id, severity, description).
    Validators,
    /// Transformation types a processing pipeline may use (`type:` of an item).
    Transformations,
    /// Condition types a processing pipeline may use, by level (rule, detection item, field name).
    Conditions,
    /// Correlation methods of a target (`-c`).
    CorrelationMethods,
}

/// One listed item: its JSON object and its text line.
struct Row {
    json: Value,
    text: String,
}

fn row(json: Value, text: String) -> Row {
    Row { json, text }
}

pub fn run(args: ListArgs) -> i32 {
    let Some(rows) = rows(&args) else {
        return super::EXIT_USAGE;
    };
    let text = match args.format {
        Format::Text => rows.iter().fold(String::new(), |mut text, r| {
            let _ = writeln!(text, "{}", r.text);
            text
        }),
        Format::Json => {
            let list: Vec<Value> = rows.into_iter().map(|r| r.json).collect();
            let mut text = serde_json::to_string_pretty(&list).expect("plain data serialises");
            text.push('\n');
            text
        }
    };
    out::stdout(&text);
    super::EXIT_OK
}

/// The rows of the listing `args` asks for; `None` (after reporting) when its target is
/// missing or unknown.
fn rows(args: &ListArgs) -> Option<Vec<Row>> {
    let Some(what) = args.what else {
        let listings = Listing::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value);
        return Some(
            listings
                .map(|value| {
                    let (name, help) = (value.get_name(), value.get_help());
                    let help = help.map(ToString::to_string).unwrap_or_default();
                    row(
                        json!({"name": name, "description": help}),
                        format!("{name:<20} {help}"),
                    )
                })
                .collect(),
        );
    };
    let rows = match what {
        Listing::Targets => sigc_backends::targets()
            .iter()
            .map(|t| {
                row(
                    json!({
                        "name": t.name(),
                        "description": t.description(),
                        "extension": t.extension(),
                    }),
                    format!("{:<12} {}", t.name(), t.description()),
                )
            })
            .collect(),
        Listing::Validators => sigc_lint::VALIDATORS
            .iter()
            .map(|v| {
                let severity = v.severity.as_str();
                row(
                    json!({"id": v.id, "severity": severity, "description": v.description}),
                    format!("{:<42} {severity:<6} {}", v.id, v.description),
                )
            })
            .collect(),
        Listing::Pipelines => {
            let target = match &args.target {
                Some(_) => Some(named_target(args, "pipelines")?.name()),
                None => None,
            };
            let mut rows = Vec::new();
            for b in sigc_pipeline::builtins::BUILTIN {
                let Ok(p) = b.load() else { continue };
                if target.is_some_and(|t| !crate::service::pipelines::allows(&p, t)) {
                    continue;
                }
                let targets = if p.allowed_backends.is_empty() {
                    "any".to_string()
                } else {
                    p.allowed_backends.join(",")
                };
                rows.push(row(
                    json!({
                        "name": b.name,
                        "priority": p.priority,
                        "targets": p.allowed_backends,
                        "description": b.description,
                    }),
                    format!(
                        "{:<28} {:>3}  {targets:<8} {}",
                        b.name, p.priority, b.description
                    ),
                ));
            }
            rows
        }
        Listing::Formats => named_target(args, "formats")?
            .formats()
            .iter()
            .map(|f| {
                row(
                    json!({"name": f.name, "description": f.description}),
                    format!("{:<14} {}", f.name, f.description),
                )
            })
            .collect(),
        Listing::Options => named_target(args, "options")?
            .options()
            .iter()
            .map(|o| {
                let (kind, default) = match o.kind {
                    Kind::Text { default } => ("text", Some(default)),
                    Kind::Settings { .. } => ("settings", None),
                };
                let shown = default.map_or_else(String::new, |d| format!(" (default `{d}`)"));
                row(
                    json!({
                        "name": o.name,
                        "kind": kind,
                        "default": default,
                        "description": o.description,
                    }),
                    format!("{:<16} {}{shown}", o.name, o.description),
                )
            })
            .collect(),
        Listing::Limitations => named_target(args, "limitations")?
            .limitations()
            .iter()
            .map(|l| row(json!({"description": l.what}), l.what.to_string()))
            .collect(),
        Listing::Transformations => sigc_pipeline::transformation::TransformationType::ALL
            .iter()
            .map(|t| row(json!({"name": t.name()}), t.name().to_string()))
            .collect(),
        Listing::Conditions => {
            use sigc_pipeline::conditions::{field, item, rule};
            let levels: [(&str, Vec<&str>); 3] = [
                (
                    "rule",
                    rule::RuleCondType::ALL.iter().map(|c| c.name()).collect(),
                ),
                (
                    "detection_item",
                    item::ItemCondType::ALL.iter().map(|c| c.name()).collect(),
                ),
                (
                    "field_name",
                    field::FieldCondType::ALL.iter().map(|c| c.name()).collect(),
                ),
            ];
            levels
                .into_iter()
                .flat_map(|(level, names)| {
                    names.into_iter().map(move |name| {
                        row(
                            json!({"level": level, "name": name}),
                            format!("{level:<16} {name}"),
                        )
                    })
                })
                .collect()
        }
        Listing::CorrelationMethods => named_target(args, "correlation-methods")?
            .correlation_methods()
            .iter()
            .map(|m| {
                row(
                    json!({"name": m.name, "description": m.description}),
                    format!("{:<10} {}", m.name, m.description),
                )
            })
            .collect(),
        Listing::Modifiers => sigc_compiler::modifier::MODIFIERS
            .iter()
            .map(|m| {
                let names = m.names.join(", ");
                row(
                    json!({"names": m.names, "description": m.description}),
                    format!("{names:<14} {}", m.description),
                )
            })
            .collect(),
    };
    Some(rows)
}

/// The target named after `sigc list WHAT`; `None` (after reporting) when it is missing or unknown.
fn named_target(args: &ListArgs, what: &str) -> Option<&'static dyn Target> {
    let Some(name) = args.target.as_deref() else {
        super::report::error(&format!(
            "`sigc list {what}` needs a target, e.g. `sigc list {what} splunk`"
        ));
        return None;
    };
    let target = sigc_backends::target(name);
    if target.is_none() {
        super::report::error(&format!("unknown target `{name}`"));
    }
    target
}
