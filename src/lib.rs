//! sigc's command line as a library: the `sigc` binary runs [`cli::run`], and the fuzz targets
//! reach the event readers through [`cli::events`].

// Every write goes through `cli::out`, which turns a failed write into an exit status.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod explain;
