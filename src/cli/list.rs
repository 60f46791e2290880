//! `sigc list`: the built-in tables.

use super::out;
use clap::{Args, ValueEnum};
use sigc_backends::Target;
use std::fmt::Write as _;

#[derive(Args, Debug)]
pub struct ListArgs {
    /// What to list.
    pub what: Listing,
    /// The target whose formats or limitations to list (`sigc list formats splunk`).
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
}

pub fn run(args: ListArgs) -> i32 {
    let mut text = String::new();
    match args.what {
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
            for b in sigc_pipeline::builtins::BUILTIN {
                let Ok(p) = b.load() else { continue };
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
