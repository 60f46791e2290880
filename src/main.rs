//! `sigc`: the Sigma rule compiler's command line.

use clap::Parser;
use sigc::cli;
use std::process::ExitCode;

/// jemalloc: glibc's allocator was a quarter of a conversion's instructions (docs/performance.md).
#[cfg(all(
    not(target_os = "windows"),
    not(target_os = "openbsd"),
    not(target_os = "aix"),
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let status = match cli::Cli::try_parse() {
        Ok(args) => cli::run(args),
        Err(e) => cli::usage(&e),
    };
    ExitCode::from(status as u8)
}
