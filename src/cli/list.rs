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
}

pub fn run(args: ListArgs) -> i32 {
    match args.what {
        Listing::Targets => {
            for backend in sigc_backends::targets() {
                println!("{:<12} {}", backend.name(), backend.description());
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
