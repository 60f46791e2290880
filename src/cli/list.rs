//! `sigc list`: the built-in tables.

use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct ListArgs {
    /// What to list.
    pub what: Listing,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Listing {
    /// Conversion targets (`-t`).
    Targets,
    /// Value modifiers (`Field|modifier`).
    Modifiers,
    /// Validators of `sigc check` (id, severity, description).
    Validators,
}

pub fn run(args: ListArgs) -> i32 {
    match args.what {
        Listing::Targets => {
            for backend in sigc_backends::targets() {
                println!("{:<12} {}", backend.name(), backend.description());
            }
        }
        Listing::Validators => {
            for v in sigc_compiler::lint::VALIDATORS {
                println!("{:<42} {:<6} {}", v.id, v.severity.as_str(), v.description);
            }
        }
        Listing::Modifiers => {
            for m in sigc_compiler::modifier::MODIFIERS {
                let names = m.names.join(", ");
                println!("{names:<14} {}", m.description);
            }
        }
    }
    super::EXIT_OK
}
