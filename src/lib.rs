//! sigc's command line as a library: the `sigc` binary runs [`cli::run`], and the fuzz targets
//! reach the event readers through [`cli::events`]. [`service`] answers for rule text in memory
//! (the playground, the language server); [`lsp`] is the language server (`sigc lsp`).

// Every write goes through `cli::out`, which turns a failed write into an exit status.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod explain;
pub mod lsp;
pub mod service;
