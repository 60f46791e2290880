//! `sigc lsp`: the language server (docs/editors.md), on standard input and output.

use super::{EXIT_OK, EXIT_USAGE, report};
use clap::Args;

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Accepted for editors that pass it: standard input and output is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> i32 {
    match crate::lsp::run() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            report::error(&e);
            EXIT_USAGE
        }
    }
}
