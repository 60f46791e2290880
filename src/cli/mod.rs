//! Command-line arguments and dispatch: one file per subcommand.

mod analyze;
mod check;
mod colour;
mod completions;
mod convert;
pub mod docs;
pub mod events;
mod explain;
mod export;
pub(crate) mod inputs;
mod junit;
mod list;
mod lsp;
mod man;
mod out;
mod outcome;
mod placeholders;
mod render;
mod report;
mod serve;
mod terminal;
mod test;
mod walk;
mod write;

use clap::{Parser, Subcommand};

/// Exit status: everything succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit status: some rules failed (conversion) or findings were reported (check).
pub const EXIT_FAILED: i32 = 1;
/// Exit status: usage or I/O error (an input that cannot be read, an output that cannot be
/// written, standard output or error among them); the other inputs are still processed.
pub const EXIT_USAGE: i32 = 2;
// A closed pipe ends the run with `out::EXIT_BROKEN_PIPE` (141).

/// sigc compiles Sigma detection rules to Splunk SPL, LogPoint and MITRE CAR.
#[derive(Parser, Debug)]
#[command(name = "sigc", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour the output: check's report, diagnostics and errors, progress bars.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: colour::ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert rules to queries for a target.
    Convert(convert::ConvertArgs),
    /// Lint rules: every parse error and validator finding, located, in one run.
    Check(check::CheckArgs),
    /// List targets, modifiers and other built-in tables.
    List(list::ListArgs),
    /// Run rules on recorded events (JSON, EVTX), on their own test cases, or on SigmaHQ's
    /// regression data.
    Test(test::TestArgs),
    /// Serve the offline playground on 127.0.0.1: a rule editor with every target's query,
    /// its findings and event matches as you type, and the JSON API behind it.
    Serve(serve::ServeArgs),
    /// Analyze a rule set (sigma-cli's verbs): an ATT&CK Navigator layer, log source counts,
    /// field names after a target's pipelines.
    Analyze(analyze::AnalyzeArgs),
    /// Show how one rule becomes a query: its detection, IR, each pipeline item and the query.
    Explain(explain::ExplainArgs),
    /// Print the completion script for a shell.
    Completions(completions::CompletionsArgs),
    /// Serve the Language Server Protocol on standard input and output (docs/editors.md).
    Lsp(lsp::LspArgs),
    /// Print sigc's manual page (roff), or write one page per command with --out-dir.
    Man(man::ManArgs),
    /// Print sigc's version (as `--version`; sigma-cli's `sigma version`).
    Version,
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> i32 {
    colour::set(cli.color);
    match cli.command {
        Command::Convert(args) => convert::run(args),
        Command::Check(args) => check::run(args),
        Command::List(args) => list::run(args),
        Command::Test(args) => test::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Version => {
            out::stdout(&format!("sigc {}\n", env!("CARGO_PKG_VERSION")));
            EXIT_OK
        }
        Command::Lsp(args) => lsp::run(args),
    }
}

/// Prints clap's message for a bad command line (or `--help`, `--version`) with checked writes,
/// without colour and escaped by `cli::terminal` (it may quote an argument); returns clap's exit status.
pub fn usage(e: &clap::Error) -> i32 {
    let text = terminal::escape_lines(&e.render().to_string());
    if e.use_stderr() {
        out::stderr(&text);
    } else {
        out::stdout(&text);
    }
    e.exit_code()
}
