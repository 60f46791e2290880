//! `sigc`: the Sigma rule compiler's command line.

use clap::Parser;
use sigc::cli;
use std::process::ExitCode;

#[cfg(all(not(target_env = "msvc"), not(miri)))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let status = match cli::Cli::try_parse() {
        Ok(args) => cli::run(args),
        Err(e) => cli::usage(&e),
    };
    ExitCode::from(status as u8)
}
