//! `sigc man`: the roff manual page, generated from the clap definitions (clap_mangen): sigc's
//! own page on standard output, or one page per command in a directory.

use super::{EXIT_OK, EXIT_USAGE, out, report, write};
use clap::{Args, CommandFactory};
use clap_mangen::Man;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write one page per command (sigc.1, sigc-convert.1, …) into this directory (created if
    /// missing), instead of sigc.1 to standard output.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> i32 {
    let mut cli = super::Cli::command().disable_help_subcommand(true);
    cli.build();
    let Some(dir) = args.out_dir else {
        out::stdout(&String::from_utf8_lossy(&page(&Man::new(cli))));
        return EXIT_OK;
    };
    let mut status = EXIT_OK;
    write_pages(&cli, &dir, &mut status);
    status
}

/// Writes `cmd`'s page and its subcommands' pages into `dir`; a page that cannot be written is
/// reported and sets `status`, and the others are still written.
fn write_pages(cmd: &clap::Command, dir: &Path, status: &mut i32) {
    let man = Man::new(cmd.clone()).source(concat!("sigc ", env!("CARGO_PKG_VERSION")));
    if let Err(e) = write::output(&dir.join(man.get_filename()), &page(&man)) {
        report::error(&e);
        *status = EXIT_USAGE;
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, status);
    }
}

/// One page as roff.
fn page(man: &Man) -> Vec<u8> {
    let mut roff = Vec::new();
    man.render(&mut roff)
        .expect("rendering into memory cannot fail");
    roff
}
