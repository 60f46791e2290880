//! `sigc`: the Sigma rule compiler's command line.

// Every write goes through `cli::out`, which turns a failed write into an exit status.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let status = match cli::Cli::try_parse() {
        Ok(args) => cli::run(args),
        Err(e) => cli::usage(&e),
    };
    ExitCode::from(status as u8)
}
