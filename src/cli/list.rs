//! `sigc list`: the built-in tables.

use super::out;
use clap::{Args, ValueEnum};
use sigc_backends::Target;
use std::fmt::Write as _;

#[derive(Args, Debug)]
pub struct ListArgs {
    /// What to list; without it, what can be listed.
    pub what: Option<Listing>,
    /// The target whose formats, limitations or correlation methods to list (`sigc list formats
    /// splunk`); for pipelines, only those the target may use.
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
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

pub fn run(args: ListArgs) -> i32 {
    let mut text = String::new();
    let Some(what) = args.what else {
        for listing in Listing::value_variants() {
            if let Some(value) = listing.to_possible_value() {
                let help = value
                    .get_help()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let _ = writeln!(text, "{:<20} {help}", value.get_name());
            }
        }
        out::stdout(&text);
        return super::EXIT_OK;
    };
    match what {
        Listing::Targets => {
            for target in sigc_backends::targets() {
                let _ = writeln!(text, "{:<12} {}", target.name(), target.description());
            }
        }
        Listing::Validators => {
            for v in sigc_lint::VALIDATORS {
                let _ = writeln!(
                    text,
                    "{:<42} {:<6} {}",
                    v.id,
                    v.severity.as_str(),
                    v.description
                );
            }
        }
        Listing::Pipelines => {
            let target = match &args.target {
                Some(_) => match named_target(&args, "pipelines") {
                    Some(target) => Some(target.name()),
                    None => return super::EXIT_USAGE,
                },
                None => None,
            };
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
                let _ = writeln!(
                    text,
                    "{:<28} {:>3}  {targets:<8} {}",
                    b.name, p.priority, b.description
                );
            }
        }
        Listing::Formats => {
            let Some(target) = named_target(&args, "formats") else {
                return super::EXIT_USAGE;
            };
            for f in target.formats() {
                let _ = writeln!(text, "{:<14} {}", f.name, f.description);
            }
        }
        Listing::Limitations => {
            let Some(target) = named_target(&args, "limitations") else {
                return super::EXIT_USAGE;
            };
            for l in target.limitations() {
                let _ = writeln!(text, "{}", l.what);
            }
        }
        Listing::Transformations => {
            for t in sigc_pipeline::transformation::TransformationType::ALL {
                let _ = writeln!(text, "{}", t.name());
            }
        }
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
            for (level, names) in levels {
                for name in names {
                    let _ = writeln!(text, "{level:<16} {name}");
                }
            }
        }
        Listing::CorrelationMethods => {
            let Some(target) = named_target(&args, "correlation-methods") else {
                return super::EXIT_USAGE;
            };
            for m in target.correlation_methods() {
                let _ = writeln!(text, "{:<10} {}", m.name, m.description);
            }
        }
        Listing::Modifiers => {
            for m in sigc_compiler::modifier::MODIFIERS {
                let names = m.names.join(", ");
                let _ = writeln!(text, "{names:<14} {}", m.description);
            }
        }
    }
    out::stdout(&text);
    super::EXIT_OK
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
